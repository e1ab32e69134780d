package jinet.inet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangBitstr;
import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import jinet.term.ErlangException;
import jinet.term.Terms;
import org.junit.jupiter.api.Test;

/**
 * getservbyname/2, getservbyport/2 and the is_*_address/1 predicates, term in, term out, on a
 * small database shaped like Debian's /etc/services. Expected answers are what OTP 25 gave on
 * the same inputs.
 */
class ServicesModuleTest {
    private static final ServiceLookup LOOKUP = new ServiceLookup(() -> ServicesDatabase.parse((
            "http\t\t80/tcp\t\twww\t\t# WorldWideWeb HTTP\n"
                    + "echo\t\t7/tcp\necho\t\t7/udp\n"
                    + "daytime\t\t13/tcp\ndaytime\t\t13/udp\n"
                    + "echo\t\t4/ddp\t\t\t# AppleTalk Echo Protocol\n"
                    + "amqp\t\t5672/tcp\namqp\t\t5672/sctp\n")
            .getBytes(StandardCharsets.ISO_8859_1)));

    private static OtpErlangAtom a(String s) {
        return new OtpErlangAtom(s);
    }

    private static OtpErlangString s(String s) {
        return new OtpErlangString(s);
    }

    private static OtpErlangLong i(long n) {
        return new OtpErlangLong(n);
    }

