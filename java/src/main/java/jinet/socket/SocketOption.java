package jinet.socket;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
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

    /** An option the kernel keeps, set and read through the channel. */
    private static <T> void os(String name, int scope, Predicate<OtpErlangObject> valid, ChannelOption<T> option,
                               Function<OtpErlangObject, T> toJava, Function<T, OtpErlangObject> toTerm) {
        add(name, scope, valid, (s, v) -> s.channel().config().setOption(option, toJava.apply(v)),
                s -> toTerm.apply(s.channel().config().getOption(option)));
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
        kept("packet", STREAM, v -> isAtomIn(v, "raw") || isIntIn(v, 0, 0));
        kept("buffer", ALL, v -> isIntIn(v, 0, Integer.MAX_VALUE));
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
        os("reuseaddr", ALL, SocketOption::isBool, ChannelOption.SO_REUSEADDR, SocketOption::bool, Terms::bool);
        os("keepalive", STREAM, SocketOption::isBool, ChannelOption.SO_KEEPALIVE, SocketOption::bool, Terms::bool);
        // Kept as well as set: a listener has no such option, and what it was given goes to what it accepts
        add("nodelay", STREAM, SocketOption::isBool, (s, v) -> {
            s.keep("nodelay", v);
            s.applyNodelay();
        }, s -> s.kept("nodelay"));
        // Any int: the kernel clamps what it takes, as it does for BEAM
        os("recbuf", ALL, v -> isIntIn(v, Integer.MIN_VALUE, Integer.MAX_VALUE), ChannelOption.SO_RCVBUF, SocketOption::integer,
                OtpErlangLong::new);
        os("sndbuf", ALL, v -> isIntIn(v, Integer.MIN_VALUE, Integer.MAX_VALUE), ChannelOption.SO_SNDBUF, SocketOption::integer,
                OtpErlangLong::new);
        os("broadcast", UDP, SocketOption::isBool, ChannelOption.SO_BROADCAST, SocketOption::bool, Terms::bool);
        os("tos", ALL, v -> isIntIn(v, 0, 255), ChannelOption.IP_TOS, SocketOption::integer, OtpErlangLong::new);
        add("linger", STREAM, SocketOption::isLinger, (s, v) -> {
            OtpErlangTuple t = (OtpErlangTuple) v;
            int seconds = integer(t.elementAt(1));
            s.channel().config().setOption(ChannelOption.SO_LINGER, bool(t.elementAt(0)) ? seconds : -1);
            s.keep("linger", v);
        }, s -> s.kept("linger"));
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
            Map.entry("linger", Terms.tuple(Terms.bool(false), new OtpErlangLong(0))),
            Map.entry("nodelay", Terms.bool(false)));

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
