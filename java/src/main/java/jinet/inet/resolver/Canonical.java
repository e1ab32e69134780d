package jinet.inet.resolver;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import jinet.term.Terms;

/**
 * One Java form per Erlang term for the values inet_db stores, so that {@code equals} is
 * Erlang's {@code =:=}: JInterface gives a string either as OtpErlangString or as a list of
 * integers, and {@code ""} either as an empty string or as {@code []}.
 */
final class Canonical {
    private Canonical() {
    }

    static OtpErlangObject of(OtpErlangObject t) {
        if (t instanceof OtpErlangString || t instanceof OtpErlangList) {
            String s = ErlText.chars(t);
            if (s != null) {
                return s.isEmpty() ? Terms.NIL : new OtpErlangString(s);
            }
            if (t instanceof OtpErlangList) {
                OtpErlangList l = (OtpErlangList) t;
                OtpErlangObject[] es = l.elements();
                for (int i = 0; i < es.length; i++) {
                    es[i] = of(es[i]);
                }
                try {
                    return l.getLastTail() == null ? new OtpErlangList(es) : new OtpErlangList(es, of(l.getLastTail()));
                } catch (com.ericsson.otp.erlang.OtpErlangException e) {
                    return t;
                }
            }
        }
        if (t instanceof OtpErlangTuple) {
            OtpErlangObject[] es = ((OtpErlangTuple) t).elements();
            for (int i = 0; i < es.length; i++) {
                es[i] = of(es[i]);
            }
            return new OtpErlangTuple(es);
        }
        return t;
    }
}
