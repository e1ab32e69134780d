package jinet.socket;

import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import io.netty.channel.unix.DomainSocketAddress;
import jinet.inet.FileNames;
import jinet.term.Terms;

/** Socket addresses between Erlang's terms ({IP, Port}, address tuples, sockaddr maps) and Java's. */
final class Addresses {
    static final OtpErlangAtom LOCAL = Terms.atom("local");

    private Addresses() {
    }

    static OtpErlangTuple toTerm(InetSocketAddress a) {
        return Terms.tuple(ip(a.getAddress()), new OtpErlangLong(a.getPort()));
    }

    /** {@code {IP, Port}}, or {@code {local, Path}} for a local socket (an unnamed one's path is empty). */
    static OtpErlangTuple toTerm(SocketAddress a) {
        if (a instanceof InetSocketAddress) {
            return toTerm((InetSocketAddress) a);
        }
        return Terms.tuple(LOCAL, localPath(a));
    }

    static OtpErlangBinary localPath(SocketAddress a) {
        String path = a instanceof DomainSocketAddress ? ((DomainSocketAddress) a).path() : "";
        return new OtpErlangBinary(path.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code {local, Path}} as a local socket address: a binary is the name's bytes, a string
     * is encoded as erl encodes file names; null when it is neither or does not encode.
     */
    static DomainSocketAddress local(OtpErlangObject address) {
        if (!(address instanceof OtpErlangTuple) || ((OtpErlangTuple) address).arity() != 2
                || !Terms.isAtom(((OtpErlangTuple) address).elementAt(0), "local")) {
            return null;
        }
        byte[] bytes = FileNames.toBytes(((OtpErlangTuple) address).elementAt(1));
        return bytes == null ? null : new DomainSocketAddress(new String(bytes, StandardCharsets.UTF_8));
    }

    static OtpErlangTuple ip(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return Terms.tuple(n(b[0] & 0xff), n(b[1] & 0xff), n(b[2] & 0xff), n(b[3] & 0xff));
        }
        OtpErlangObject[] words = new OtpErlangObject[8];
        for (int i = 0; i < 8; i++) {
            words[i] = n(((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff));
        }
        return new OtpErlangTuple(words);
    }

    private static OtpErlangLong n(int v) {
        return new OtpErlangLong(v);
    }

    /** An address tuple of 4 bytes or 8 words as a Java address; null when it is not one. */
    static InetAddress fromTerm(OtpErlangObject ip) {
        if (!(ip instanceof OtpErlangTuple)) {
            return null;
        }
        OtpErlangTuple t = (OtpErlangTuple) ip;
        try {
            if (t.arity() == 4) {
                byte[] b = new byte[4];
                for (int i = 0; i < 4; i++) {
                    if (!SocketOption.isIntIn(t.elementAt(i), 0, 255)) {
                        return null;
                    }
                    b[i] = (byte) SocketOption.integer(t.elementAt(i));
                }
                return InetAddress.getByAddress(b);
            }
            if (t.arity() == 8) {
                byte[] b = new byte[16];
                for (int i = 0; i < 8; i++) {
                    if (!SocketOption.isIntIn(t.elementAt(i), 0, 65535)) {
                        return null;
                    }
                    int w = SocketOption.integer(t.elementAt(i));
                    b[2 * i] = (byte) (w >> 8);
                    b[2 * i + 1] = (byte) w;
                }
                // getByAddress would turn ::ffff:a.b.c.d into an IPv4 address; an IPv6 socket needs the 16 bytes
                return Inet6Address.getByAddress(null, b, null);
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }

    /** {@code any}, {@code loopback} or a tuple, in the family; null when it is none of them. */
    static InetAddress fromTerm(OtpErlangObject ip, String family) {
        boolean six = family.equals("inet6");
        try {
            if (Terms.isAtom(ip, "any")) {
                return InetAddress.getByAddress(new byte[six ? 16 : 4]);
            }
            if (Terms.isAtom(ip, "loopback")) {
                return six ? InetAddress.getByName("::1") : InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            }
        } catch (UnknownHostException e) {
            return null;
        }
        if (ip instanceof OtpErlangMap) {
            return fromTerm(((OtpErlangMap) ip).get(Terms.atom("addr")), family);
        }
        InetAddress a = fromTerm(ip);
        if (a == null || (a instanceof Inet4Address) == six) {
            return null;
        }
        return a;
    }

    static int port(OtpErlangObject sockaddr) {
        if (sockaddr instanceof OtpErlangMap) {
            OtpErlangObject p = ((OtpErlangMap) sockaddr).get(Terms.atom("port"));
            return SocketOption.isIntIn(p, 0, 65535) ? SocketOption.integer(p) : -1;
        }
        return -1;
    }
}
