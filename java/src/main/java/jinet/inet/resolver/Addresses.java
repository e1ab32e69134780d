package jinet.inet.resolver;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.util.Optional;
import java.util.function.Function;
import jinet.inet.CharList;
import jinet.inet.FunctionClauseException;
import jinet.inet.InetModule;
import jinet.term.ErlangException;
import jinet.term.Terms;

/** The {@code ?ip} and {@code ?ip6} guards of inet_int.hrl and the loopback addresses. */
public final class Addresses {
    public static final OtpErlangTuple LOOPBACK4 = tuple(127, 0, 0, 1);
    public static final OtpErlangTuple LOOPBACK6 = tuple(0, 0, 0, 0, 0, 0, 0, 1);

    private Addresses() {
    }

    public static OtpErlangTuple tuple(int... words) {
        OtpErlangObject[] e = new OtpErlangObject[words.length];
        for (int i = 0; i < words.length; i++) {
            e[i] = new OtpErlangLong(words[i]);
        }
        return new OtpErlangTuple(e);
    }

    /** {@code ?ip(A,B,C,D)}: a 4-tuple of integers 0..255. */
    public static boolean isIp4(OtpErlangObject t) {
        return words(t, 4, 255) != null;
    }

    /** {@code ?ip6(A,...,H)}: an 8-tuple of integers 0..65535. */
    public static boolean isIp6(OtpErlangObject t) {
        return words(t, 8, 65535) != null;
    }

    /** The elements of a tuple of {@code size} integers within 0..max, else null. */
    public static int[] words(OtpErlangObject t, int size, int max) {
        if (!(t instanceof OtpErlangTuple) || ((OtpErlangTuple) t).arity() != size) {
            return null;
        }
        int[] w = new int[size];
        for (int i = 0; i < size; i++) {
            OtpErlangObject e = ((OtpErlangTuple) t).elementAt(i);
            if (!(e instanceof OtpErlangLong) || !((OtpErlangLong) e).isLong()) {
                return null;
            }
            long v = ((OtpErlangLong) e).longValue();
            if (v < 0 || v > max) {
                return null;
            }
            w[i] = (int) v;
        }
        return w;
    }

    public static boolean isInet6(OtpErlangObject family) {
        return family instanceof OtpErlangAtom && ((OtpErlangAtom) family).atomValue().equals("inet6");
    }

    /**
     * An inet_parse parser applied to any list term: the address tuple, or empty for
     * {@code {error, einval}}; the parser's function_clause for odd lists is raised as on BEAM.
     */
    public static Optional<OtpErlangObject> parse(Function<CharList, Optional<Number[]>> parser,
                                                  OtpErlangObject list) throws ErlangException {
        try {
            return parser.apply(InetModule.charList(list)).map(InetModule::addressTuple);
        } catch (FunctionClauseException e) {
            throw ErlangException.error(Terms.atom("function_clause"));
        }
    }

    /** inet_db's inet_family/1: by tuple size. */
    public static OtpErlangAtom family(OtpErlangObject ip) {
        return ((OtpErlangTuple) ip).arity() == 4 ? Hostent.INET : Hostent.INET6;
    }
}
