package jinet.inet;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import jinet.term.ErlangException;
import jinet.term.Exporter;
import jinet.term.Terms;

/**
 * The Erlang-facing {@code inet} module: turns terms into the inputs of the pure semantics
 * ({@link AddressParser}, {@link AddressFormatter}, {@link ErrorMessages}, {@link HostName})
 * and their results back into the terms BEAM returns.
 */
public final class InetModule {
    private static final String MODULE = "inet";
    private static final OtpErlangAtom FUNCTION_CLAUSE = Terms.atom("function_clause");

    private InetModule() {
    }

    public static void exportTo(Exporter exports) {
        parser(exports, "parse_address", AddressParser::parseAddress, true);
        parser(exports, "parse_strict_address", AddressParser::parseStrictAddress, true);
        parser(exports, "parse_ipv4_address", AddressParser::parseIpv4Address, false);
        parser(exports, "parse_ipv4strict_address", AddressParser::parseIpv4StrictAddress, false);
        parser(exports, "parse_ipv6_address", AddressParser::parseIpv6Address, false);
        parser(exports, "parse_ipv6strict_address", AddressParser::parseIpv6StrictAddress, false);
        exports.export(MODULE, "ntoa", 1, args -> ntoa(args[0]));
        exports.export(MODULE, "ipv4_mapped_ipv6_address", 1, args -> ipv4MappedIpv6Address(args[0]));
        exports.export(MODULE, "format_error", 1, args -> formatError(args[0]));
        exports.export(MODULE, "gethostname", 0, args -> Terms.ok(new OtpErlangString(HostName.shortName())));
        ServicesModule.exportTo(exports);
        jinet.inet.ifaddrs.IfAddrsModule.exportTo(exports);
    }

    /** {@code quick}: the parser answers {@link AddressParser#quickAddress}'s forms as it does. */
    private static void parser(Exporter exports, String name, Function<CharList, Optional<Number[]>> parse,
                               boolean quick) {
        exports.export(MODULE, name, 1, args -> {
            if (quick && args[0] instanceof OtpErlangString) {
                Number[] words = AddressParser.quickAddress(((OtpErlangString) args[0]).stringValue());
                if (words != null) {
                    return Terms.ok(addressTuple(words));
                }
            }
            try {
                return parse.apply(charList(args[0]))
                        .<OtpErlangObject>map(words -> Terms.ok(addressTuple(words)))
                        .orElse(Terms.error("einval"));
            } catch (FunctionClauseException e) {
                throw ErlangException.error(FUNCTION_CLAUSE);
            }
        });
    }

    static OtpErlangObject ntoa(OtpErlangObject address) {
        long[] words = smallIntegers(address);
        Optional<String> text = words == null ? Optional.empty() : AddressFormatter.ntoa(words);
        return text.<OtpErlangObject>map(OtpErlangString::new).orElse(Terms.error("einval"));
    }

    static OtpErlangObject formatError(OtpErlangObject reason) {
        ErrorMessages messages = ErrorMessages.get();
        String text = reason instanceof OtpErlangAtom
                ? messages.forAtom(((OtpErlangAtom) reason).atomValue())
                : messages.forNonAtom();
        return new OtpErlangString(text);
    }

    /**
     * IPv4 to IPv4-mapped IPv6 and back. OTP guards with {@code (D1 bor ...) < Limit}, which
     * lets negative integers through, so this works on unbounded integers as BEAM does.
     */
    static OtpErlangObject ipv4MappedIpv6Address(OtpErlangObject address) throws ErlangException {
        BigInteger[] d = integers(address);
        if (d != null && (d.length == 4 || d.length == 8)) {
            BigInteger or = BigInteger.ZERO;
            for (BigInteger x : d) {
                or = or.or(x);
            }
            BigInteger mask = BigInteger.valueOf(255);
            if (d.length == 4 && or.compareTo(BigInteger.valueOf(256)) < 0) {
                return Terms.tuple(zero(), zero(), zero(), zero(), zero(), new OtpErlangLong(0xffff),
                        new OtpErlangLong(d[0].shiftLeft(8).or(d[1])),
                        new OtpErlangLong(d[2].shiftLeft(8).or(d[3])));
            }
            if (d.length == 8 && or.compareTo(BigInteger.valueOf(65536)) < 0) {
                return Terms.tuple(new OtpErlangLong(d[6].shiftRight(8)), new OtpErlangLong(d[6].and(mask)),
                        new OtpErlangLong(d[7].shiftRight(8)), new OtpErlangLong(d[7].and(mask)));
            }
        }
        throw ErlangException.error(FUNCTION_CLAUSE);
    }

