package jinet.socket;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.netty.channel.Channel;
import io.netty.channel.WriteBufferWaterMark;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import jinet.term.Terms;

/**
 * The socket options as data, as inet's option tables are: each name with the values it takes,
 * how it is set and how getopts reads it back. Options the kernel keeps are read back from the
 * socket, so getopts shows what the kernel made of a value (sndbuf doubled, for one).
 */
final class SocketOption {
    /** Where an option may be given. */
    static final int CONNECT = 1;
    static final int LISTEN = 2;
    static final int UDP = 4;
    static final int STREAM = CONNECT | LISTEN;
    static final int ALL = STREAM | UDP;

    final String name;
    final int scope;
    final Predicate<OtpErlangObject> valid;
    final BiConsumer<SocketProcess, OtpErlangObject> set;
    final Function<SocketProcess, OtpErlangObject> get;

    private SocketOption(String name, int scope, Predicate<OtpErlangObject> valid,
                         BiConsumer<SocketProcess, OtpErlangObject> set, Function<SocketProcess, OtpErlangObject> get) {
        this.name = name;
        this.scope = scope;
        this.valid = valid;
        this.set = set;
        this.get = get;
    }

    private static final Map<String, SocketOption> TABLE = new HashMap<>();

    /** Kept once buffer was given a value: recbuf no longer raises it. */
    static final String BUFFER_GIVEN = "$buffer_given";

    static SocketOption named(String name) {
        return TABLE.get(name);
    }

    private static void add(String name, int scope, Predicate<OtpErlangObject> valid,
                            BiConsumer<SocketProcess, OtpErlangObject> set, Function<SocketProcess, OtpErlangObject> get) {
        TABLE.put(name, new SocketOption(name, scope, valid, set, get));
    }

    /** An option the socket process keeps and acts on (or only keeps, for one with no effect yet). */
    private static void kept(String name, int scope, Predicate<OtpErlangObject> valid) {
        add(name, scope, valid, (s, v) -> s.keep(name, v), s -> s.kept(name));
    }

    /**
     * An option the kernel keeps, set and read on the descriptor; getopts leaves it out where
     * the socket has no such option (nodelay on a local socket, ipv6_v6only on an IPv4 one).
     */
    private static void os(String name, int scope, boolean bool, int level, int optname) {
        SockOpt opt = new SockOpt(level, optname);
        Predicate<OtpErlangObject> valid = bool ? SocketOption::isBool
                : v -> isIntIn(v, Integer.MIN_VALUE, Integer.MAX_VALUE); // the kernel clamps, as for BEAM
        add(name, scope, valid, (s, v) -> opt.set(s.channel(), bool ? (bool(v) ? 1 : 0) : integer(v)), s -> {
            Integer v = opt.get(s.channel());
            return v == null ? null : bool ? Terms.bool(v != 0) : new OtpErlangLong(v);
        });
    }

    static {
        kept("active", ALL, v -> isAtomIn(v, "true", "false", "once") || isIntIn(v, -32768, 32767));
        kept("mode", ALL, v -> isAtomIn(v, "binary", "list"));
        kept("exit_on_close", STREAM, SocketOption::isBool);
        kept("show_econnreset", STREAM, SocketOption::isBool);
        kept("send_timeout", STREAM, v -> isAtomIn(v, "infinity") || isIntIn(v, 0, Integer.MAX_VALUE));
        kept("send_timeout_close", STREAM, SocketOption::isBool);
        kept("delay_send", STREAM, SocketOption::isBool);
        kept("deliver", ALL, v -> isAtomIn(v, "port", "term"));
        kept("header", ALL, v -> isIntIn(v, 0, Integer.MAX_VALUE));
        kept("packet_size", STREAM, v -> isIntIn(v, 0, Integer.MAX_VALUE));
        // raw is another name of 0, and getopts shows 0 (the other packet types come with framing)
        add("packet", STREAM, v -> isAtomIn(v, "raw") || isIntIn(v, 0, 0), (s, v) -> s.keep("packet",
                new OtpErlangLong(0)), s -> s.kept("packet"));
        kept("high_msgq_watermark", ALL, v -> isIntIn(v, 1, Integer.MAX_VALUE));
        kept("low_msgq_watermark", ALL, v -> isIntIn(v, 1, Integer.MAX_VALUE));
        kept("bind_to_device", ALL, v -> v instanceof OtpErlangBinary);
        add("high_watermark", STREAM, v -> isIntIn(v, 0, Integer.MAX_VALUE), (s, v) -> {
            s.keep("high_watermark", v);
            s.waterMarksChanged();
        }, s -> s.kept("high_watermark"));
        add("low_watermark", STREAM, v -> isIntIn(v, 0, Integer.MAX_VALUE), (s, v) -> {
            s.keep("low_watermark", v);
            s.waterMarksChanged();
        }, s -> s.kept("low_watermark"));
        os("reuseaddr", ALL, true, SockOpt.SOL_SOCKET, 2);
        os("dontroute", ALL, true, SockOpt.SOL_SOCKET, 5);
        os("broadcast", ALL, true, SockOpt.SOL_SOCKET, 6);
        os("sndbuf", ALL, false, SockOpt.SOL_SOCKET, 7);
        os("keepalive", STREAM, true, SockOpt.SOL_SOCKET, 9);
        os("priority", ALL, false, SockOpt.SOL_SOCKET, 12);
        os("nodelay", STREAM, true, SockOpt.IPPROTO_TCP, 1);
        os("tos", ALL, false, SockOpt.IPPROTO_IP, 1);
        os("ttl", ALL, false, SockOpt.IPPROTO_IP, 2);
        os("recvttl", ALL, true, SockOpt.IPPROTO_IP, 12);
        os("recvtos", ALL, true, SockOpt.IPPROTO_IP, 13);
        os("multicast_ttl", UDP, false, SockOpt.IPPROTO_IP, 33);
        os("multicast_loop", UDP, true, SockOpt.IPPROTO_IP, 34);
        os("ipv6_v6only", ALL, true, SockOpt.IPPROTO_IPV6, 26);
        os("recvtclass", ALL, true, SockOpt.IPPROTO_IPV6, 66);
        os("tclass", ALL, false, SockOpt.IPPROTO_IPV6, 67);
        kept("read_packets", UDP, v -> isIntIn(v, 1, Integer.MAX_VALUE));
        // recbuf also raises buffer, until buffer is given a value of its own (the inet driver's rule)
        SockOpt rcvbuf = new SockOpt(SockOpt.SOL_SOCKET, 8);
        add("recbuf", ALL, v -> isIntIn(v, Integer.MIN_VALUE, Integer.MAX_VALUE), (s, v) -> {
            rcvbuf.set(s.channel(), integer(v));
            if (!s.isKeptHere(BUFFER_GIVEN) && integer(v) > s.keptInt("buffer")) {
                s.keep("buffer", v);
                s.bufferChanged();
            }
        }, s -> {
            Integer v = rcvbuf.get(s.channel());
            return v == null ? null : new OtpErlangLong(v);
        });
        add("buffer", ALL, v -> isIntIn(v, Integer.MIN_VALUE, Integer.MAX_VALUE), (s, v) -> {
            s.keep("buffer", new OtpErlangLong(Math.max(1, integer(v))));
            s.keep(BUFFER_GIVEN, Terms.TRUE);
            s.bufferChanged();
        }, s -> s.kept("buffer"));
        add("linger", STREAM, SocketOption::isLinger, (s, v) -> {
            OtpErlangTuple t = (OtpErlangTuple) v;
            SockOpt.setLinger(s.channel(), bool(t.elementAt(0)), integer(t.elementAt(1)));
        }, s -> {
            int[] l = SockOpt.getLinger(s.channel());
            return Terms.tuple(Terms.bool(l[0] != 0), new OtpErlangLong(l[1]));
        });
    }

