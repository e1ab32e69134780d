package jinet.inet.ifaddrs;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jinet.inet.FileNames;
import jinet.term.ErlangException;
import jinet.term.Terms;

/**
 * {@code getifaddrs(Opts)} opens a UDP socket with {@code inet_udp:open(0, Opts)}: the options are
 * parsed as {@code inet:udp_options/2} parses {@code [{port,0},{recbuf,8192}|Opts]} (a bad option:
 * {@code exit(badarg)}; an improper tail: {@code function_clause}), then checked as inet_udp
 * checks the bind address and port.
 */
final class UdpOptions {
    private static final Set<String> UDP_OPTIONS = Set.of(
            "debug", "tos", "tclass", "priority", "reuseaddr", "sndbuf", "recbuf", "header", "active",
            "buffer", "mode", "recvtos", "recvtclass", "ttl", "recvttl", "deliver", "ipv6_v6only",
            "broadcast", "dontroute", "multicast_if", "multicast_ttl", "multicast_loop",
            "add_membership", "drop_membership", "read_packets", "raw", "high_msgq_watermark",
            "low_msgq_watermark", "bind_to_device");
    private static final Set<String> BOOL = Set.of("debug", "reuseaddr", "recvtos", "recvtclass",
            "recvttl", "ipv6_v6only", "broadcast", "dontroute", "multicast_loop");
    private static final Set<String> INT = Set.of("tos", "tclass", "priority", "sndbuf", "recbuf",
            "ttl", "buffer", "multicast_ttl", "high_msgq_watermark", "low_msgq_watermark");
    private static final Map<String, Set<String>> ENUMS = Map.of(
            "active", Set.of("false", "true", "once", "multi"),
            "mode", Set.of("list", "binary"),
            "deliver", Set.of("port", "term"));

    private UdpOptions() {
    }

