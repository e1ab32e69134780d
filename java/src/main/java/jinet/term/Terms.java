package jinet.term;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;

/** Small constructors for the terms every layer builds. */
public final class Terms {
    public static final OtpErlangAtom OK = atom("ok");
    public static final OtpErlangAtom ERROR = atom("error");
    public static final OtpErlangList NIL = new OtpErlangList();

    private Terms() {
    }

    public static OtpErlangAtom atom(String name) {
        return new OtpErlangAtom(name);
    }

    public static OtpErlangTuple tuple(OtpErlangObject... elements) {
        return new OtpErlangTuple(elements);
    }

    public static OtpErlangList list(OtpErlangObject... elements) {
        return new OtpErlangList(elements);
    }

    /** {@code {ok, Value}}. */
    public static OtpErlangTuple ok(OtpErlangObject value) {
        return tuple(OK, value);
    }

    /** {@code {error, Reason}}. */
    public static OtpErlangTuple error(String reason) {
        return tuple(ERROR, atom(reason));
    }

    /** {@code true} when the term is the atom {@code name}. */
    public static boolean isAtom(OtpErlangObject term, String name) {
        return term instanceof OtpErlangAtom && ((OtpErlangAtom) term).atomValue().equals(name);
    }

    /** The elements of a proper list (strings included), or null for anything else. */
    public static OtpErlangObject[] properListElements(OtpErlangObject term) {
        if (term instanceof OtpErlangList) {
            OtpErlangList list = (OtpErlangList) term;
            return list.isProper() ? list.elements() : null;
        }
        if (term instanceof com.ericsson.otp.erlang.OtpErlangString) {
            return new OtpErlangList(((com.ericsson.otp.erlang.OtpErlangString) term).stringValue())
                    .elements();
        }
        return null;
    }
}
