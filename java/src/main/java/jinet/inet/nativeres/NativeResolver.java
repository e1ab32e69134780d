package jinet.inet.nativeres;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.math.BigInteger;
import java.util.Optional;
import jinet.inet.AddressParser;
import jinet.inet.IoData;
import jinet.inet.FunctionClauseException;
import jinet.inet.InetModule;
import jinet.term.Terms;

/**
 * OTP's {@code inet_gethost_native} (kernel 8.5.3) with its port program inet_gethost: host
 * lookups through the C library, as inet's {@code native} lookup method makes them. Nothing is
 * cached, as on BEAM. The argument checks are the module's clauses; the lookups are those of the
 * port program's workers ({@link PortProgram}), scheduled as its main process schedules them
 * ({@link WorkerPool}) behind the Erlang server's request sharing and timeouts
 * ({@link GethostServer}).
 */
public final class NativeResolver {
    private static final NativeResolver INSTANCE = new NativeResolver(GlibcNetdb.INSTANCE, PoolConfig.defaults());
    private static final OtpErlangAtom INET = Terms.atom("inet");
    private static final OtpErlangAtom INET6 = Terms.atom("inet6");
    private static final BigInteger V4_LIMIT = BigInteger.valueOf(256);
    private static final BigInteger V6_LIMIT = BigInteger.valueOf(65536);
    /** DOMAINNAME_MAX less op, proto and the NUL: how much of a domain the port compares. */
    private static final int DOMAIN_CHARS = 255;

    private final Netdb netdb;
    private volatile GethostServer server;

    NativeResolver(Netdb netdb, PoolConfig config) {
        this.netdb = netdb;
        this.server = new GethostServer(netdb, config);
    }

    /** The process-wide resolver, on the defaults until {@link #configure} is called. */
    public static NativeResolver get() {
        return INSTANCE;
    }

    /**
     * Restarts the pool with new settings, as BEAM reads them when its server starts; lookups in
     * progress finish under the old ones.
     */
    public void configure(PoolConfig config) {
        server = new GethostServer(netdb, config);
    }

    /** What inet_gethost_native:gethostbyname(Name, Type) returns on BEAM: {ok, Hostent} | {error, Reason}. */
    public OtpErlangObject gethostbyname(OtpErlangObject name, OtpErlangObject type) {
        if (isList(name)) {
            if (INET.equals(type)) {
                return lookupName(PortProgram.PROTO_IPV4, name);
            }
            if (INET6.equals(type)) {
                return lookupName(PortProgram.PROTO_IPV6, name);
            }
            return Terms.error("formerr");
        }
        if (name instanceof OtpErlangAtom) {
            return gethostbyname(atomToList((OtpErlangAtom) name), type);
        }
        return Terms.error("formerr");
    }

    /**
     * What inet_gethost_native:gethostbyaddr(Addr) returns on BEAM.
     *
     * @throws FunctionClauseException where inet_parse:address raises function_clause on a
     *     malformed list, which BEAM lets through to the caller
     */
    public OtpErlangObject gethostbyaddr(OtpErlangObject addr) {
        if (addr instanceof OtpErlangTuple) {
            OtpErlangTuple t = (OtpErlangTuple) addr;
            // ?VALID_V4 / ?VALID_V6 check only the upper bound; <<A,B,C,D>> keeps the low bits.
            if (t.arity() == 4 && integersBelow(t, V4_LIMIT)) {
                byte[] b = new byte[4];
                for (int i = 0; i < 4; i++) {
                    b[i] = (byte) ((OtpErlangLong) t.elementAt(i)).bigIntegerValue().intValue();
                }
                return lookupAddress(PortProgram.PROTO_IPV4, b, addr);
            }
            if (t.arity() == 8 && integersBelow(t, V6_LIMIT)) {
                byte[] b = new byte[16];
                for (int i = 0; i < 8; i++) {
                    int w = ((OtpErlangLong) t.elementAt(i)).bigIntegerValue().intValue();
                    b[2 * i] = (byte) (w >> 8);
                    b[2 * i + 1] = (byte) w;
                }
                return lookupAddress(PortProgram.PROTO_IPV6, b, addr);
            }
            return Terms.error("formerr");
        }
        if (isList(addr)) {
            Optional<Number[]> ip = AddressParser.parseAddress(InetModule.charList(addr));
            return ip.isPresent() ? gethostbyaddr(InetModule.addressTuple(ip.get())) : Terms.error("formerr");
        }
        if (addr instanceof OtpErlangAtom) {
            return gethostbyaddr(atomToList((OtpErlangAtom) addr));
        }
        return Terms.error("formerr");
    }

    private OtpErlangObject lookupName(int proto, OtpErlangObject name) {
        byte[] bytes = IoData.bytes(name);
        return server.call(RequestKey.ofName(proto, name), PortProgram.OP_GETHOSTBYNAME, proto, bytes,
                bytes == null ? null : nameDomain(proto, bytes), name);
    }

    private OtpErlangObject lookupAddress(int proto, byte[] address, OtpErlangObject addr) {
        byte[] domain = new byte[2 + address.length - 1];
        domain[0] = PortProgram.OP_GETHOSTBYADDR;
        domain[1] = (byte) proto;
        System.arraycopy(address, 0, domain, 2, address.length - 1);
        return server.call(RequestKey.ofAddress(proto, address), PortProgram.OP_GETHOSTBYADDR, proto, address,
                domain, addr);
    }

    /** domaincopy: op, proto and the name from its first dot to its NUL, at most 255 bytes. */
    private static byte[] nameDomain(int proto, byte[] name) {
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        int dot = 0;
        while (dot < end && name[dot] != '.') {
            dot++;
        }
        int len = Math.min(end - dot, DOMAIN_CHARS);
        byte[] domain = new byte[2 + len];
        domain[0] = PortProgram.OP_GETHOSTBYNAME;
        domain[1] = (byte) proto;
        System.arraycopy(name, dot, domain, 2, len);
        return domain;
    }

    private static boolean isList(OtpErlangObject t) {
        return t instanceof OtpErlangList || t instanceof OtpErlangString;
    }

    private static OtpErlangObject atomToList(OtpErlangAtom atom) {
        String s = atom.atomValue();
        return s.isEmpty() ? new OtpErlangList() : new OtpErlangString(s);
    }

    private static boolean integersBelow(OtpErlangTuple t, BigInteger limit) {
        for (OtpErlangObject e : t.elements()) {
            if (!(e instanceof OtpErlangLong) || ((OtpErlangLong) e).bigIntegerValue().compareTo(limit) >= 0) {
                return false;
            }
        }
        return true;
    }
}