    private static OtpErlangBinary b(String s) {
        return new OtpErlangBinary(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static OtpErlangList l(OtpErlangObject... es) {
        return new OtpErlangList(es);
    }

    private static OtpErlangList improper(OtpErlangObject tail, OtpErlangObject... es) {
        try {
            return new OtpErlangList(es, tail);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final OtpErlangObject EINVAL = Terms.error("einval");

    private static OtpErlangObject byName(OtpErlangObject name, OtpErlangObject proto) throws ErlangException {
        return ServicesModule.getservbyname(LOOKUP, name, proto);
    }

    private static OtpErlangObject byPort(OtpErlangObject port, OtpErlangObject proto) throws ErlangException {
        return ServicesModule.getservbyport(LOOKUP, port, proto);
    }

    private static void raises(String reason, ThrowingCall call) {
        ErlangException e = assertThrows(ErlangException.class, call::run);
        assertEquals(ErlangException.Kind.ERROR, e.kind());
        assertEquals(a(reason), e.reason());
    }

    interface ThrowingCall {
        void run() throws ErlangException;
    }

    @Test
    void getservbynameFindsNamesAndAliases() throws ErlangException {
        assertEquals(Terms.ok(i(80)), byName(a("http"), a("tcp")));
        assertEquals(Terms.ok(i(80)), byName(a("http"), s("tcp")));
        assertEquals(Terms.ok(i(80)), byName(a("www"), a("tcp")));
        assertEquals(Terms.ok(i(4)), byName(a("echo"), a("ddp")));
        assertEquals(Terms.ok(i(5672)), byName(a("amqp"), a("sctp")));
        assertEquals(EINVAL, byName(a("HTTP"), a("tcp")));
        assertEquals(EINVAL, byName(a("http"), a("TCP")));
        assertEquals(EINVAL, byName(a("http"), a("udp")));
        assertEquals(EINVAL, byName(a(""), a("tcp")));
    }

    @Test
    void getservbynameWantsAnAtomForName() {
        raises("function_clause", () -> byName(s("http"), a("tcp")));
        raises("function_clause", () -> byName(b("http"), a("tcp")));
        raises("function_clause", () -> byName(i(80), a("tcp")));
        raises("function_clause", () -> byName(s("http"), improper(a("cp"), i('t'))));
    }

    @Test
    void theProtocolIsLengthPrefixedIodataReadAsACString() throws ErlangException {
        // [<<"t">>,<<"cp">>,0]: length 3, bytes "tcp\0" -> "tcp"
        assertEquals(Terms.ok(i(80)), byName(a("http"), l(b("t"), b("cp"), i(0))));
        // "tcp\0x": the NUL ends it
        assertEquals(Terms.ok(i(80)), byName(a("http"), s("tcp\0x")));
        assertEquals(Terms.ok(i(80)), byName(a("http\0x"), a("tcp")));
        // [<<"tcp">>]: length 1 -> "t"; ["tcp"] likewise; [[],"tcp"]: length 2 -> "tc"
        assertEquals(EINVAL, byName(a("http"), l(b("tcp"))));
        assertEquals(EINVAL, byName(a("http"), l(s("tcp"))));
        assertEquals(EINVAL, byName(a("http"), l(l(), s("tcp"))));
        // not iodata, or too long
        assertEquals(EINVAL, byName(a("http"), l(i(256))));
        assertEquals(EINVAL, byName(a("http"), l(i(-1))));
        assertEquals(EINVAL, byName(a("http"), l(a("foo"))));
        assertEquals(EINVAL, byName(a("http"), l(i('t'), i('c'), i('p'), new OtpErlangDouble(1.0))));
        assertEquals(EINVAL, byName(a("http"), s("a".repeat(256))));
        assertEquals(EINVAL, byName(a("http"), new OtpErlangList()));
        assertEquals(EINVAL, byName(a("\u00fc"), a("tcp")));
        assertEquals(EINVAL, byName(a("\u03a9"), a("tcp")));
        assertEquals(EINVAL, byName(a("http"), a("\u00e9")));
        // neither atom nor list
        assertEquals(EINVAL, byName(a("http"), b("tcp")));
        assertEquals(EINVAL, byName(a("http"), i(1)));
        assertEquals(EINVAL, byName(a("http"), new OtpErlangTuple(a("tcp"))));
    }

    @Test
    void nestedIodataMayEndInABinary() throws ErlangException {
        // [[$t | <<"cp">>], 0, 0]: length 3, bytes "tcp\0\0"
        assertEquals(Terms.ok(i(80)), byName(a("http"), l(improper(b("cp"), i('t')), i(0), i(0))));
        // a bitstring is not iodata
        assertEquals(EINVAL, byName(a("http"),
                l(new OtpErlangBitstr(new byte[] {'t', 'c', 'p'}, 1), i(0), i(0))));
    }

    @Test
    void anImproperProtocolIsBadarg() {
        raises("badarg", () -> byName(a("http"), improper(a("cp"), i('t'))));
        raises("badarg", () -> byPort(i(80), improper(a("cp"), i('t'))));
        raises("badarg", () -> byPort(a("foo"), improper(a("cp"), i('t'))));
    }

    @Test
    void getservbyportFindsTheOfficialName() throws ErlangException {
        assertEquals(Terms.ok(s("http")), byPort(i(80), a("tcp")));
        assertEquals(Terms.ok(s("http")), byPort(i(80), s("tcp")));
        assertEquals(Terms.ok(s("http")), byPort(i(80), s("tcp\0")));
        assertEquals(Terms.ok(s("daytime")), byPort(i(13), a("udp")));
        assertEquals(Terms.ok(s("amqp")), byPort(i(5672), a("sctp")));
        assertEquals(EINVAL, byPort(i(7), a("ddp")));
        assertEquals(EINVAL, byPort(i(0), a("tcp")));
        assertEquals(EINVAL, byPort(i(80), new OtpErlangList()));
        assertEquals(EINVAL, byPort(i(80), b("tcp")));
        assertEquals(EINVAL, byPort(i(80), l(b("tcpx"), i(1), i(2), i(3))));
    }

    @Test
    void portsOutsideTheRangeAreEinvalAndFloatsInsideItBadarith() throws ErlangException {
        assertEquals(EINVAL, byPort(i(-1), a("tcp")));
        assertEquals(EINVAL, byPort(i(65536), a("tcp")));
        assertEquals(EINVAL, byPort(new OtpErlangLong(BigInteger.ONE.shiftLeft(70)), a("tcp")));
        assertEquals(EINVAL, byPort(new OtpErlangLong(BigInteger.ONE.shiftLeft(70).negate()), a("tcp")));
        assertEquals(EINVAL, byPort(s("80"), a("tcp")));
        assertEquals(EINVAL, byPort(a("http"), a("tcp")));
        assertEquals(EINVAL, byPort(new OtpErlangDouble(-0.5), a("tcp")));
        assertEquals(EINVAL, byPort(new OtpErlangDouble(65535.5), a("tcp")));
        assertEquals(EINVAL, byPort(new OtpErlangDouble(80.0), s("a".repeat(256))));
        raises("badarith", () -> byPort(new OtpErlangDouble(80.0), a("tcp")));
        raises("badarith", () -> byPort(new OtpErlangDouble(80.5), a("foo")));
        raises("badarith", () -> byPort(new OtpErlangDouble(-0.0), a("tcp")));
        raises("badarith", () -> byPort(new OtpErlangDouble(1.0), l(i(256))));
    }

    private static BigInteger[] tuple(OtpErlangObject... es) {
        return ServicesModule.integerTuple(new OtpErlangTuple(es));
    }

    @Test
    void predicatesTakeOnlyIntegerTuplesInRange() {
        assertTrue(IpAddressPredicates.isIpv4Address(tuple(i(1), i(2), i(3), i(4))));
        assertTrue(IpAddressPredicates.isIpv4Address(tuple(i(255), i(255), i(255), i(0))));
        assertFalse(IpAddressPredicates.isIpv4Address(tuple(i(256), i(0), i(0), i(0))));
        assertFalse(IpAddressPredicates.isIpv4Address(tuple(i(-1), i(0), i(0), i(0))));
        assertFalse(IpAddressPredicates.isIpv4Address(tuple(new OtpErlangDouble(1.0), i(0), i(0), i(0))));
        assertFalse(IpAddressPredicates.isIpv4Address(
                tuple(new OtpErlangLong(BigInteger.ONE.shiftLeft(70)), i(0), i(0), i(0))));
        assertFalse(IpAddressPredicates.isIpv4Address(tuple(i(1), i(2), i(3))));
        assertFalse(IpAddressPredicates.isIpv4Address(ServicesModule.integerTuple(s("1.2.3.4"))));
        assertTrue(IpAddressPredicates.isIpv6Address(
                tuple(i(65535), i(0), i(0), i(0), i(0), i(0), i(0), i(1))));
        assertFalse(IpAddressPredicates.isIpv6Address(
                tuple(i(65535), i(0), i(0), i(0), i(0), i(0), i(0), i(-1))));
        assertFalse(IpAddressPredicates.isIpv6Address(
                tuple(i(65536), i(0), i(0), i(0), i(0), i(0), i(0), i(0))));
        assertFalse(IpAddressPredicates.isIpv6Address(tuple(i(1), i(2), i(3), i(4))));
        assertTrue(IpAddressPredicates.isIpAddress(tuple(i(1), i(2), i(3), i(4))));
        assertTrue(IpAddressPredicates.isIpAddress(tuple(i(0), i(0), i(0), i(0), i(0), i(0), i(0), i(0))));
        assertFalse(IpAddressPredicates.isIpAddress(tuple()));
        assertFalse(IpAddressPredicates.isIpAddress(null));
    }
}
