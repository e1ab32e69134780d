package jinet.inet.dns;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.util.Arrays;

/** Erlang's {@code =:=} on the terms the DNS codec deals in; strings are the lists they are. */
final class ExactTerms {
    private ExactTerms() {
    }

    static boolean equal(OtpErlangObject a, OtpErlangObject b) {
        a = asList(a);
        b = asList(b);
        if (a instanceof OtpErlangList la && b instanceof OtpErlangList lb) {
            if (la.arity() != lb.arity() || !la.isProper() || !lb.isProper()) {
                return false;
            }
            for (int i = 0; i < la.arity(); i++) {
                if (!equal(la.elementAt(i), lb.elementAt(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof OtpErlangTuple ta && b instanceof OtpErlangTuple tb) {
            if (ta.arity() != tb.arity()) {
                return false;
            }
            for (int i = 0; i < ta.arity(); i++) {
                if (!equal(ta.elementAt(i), tb.elementAt(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof OtpErlangLong na && b instanceof OtpErlangLong nb) {
            return na.bigIntegerValue().equals(nb.bigIntegerValue());
        }
        if (a instanceof OtpErlangAtom xa && b instanceof OtpErlangAtom xb) {
            return xa.atomValue().equals(xb.atomValue());
        }
        if (a instanceof OtpErlangBinary ba && b instanceof OtpErlangBinary bb) {
            return Arrays.equals(ba.binaryValue(), bb.binaryValue());
        }
        return false;
    }

    private static OtpErlangObject asList(OtpErlangObject t) {
        if (t instanceof OtpErlangString s) {
            int[] codePoints = OtpErlangString.stringToCodePoints(s.stringValue());
            OtpErlangObject[] items = new OtpErlangObject[codePoints.length];
            for (int i = 0; i < codePoints.length; i++) {
                items[i] = new OtpErlangLong(codePoints[i]);
            }
            return new OtpErlangList(items);
        }
        return t;
    }
}
