package jinet.inet;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBitstr;
import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import jinet.term.ErlangException;
import jinet.term.Exporter;
import jinet.term.Terms;

/**
 * The Erlang-facing half of {@code inet:getservbyname/2}, {@code getservbyport/2},
 * {@code is_ip_address/1}, {@code is_ipv4_address/1} and {@code is_ipv6_address/1}: terms
 * into the models of {@link ServiceLookup} and {@link IpAddressPredicates}, results back into
 * the terms BEAM gives.
 */
public final class ServicesModule {
    private static final String MODULE = "inet";

    private ServicesModule() {
    }

    public static void exportTo(Exporter exports) {
        ServiceLookup lookup = ServiceLookup.system();
        exports.exportBlocking(MODULE, "getservbyname", 2, args -> getservbyname(lookup, args[0], args[1]));
        exports.exportBlocking(MODULE, "getservbyport", 2, args -> getservbyport(lookup, args[0], args[1]));
        predicate(exports, "is_ipv4_address", IpAddressPredicates::isIpv4Address);
        predicate(exports, "is_ipv6_address", IpAddressPredicates::isIpv6Address);
        predicate(exports, "is_ip_address", IpAddressPredicates::isIpAddress);
    }

    private static void predicate(Exporter exports, String name, Predicate<BigInteger[]> test) {
        exports.export(MODULE, name, 1,
                args -> new OtpErlangAtom(test.test(integerTuple(args[0]))));
    }

    /** The service name of {@code port} for {@code protocol}, as inet:i prints a port; empty when it has none. */
    public static java.util.Optional<String> serviceName(int port, String protocol) {
        return ServiceLookup.system().getservbyport(ServiceLookup.PortArg.integer(port),
                ServiceLookup.Text.ofString(protocol)).value()
                .map(bytes -> new String(bytes, StandardCharsets.ISO_8859_1));
    }

    static OtpErlangObject getservbyname(ServiceLookup lookup, OtpErlangObject name,
                                         OtpErlangObject protocol) throws ErlangException {
        int[] chars = name instanceof OtpErlangAtom
                ? ((OtpErlangAtom) name).atomValue().codePoints().toArray()
                : null;
        ServiceLookup.Outcome<Integer> out = lookup.getservbyname(chars, text(protocol));
        return answer(out, port -> new OtpErlangLong(port));
    }

    static OtpErlangObject getservbyport(ServiceLookup lookup, OtpErlangObject port,
                                         OtpErlangObject protocol) throws ErlangException {
        ServiceLookup.Outcome<byte[]> out = lookup.getservbyport(portArg(port), text(protocol));
        return answer(out, bytes -> new OtpErlangString(new String(bytes, StandardCharsets.ISO_8859_1)));
    }

    private static <T> OtpErlangObject answer(ServiceLookup.Outcome<T> out,
                                              java.util.function.Function<T, OtpErlangObject> term)
            throws ErlangException {
        if (out.exception().isPresent()) {
            throw ErlangException.error(out.exception().get());
        }
        return out.value().map(v -> (OtpErlangObject) Terms.ok(term.apply(v)))
                .orElse(Terms.error("einval"));
    }

    /** A tuple's elements (integers, null for anything else), or null for a non-tuple. */
    static BigInteger[] integerTuple(OtpErlangObject term) {
        if (!(term instanceof OtpErlangTuple)) {
            return null;
        }
        OtpErlangObject[] elements = ((OtpErlangTuple) term).elements();
        BigInteger[] out = new BigInteger[elements.length];
        for (int i = 0; i < elements.length; i++) {
            if (elements[i] instanceof OtpErlangLong) {
                out[i] = ((OtpErlangLong) elements[i]).bigIntegerValue();
            }
        }
        return out;
    }

    static ServiceLookup.PortArg portArg(OtpErlangObject term) {
        if (term instanceof OtpErlangLong) {
            return ServiceLookup.PortArg.integer(((OtpErlangLong) term).bigIntegerValue());
        }
        if (term instanceof OtpErlangDouble) {
            return ServiceLookup.PortArg.real(((OtpErlangDouble) term).doubleValue());
        }
        return ServiceLookup.PortArg.other();
    }

    /** A protocol term as {@code prim_inet} sees it. */
    static ServiceLookup.Text text(OtpErlangObject term) {
        if (term instanceof OtpErlangAtom) {
            return ServiceLookup.Text.ofString(((OtpErlangAtom) term).atomValue());
        }
        if (term instanceof OtpErlangString) {
            return ServiceLookup.Text.ofString(((OtpErlangString) term).stringValue());
        }
        if (!(term instanceof OtpErlangList)) {
            return ServiceLookup.Text.other();
        }
        long length = 0;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean iodata = true;
        OtpErlangObject tail = term;
        while (true) {
            if (tail instanceof OtpErlangString) { // more elements, as a string on the wire
                int[] cps = ((OtpErlangString) tail).stringValue().codePoints().toArray();
                length += cps.length;
                for (int c : cps) {
                    iodata &= c >= 0 && c <= 255;
                    bytes.write(c);
                }
                break;
            }
            if (!(tail instanceof OtpErlangList)) {
                return ServiceLookup.Text.improperList();
            }
            OtpErlangList list = (OtpErlangList) tail;
            for (OtpErlangObject e : list.elements()) {
                length++;
                iodata = iodata && flatten(e, bytes);
            }
            if (list.isProper()) {
                break;
            }
            tail = list.getLastTail();
        }
        return ServiceLookup.Text.ofList(length, iodata ? bytes.toByteArray() : null);
    }

    /** Appends an iolist element's bytes; false when it is not one. */
    private static boolean flatten(OtpErlangObject e, ByteArrayOutputStream out) {
        if (e instanceof OtpErlangLong) {
            OtpErlangLong n = (OtpErlangLong) e;
            if (!n.isLong() || n.longValue() < 0 || n.longValue() > 255) {
                return false;
            }
            out.write((int) n.longValue());
            return true;
        }
        if (e instanceof OtpErlangBitstr) {
            OtpErlangBitstr b = (OtpErlangBitstr) e;
            if (b.pad_bits() != 0) {
                return false;
            }
            out.writeBytes(b.binaryValue());
            return true;
        }
        if (e instanceof OtpErlangString) {
            for (int c : ((OtpErlangString) e).stringValue().codePoints().toArray()) {
                if (c > 255) {
                    return false;
                }
                out.write(c);
            }
            return true;
        }
        if (e instanceof OtpErlangList) {
            OtpErlangList list = (OtpErlangList) e;
            for (OtpErlangObject x : list.elements()) {
                if (!flatten(x, out)) {
                    return false;
                }
            }
            if (list.isProper()) {
                return true;
            }
            OtpErlangObject tail = list.getLastTail();
            // An iolist's tail may be a binary (or, on the wire, more list).
            return tail instanceof OtpErlangBitstr || tail instanceof OtpErlangList
                    || tail instanceof OtpErlangString ? flatten(tail, out) : false;
        }
        return false;
    }
}