    /** The defaults BEAM's inet driver starts a socket with, for the options the process keeps. */
    static final Map<String, OtpErlangObject> DEFAULTS = Map.ofEntries(
            Map.entry("active", Terms.atom("true")),
            Map.entry("mode", Terms.atom("list")),
            Map.entry("exit_on_close", Terms.bool(true)),
            Map.entry("show_econnreset", Terms.bool(false)),
            Map.entry("send_timeout", Terms.atom("infinity")),
            Map.entry("send_timeout_close", Terms.bool(false)),
            Map.entry("delay_send", Terms.bool(false)),
            Map.entry("deliver", Terms.atom("term")),
            Map.entry("header", new OtpErlangLong(0)),
            Map.entry("packet_size", new OtpErlangLong(0)),
            Map.entry("packet", new OtpErlangLong(0)),
            Map.entry("buffer", new OtpErlangLong(1460)),
            Map.entry("high_msgq_watermark", new OtpErlangLong(8192)),
            Map.entry("low_msgq_watermark", new OtpErlangLong(4096)),
            Map.entry("high_watermark", new OtpErlangLong(8192)),
            Map.entry("low_watermark", new OtpErlangLong(4096)),
            Map.entry("bind_to_device", new OtpErlangBinary(new byte[0])),
            Map.entry("read_packets", new OtpErlangLong(5)));


    /** Netty's write watermarks, from high_watermark and low_watermark as inet orders them. */
    static WriteBufferWaterMark waterMark(int low, int high) {
        return new WriteBufferWaterMark(Math.min(low, high), Math.max(high, 1));
    }

    static void applyWaterMark(Channel ch, int low, int high) {
        ch.config().setWriteBufferWaterMark(waterMark(low, high));
    }

    // ---- value checks ------------------------------------------------------------------------

    static boolean isBool(OtpErlangObject v) {
        return isAtomIn(v, "true", "false");
    }

    static boolean bool(OtpErlangObject v) {
        return Terms.isAtom(v, "true");
    }

    static int integer(OtpErlangObject v) {
        return (int) ((OtpErlangLong) v).longValue();
    }

    static boolean isAtomIn(OtpErlangObject v, String... names) {
        if (v instanceof OtpErlangAtom) {
            String a = ((OtpErlangAtom) v).atomValue();
            for (String n : names) {
                if (n.equals(a)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isIntIn(OtpErlangObject v, long min, long max) {
        if (!(v instanceof OtpErlangLong) || ((OtpErlangLong) v).bitLength() > 63) {
            return false;
        }
        long n = ((OtpErlangLong) v).longValue();
        return n >= min && n <= max;
    }

    private static boolean isLinger(OtpErlangObject v) {
        return v instanceof OtpErlangTuple && ((OtpErlangTuple) v).arity() == 2
                && isBool(((OtpErlangTuple) v).elementAt(0))
                && isIntIn(((OtpErlangTuple) v).elementAt(1), 0, 65535);
    }
}
