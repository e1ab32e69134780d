package jinet.term;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Small constructors for the terms every layer builds, and Erlang's view of lists and equality. */
public final class Terms {
    public static final OtpErlangAtom OK = atom("ok");
    public static final OtpErlangAtom ERROR = atom("error");
    public static final OtpErlangAtom TRUE = atom("true");
    public static final OtpErlangAtom FALSE = atom("false");
    public static final OtpErlangList NIL = new OtpErlangList();
    /** Octets, flags and control-message tags: the integers built on every call, made once. */
    private static final OtpErlangLong[] SMALL = new OtpErlangLong[256];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = new OtpErlangLong(i);
        }
    }

    private Terms() {
    }

    public static OtpErlangAtom atom(String name) {
        return new OtpErlangAtom(name);
    }

    public static OtpErlangLong integer(long v) {
        return v >= 0 && v < SMALL.length ? SMALL[(int) v] : new OtpErlangLong(v);
    }

    public static OtpErlangAtom bool(boolean b) {
        return b ? TRUE : FALSE;
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

    /**
     * The elements of a proper list, or null for anything else. A string is the list of its
     * characters, and a list whose tail arrives as a string (or another list) is one list.
     */
    public static OtpErlangObject[] properListElements(OtpErlangObject term) {
        if (term instanceof OtpErlangString) {
            return new OtpErlangList(((OtpErlangString) term).stringValue()).elements();
        }
        if (!(term instanceof OtpErlangList)) {
            return null;
        }
        OtpErlangList list = (OtpErlangList) term;
        OtpErlangObject tail = list.getLastTail();
        if (tail == null) {
            return list.elements();
        }
        OtpErlangObject[] rest = properListElements(tail);
        if (rest == null) {
            return null;
        }
        OtpErlangObject[] head = list.elements();
        OtpErlangObject[] all = Arrays.copyOf(head, head.length + rest.length);
        System.arraycopy(rest, 0, all, head.length, rest.length);
        return all;
    }

    /**
     * Erlang's exact equality ({@code =:=}): JInterface gives a list of characters as a string
     * or as a list, and either is the same term.
     */
    public static boolean exactlyEqual(OtpErlangObject a, OtpErlangObject b) {
        boolean la = a instanceof OtpErlangList || a instanceof OtpErlangString;
        boolean lb = b instanceof OtpErlangList || b instanceof OtpErlangString;
        if (la || lb) {
            if (!(la && lb)) {
                return false;
            }
            OtpErlangObject[] ea = listElements(a);
            OtpErlangObject[] eb = listElements(b);
            if (ea.length != eb.length) {
                return false;
            }
            for (int i = 0; i < ea.length; i++) {
                if (!exactlyEqual(ea[i], eb[i])) {
                    return false;
                }
            }
            return ea.length == 0 || exactlyEqual(listTail(a), listTail(b));
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
        if (a instanceof OtpErlangAtom && b instanceof OtpErlangAtom) {
            return ((OtpErlangAtom) a).atomValue().equals(((OtpErlangAtom) b).atomValue());
        }
        return a.getClass() == b.getClass() && a.equals(b);
    }

    /**
     * The cons cells' heads of a list or string, a string's as character codes; a tail that
     * is itself a list or string continues the list.
     */
    static OtpErlangObject[] listElements(OtpErlangObject list) {
        List<OtpErlangObject> out = new ArrayList<>();
        OtpErlangObject t = list;
        while (true) {
            if (t instanceof OtpErlangString) {
                for (int c : OtpErlangString.stringToCodePoints(((OtpErlangString) t).stringValue())) {
                    out.add(new OtpErlangLong(c));
                }
                return out.toArray(new OtpErlangObject[0]);
            }
            if (!(t instanceof OtpErlangList)) {
                return out.toArray(new OtpErlangObject[0]);
            }
            OtpErlangList l = (OtpErlangList) t;
            out.addAll(Arrays.asList(l.elements()));
            t = l.getLastTail();
        }
    }

    /** What a list or string ends in: {@code []} unless it is improper. */
    static OtpErlangObject listTail(OtpErlangObject list) {
        OtpErlangObject t = list;
        while (t instanceof OtpErlangList) {
            OtpErlangObject next = ((OtpErlangList) t).getLastTail();
            if (next == null) {
                return NIL;
            }
            t = next;
        }
        return t instanceof OtpErlangString ? NIL : t;
    }
}
