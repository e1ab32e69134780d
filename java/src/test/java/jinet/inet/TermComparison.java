package jinet.inet;

import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;

/** Erlang's exact equality ({@code =:=}), with JInterface's strings seen as the lists they are. */
final class TermComparison {
    private TermComparison() {
    }

    static boolean exactlyEqual(OtpErlangObject a, OtpErlangObject b) {
        a = asList(a);
        b = asList(b);
        if (a instanceof OtpErlangList && b instanceof OtpErlangList) {
            OtpErlangList la = (OtpErlangList) a;
            OtpErlangList lb = (OtpErlangList) b;
            if (la.arity() != lb.arity()) {
                return false;
            }
            for (int i = 0; i < la.arity(); i++) {
                if (!exactlyEqual(la.elementAt(i), lb.elementAt(i))) {
                    return false;
                }
            }
            OtpErlangObject ta = la.getLastTail();
            OtpErlangObject tb = lb.getLastTail();
            return ta == null ? tb == null : tb != null && exactlyEqual(ta, tb);
        }
        if (a instanceof OtpErlangTuple && b instanceof OtpErlangTuple) {
            OtpErlangTuple ta = (OtpErlangTuple) a;
            OtpErlangTuple tb = (OtpErlangTuple) b;
            if (ta.arity() != tb.arity()) {
                return false;
            }
            for (int i = 0; i < ta.arity(); i++) {
                if (!exactlyEqual(ta.elementAt(i), tb.elementAt(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof OtpErlangLong && b instanceof OtpErlangLong) {
            return ((OtpErlangLong) a).bigIntegerValue().equals(((OtpErlangLong) b).bigIntegerValue());
        }
        if (a instanceof OtpErlangDouble && b instanceof OtpErlangDouble) {
            return ((OtpErlangDouble) a).doubleValue() == ((OtpErlangDouble) b).doubleValue();
        }
        return a.getClass() == b.getClass() && a.equals(b);
    }

    private static OtpErlangObject asList(OtpErlangObject t) {
        if (t instanceof OtpErlangString) {
            int[] cps = OtpErlangString.stringToCodePoints(((OtpErlangString) t).stringValue());
            OtpErlangObject[] items = new OtpErlangObject[cps.length];
            for (int i = 0; i < cps.length; i++) {
                items[i] = new OtpErlangLong(cps[i]);
            }
            return new OtpErlangList(items);
        }
        return t;
    }
}