    private static OtpErlangLong zero() {
        return new OtpErlangLong(0);
    }

    /** The elements of a tuple of integers, or null. */
    private static BigInteger[] integers(OtpErlangObject term) {
        if (!(term instanceof OtpErlangTuple)) {
            return null;
        }
        OtpErlangObject[] elements = ((OtpErlangTuple) term).elements();
        BigInteger[] out = new BigInteger[elements.length];
        for (int k = 0; k < elements.length; k++) {
            if (!(elements[k] instanceof OtpErlangLong)) {
                return null;
            }
            out[k] = ((OtpErlangLong) elements[k]).bigIntegerValue();
        }
        return out;
    }

    /** The elements of a tuple of integers that fit a long, or null (bignums are outside every address range). */
    private static long[] smallIntegers(OtpErlangObject term) {
        if (!(term instanceof OtpErlangTuple)) {
            return null;
        }
        OtpErlangObject[] elements = ((OtpErlangTuple) term).elements();
        long[] out = new long[elements.length];
        for (int k = 0; k < elements.length; k++) {
            if (!(elements[k] instanceof OtpErlangLong) || !((OtpErlangLong) elements[k]).isLong()) {
                return null;
            }
            out[k] = ((OtpErlangLong) elements[k]).longValue();
        }
        return out;
    }

    /** A parser result as the address tuple BEAM builds. */
    public static OtpErlangTuple addressTuple(Number[] words) {
        OtpErlangObject[] out = new OtpErlangObject[words.length];
        for (int k = 0; k < words.length; k++) {
            out[k] = words[k] instanceof Double
                    ? new OtpErlangDouble((Double) words[k])
                    : Terms.integer(words[k].longValue());
        }
        return new OtpErlangTuple(out);
    }

    /** The parser's view of any term: a list's elements and whether it ends in {@code []}. */
    public static CharList charList(OtpErlangObject term) {
        if (term instanceof OtpErlangString) {
            return CharList.ofString(((OtpErlangString) term).stringValue());
        }
        if (!(term instanceof OtpErlangList)) {
            return CharList.notAList();
        }
        OtpErlangList first = (OtpErlangList) term;
        OtpErlangObject end = first.getLastTail();
        if (!(end instanceof OtpErlangList) && !(end instanceof OtpErlangString)) {
            // The usual list, in one piece: its elements go straight into an array of their number,
            // not through a growing list and a copy (a 10-million-element string is 40 MB each)
            Object[] items = new Object[first.arity()];
            for (int k = 0; k < items.length; k++) {
                items[k] = element(first.elementAt(k));
            }
            return CharList.wrap(items, end == null);
        }
        List<Object> items = new ArrayList<>();
        OtpErlangObject tail = term;
        // A tail may itself be a list on the wire (e.g. a string); the parser sees one flat list.
        while (true) {
            if (tail instanceof OtpErlangString) {
                ((OtpErlangString) tail).stringValue().codePoints().forEach(c -> items.add((long) c));
                return CharList.wrap(items.toArray(), true);
            }
            if (!(tail instanceof OtpErlangList)) {
                return CharList.wrap(items.toArray(), false);
            }
            OtpErlangList list = (OtpErlangList) tail;
            for (int k = 0, n = list.arity(); k < n; k++) {
                items.add(element(list.elementAt(k)));
            }
            if (list.isProper()) {
                return CharList.wrap(items.toArray(), true);
            }
            tail = list.getLastTail();
        }
    }

    private static Object element(OtpErlangObject e) {
        if (e instanceof OtpErlangLong) {
            OtpErlangLong n = (OtpErlangLong) e;
            return n.isLong() ? (Object) n.longValue() : n.bigIntegerValue();
        }
        if (e instanceof OtpErlangDouble) {
            return ((OtpErlangDouble) e).doubleValue();
        }
        return CharList.OTHER;
    }
}