    static OpenSpec parse(OtpErlangObject opts) throws ErlangException {
        if (!(opts instanceof OtpErlangList) && !(opts instanceof OtpErlangString)) {
            throw functionClause();
        }
        OtpErlangObject ifaddr = null;
        OtpErlangObject port = new OtpErlangLong(0);
        Object fd = new OtpErlangLong(-1); // a term, or byte[] for {netns,_}
        Map<String, OtpErlangObject> sockOpts = new LinkedHashMap<>();
        sockOpts.put("active", Terms.atom("true"));
        sockOpts.put("recbuf", new OtpErlangLong(8192));
        Deque<OtpErlangObject> items = new ArrayDeque<>();
        OtpErlangObject tail = opts;
        while (true) {
            if (items.isEmpty()) {
                if (tail instanceof OtpErlangString s) {
                    s.stringValue().codePoints().forEach(c -> items.add(new OtpErlangLong(c)));
                    tail = Terms.NIL;
                } else if (tail instanceof OtpErlangList l) {
                    items.addAll(List.of(l.elements()));
                    tail = l.isProper() ? Terms.NIL : l.getLastTail();
                }
                if (items.isEmpty()) {
                    if (tail instanceof OtpErlangList l && l.arity() == 0) {
                        break;
                    }
                    if (!(tail instanceof OtpErlangList) && !(tail instanceof OtpErlangString)) {
                        throw functionClause(); // udp_opt(NotAList, ...)
                    }
                    continue;
                }
            }
            OtpErlangObject opt = items.poll();
            if (opt instanceof OtpErlangTuple t && t.arity() == 4 && Terms.isAtom(t.elementAt(0), "raw")) {
                opt = Terms.tuple(t.elementAt(0), Terms.tuple(t.elementAt(1), t.elementAt(2), t.elementAt(3)));
            }
            if (Terms.isAtom(opt, "binary") || Terms.isAtom(opt, "list")) {
                sockOpts.remove("mode");
                sockOpts.put("mode", opt);
                continue;
            }
            if (!(opt instanceof OtpErlangTuple t) || t.arity() != 2) {
                throw badarg();
            }
            OtpErlangObject key = t.elementAt(0);
            OtpErlangObject val = t.elementAt(1);
            if (Terms.isAtom(key, "ifaddr")) {
                ifaddr = val;
            } else if (Terms.isAtom(key, "ip")) {
                if (ifaddr instanceof OtpErlangMap) {
                    throw unsupported();
                }
                ifaddr = val;
            } else if (Terms.isAtom(key, "port")) {
                if (ifaddr instanceof OtpErlangMap) {
                    throw unsupported();
                }
                port = val;
            } else if (Terms.isAtom(key, "fd")) {
                fd = val;
            } else if (Terms.isAtom(key, "netns")) {
                byte[] path = FileNames.toBytes(val);
                if (path == null) {
                    throw badarg();
                }
                fd = path;
            } else if (Terms.isAtom(key, "active") && val instanceof OtpErlangLong n
                    && n.bigIntegerValue().compareTo(BigInteger.valueOf(32768)) < 0
                    && n.bigIntegerValue().compareTo(BigInteger.valueOf(-32768)) >= 0) {
                sockOpts.remove("active");
                sockOpts.put("active", val);
            } else if ((Terms.isAtom(key, "add_membership") || Terms.isAtom(key, "drop_membership"))
                    && val instanceof OtpErlangTuple m && m.arity() == 2
                    && m.elementAt(0) instanceof OtpErlangTuple ma && ma.arity() == 4
                    && (Terms.isAtom(m.elementAt(1), "any")
                        || m.elementAt(1) instanceof OtpErlangTuple mi && mi.arity() == 4)) {
                sockOpts.put(((OtpErlangAtom) key).atomValue() + "#" + sockOpts.size(), val);
            } else if (key instanceof OtpErlangAtom a) {
                String name = a.atomValue();
                if (!UDP_OPTIONS.contains(name) || !valueOk(name, val)) {
                    throw badarg();
                }
                if (name.equals("raw")) {
                    sockOpts.put("raw#" + sockOpts.size(), val);
                } else {
                    sockOpts.remove(name);
                    sockOpts.put(name, val);
                }
            } else {
                throw badarg();
            }
        }
        if (ifaddr instanceof OtpErlangMap) {
            throw unsupported();
        }
        // inet_udp:open/2: translate_ip, then the ?port/?ip guards, else exit(badarg).
        int[] bind = null;
        if (ifaddr != null) {
            if (Terms.isAtom(ifaddr, "any")) {
                bind = new int[] {0, 0, 0, 0};
            } else if (Terms.isAtom(ifaddr, "loopback")) {
                bind = new int[] {127, 0, 0, 1};
            } else {
                bind = ipv4(ifaddr);
                if (bind == null) {
                    throw badarg();
                }
            }
        }
        if (!(port instanceof OtpErlangLong p) || p.bigIntegerValue().signum() < 0
                || p.bigIntegerValue().compareTo(BigInteger.valueOf(65535)) > 0) {
            throw badarg();
        }
        int portNo = p.bigIntegerValue().intValue();
        byte[] netns = null;
        long fdNo = -1;
        String error = null;
        if (fd instanceof byte[] path) {
            netns = path;
        } else if (fd instanceof OtpErlangLong f && f.bigIntegerValue().signum() >= 0) {
            if (!f.isLong()) {
                throw unsupported();
            }
            fdNo = f.longValue();
            if (ifaddr == null && portNo != 0) {
                throw ErlangException.error(Terms.tuple(Terms.atom("badmatch"), port));
            }
        } else if (fd instanceof OtpErlangList l) {
            // The fd field used as prim_inet:open's options: only {netns,Bin} is meant to be there.
            for (OtpErlangObject o : l.elements()) {
                if (o instanceof OtpErlangTuple nt && nt.arity() == 2 && Terms.isAtom(nt.elementAt(0), "netns")
                        && nt.elementAt(1) instanceof OtpErlangBinary b) {
                    netns = b.binaryValue();
                } else {
                    error = "einval";
                }
            }
        }
        if (error == null) {
            error = setoptsError(sockOpts);
        }
        return new OpenSpec(netns, fdNo, bind, portNo, error);
    }

