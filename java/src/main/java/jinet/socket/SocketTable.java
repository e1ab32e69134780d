package jinet.socket;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import jinet.inet.AddressFormatter;
import jinet.inet.ServicesModule;
import jinet.term.ErlangException;
import jinet.term.Terms;

/**
 * {@code inet:i/0,1,2} for the node's sockets: the table inet prints, column by column as
 * inet.erl renders a module socket (so a socket's "port" is {@code esock}, as for OTP's own
 * module sockets), widths from the longest entry, the header only when there are sockets.
 */
final class SocketTable {
    static final List<String> DEFAULT_FIELDS = List.of("port", "module", "recv", "sent", "owner", "local_address",
            "foreign_address", "state", "type");

    private static final Map<String, Function<Row, String>> FIELDS = Map.of(
            // as inet shows a module socket that has a descriptor: esock[FD]
            "port", r -> r.s.channel() instanceof io.netty.channel.unix.UnixChannel
                    ? "esock[" + ((io.netty.channel.unix.UnixChannel) r.s.channel()).fd().intValue() + "]" : "esock",
            "module", r -> r.s.module.atomValue(),
            "recv", r -> Long.toString(r.s.stats.recvOct),
            "sent", r -> Long.toString(r.s.stats.sendOct),
            "owner", r -> pidToList(r.s.owner, r.s.self.pid().node()),
            "local_address", r -> address(r.s.channel().localAddress(), false, r.proto),
            "foreign_address", r -> address(r.s.channel().remoteAddress(), true, r.proto),
            "state", r -> status(r.s.states()),
            "type", r -> r.s.type().equals("stream") ? "STREAM" : "DGRAM",
            "packet", r -> "raw");

    private static final class Row {
        final SocketProcess s;
        final String proto;

        Row(SocketProcess s, String proto) {
            this.s = s;
            this.proto = proto;
        }
    }

    private SocketTable() {
    }

    /** The text {@code inet:i(Proto, Fields)} prints; an error as inet raises it for a protocol or field it has no clause for. */
    static String render(List<SocketProcess> sockets, String proto, List<OtpErlangObject> fields) throws ErlangException {
        List<String> names = new ArrayList<>();
        for (OtpErlangObject f : fields) {
            if (!(f instanceof OtpErlangAtom) || !FIELDS.containsKey(((OtpErlangAtom) f).atomValue())) {
                throw ErlangException.error(Terms.tuple(Terms.atom("case_clause"), f));
            }
            names.add(((OtpErlangAtom) f).atomValue());
        }
        String kind = proto.equals("udp") ? "dgram" : "stream";
        List<List<String>> lines = new ArrayList<>();
        sockets.stream().filter(s -> !proto.equals("sctp") && s.type().equals(kind) && !s.closed)
                .sorted(Comparator.comparingInt((SocketProcess s) -> s.self.pid().serial())
                        .thenComparingInt(s -> s.self.pid().id()))
                .forEach(s -> {
                    List<String> line = new ArrayList<>();
                    for (String n : names) {
                        line.add(FIELDS.get(n).apply(new Row(s, proto)));
                    }
                    lines.add(line);
                });
        if (lines.isEmpty()) {
            return "";
        }
        List<String> header = new ArrayList<>();
        for (String n : names) {
            header.add(headerField(n));
        }
        lines.add(0, header);
        int[] widths = new int[names.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : lines) {
            for (int i = 0; i < widths.length; i++) {
                String v = line.get(i);
                out.append(v).append(" ".repeat(widths[i] - v.length())).append(' ');
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** "foreign_address" -> "Foreign Address". */
    private static String headerField(String name) {
        StringBuilder b = new StringBuilder();
        boolean upper = true;
        for (char c : name.toCharArray()) {
            if (c == '_') {
                b.append(' ');
                upper = true;
            } else {
                b.append(upper && c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c);
                upper = false;
            }
        }
        return b.toString();
    }

    /**
     * pid_to_list as this node shows a pid: 0 for its own, else the index it gave the pid's
     * node, in the order it met them (BEAM's indexes come from its node table, as arbitrary).
     */
    private static String pidToList(OtpErlangPid p, String self) {
        if (p == null) {
            return " ";
        }
        int index = p.node().equals(self) ? 0 : NODE_INDEX.computeIfAbsent(p.node(), n -> NODE_INDEX.size() + 1);
        return "<" + index + "." + p.id() + "." + p.serial() + ">";
    }

    private static final Map<String, Integer> NODE_INDEX = new java.util.concurrent.ConcurrentHashMap<>();

    /** inet's fmt_addr: a missing peer is "*:*", any address "*", loopback "localhost", a port by its service name. */
    private static String address(SocketAddress a, boolean peer, String proto) {
        if (a == null) {
            return peer ? "*:*" : " ";
        }
        if (!(a instanceof InetSocketAddress)) {
            return "local:" + new String(Addresses.localPath(a).binaryValue(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        InetSocketAddress i = (InetSocketAddress) a;
        byte[] b = i.getAddress().getAddress();
        boolean any = true;
        for (byte x : b) {
            any &= x == 0;
        }
        String host;
        if (any) {
            host = "*";
        } else if (i.getAddress().isLoopbackAddress() && (b.length == 16 || (b[0] == 127 && b[1] == 0 && b[2] == 0
                && b[3] == 1))) {
            host = "localhost";
        } else {
            host = AddressFormatter.ntoa(words(b)).orElse("?");
        }
        String port = ServicesModule.serviceName(i.getPort(), proto).orElse(Integer.toString(i.getPort()));
        return host + ":" + port;
    }

    private static long[] words(byte[] b) {
        if (b.length == 4) {
            return new long[] {b[0] & 0xff, b[1] & 0xff, b[2] & 0xff, b[3] & 0xff};
        }
        long[] w = new long[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        return w;
    }

    /** inet's fmt_status over the sorted flags. */
    static String status(List<String> flags) {
        List<String> f = new ArrayList<>(flags);
        f.sort(null);
        String j = String.join(",", f);
        if (j.startsWith("accepting")) {
            return "ACCEPTING";
        }
        if (j.startsWith("bound,busy,connected")) {
            return "CONNECTED(BB)";
        }
        if (j.startsWith("bound,connected")) {
            return "CONNECTED(B)";
        }
        if (j.startsWith("bound,listen,listening")) {
            return "LISTENING";
        }
        if (j.startsWith("bound,listen")) {
            return "LISTEN";
        }
        if (j.startsWith("bound,connecting")) {
            return "CONNECTING";
        }
        switch (j) {
            case "bound,open": return "BOUND";
            case "connected,open": return "CONNECTED(O)";
            case "open": return "IDLE";
            case "": return "CLOSED";
            default:
                List<String> parts = new ArrayList<>();
                for (String s : f) {
                    parts.add(SHORT.getOrDefault(s, s.toUpperCase()));
                }
                return String.join(":", parts);
        }
    }

    private static final Map<String, String> SHORT = Map.of("accepting", "A", "bound", "BD", "busy", "BY",
            "connected", "CD", "connecting", "CG", "listen", "LN", "listening", "LG", "open", "O", "selected", "SD");
}