    /** What the driver refuses among the options (its setopts then fails with einval). */
    private static String setoptsError(Map<String, OtpErlangObject> opts) {
        for (Map.Entry<String, OtpErlangObject> e : opts.entrySet()) {
            String name = e.getKey();
            OtpErlangObject v = e.getValue();
            int ival = v instanceof OtpErlangLong n ? n.bigIntegerValue().intValue() : 0;
            switch (name) {
                case "tclass", "recvtclass", "ipv6_v6only" -> {
                    return "einval"; // IPv6-level options on an IPv4 socket
                }
                case "read_packets", "high_msgq_watermark", "low_msgq_watermark" -> {
                    if (ival <= 0) {
                        return "einval";
                    }
                }
                case "ttl" -> {
                    if (ival != -1 && (ival < 1 || ival > 255)) {
                        return "einval";
                    }
                }
                case "multicast_ttl" -> {
                    if (ival < -1 || ival > 255) {
                        return "einval";
                    }
                }
                default -> {
                }
            }
        }
        return null;
    }

    private static boolean valueOk(String name, OtpErlangObject v) {
        if (BOOL.contains(name)) {
            return Terms.isAtom(v, "true") || Terms.isAtom(v, "false");
        }
        if (INT.contains(name)) {
            return v instanceof OtpErlangLong;
        }
        if (ENUMS.containsKey(name)) {
            return v instanceof OtpErlangAtom a && ENUMS.get(name).contains(a.atomValue());
        }
        switch (name) {
            case "header", "read_packets":
                return v instanceof OtpErlangLong n && n.bigIntegerValue().signum() >= 0;
            case "bind_to_device":
                return v instanceof OtpErlangBinary;
            case "multicast_if":
                return v instanceof OtpErlangLong || ipv4(v) != null;
            case "raw":
                return v instanceof OtpErlangTuple r && r.arity() == 3 && r.elementAt(0) instanceof OtpErlangLong
                        && r.elementAt(1) instanceof OtpErlangLong && r.elementAt(2) instanceof OtpErlangBinary;
            case "add_membership", "drop_membership":
                return membership(v);
            default:
                return false;
        }
    }

    private static boolean membership(OtpErlangObject v) {
        if (!(v instanceof OtpErlangTuple t)) {
            return false;
        }
        OtpErlangObject[] e = t.elements();
        if (e.length == 2 && ipv4(e[0]) != null) {
            return ipv4(e[1]) != null || Terms.isAtom(e[1], "any");
        }
        if (e.length == 3 && ipv4(e[0]) != null && e[2] instanceof OtpErlangLong) {
            return ipv4(e[1]) != null || Terms.isAtom(e[1], "any");
        }
        if (e.length == 2 && e[1] instanceof OtpErlangLong && e[0] instanceof OtpErlangTuple a && a.arity() == 8) {
            for (OtpErlangObject w : a.elements()) {
                if (!(w instanceof OtpErlangLong n) || n.bigIntegerValue().signum() < 0
                        || n.bigIntegerValue().compareTo(BigInteger.valueOf(65535)) > 0) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** An IPv4 tuple as OTP's ?ip/1 guard accepts it (four integers 0..255), else null. */
    static int[] ipv4(OtpErlangObject v) {
        if (!(v instanceof OtpErlangTuple t) || t.arity() != 4) {
            return null;
        }
        int[] out = new int[4];
        for (int k = 0; k < 4; k++) {
            if (!(t.elementAt(k) instanceof OtpErlangLong n) || n.bigIntegerValue().signum() < 0
                    || n.bigIntegerValue().compareTo(BigInteger.valueOf(255)) > 0) {
                return null;
            }
            out[k] = n.bigIntegerValue().intValue();
        }
        return out;
    }

    static ErlangException badarg() {
        return ErlangException.exit(Terms.atom("badarg"));
    }

    static ErlangException functionClause() {
        return ErlangException.error(Terms.atom("function_clause"));
    }

    /** Options whose effect jinet does not reproduce (a sockaddr map as ifaddr, a huge fd). */
    static ErlangException unsupported() {
        return ErlangException.error(Terms.tuple(Terms.atom("jinet_unsupported"), Terms.atom("getifaddrs_option")));
    }
}
