package jinet.inet.dns;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The query half of OTP's inet_res: one question asked of a list of name servers with
 * inet_res's retry rounds, per-try UDP timeouts ({@code timeout * 2^round / retry}), TCP for
 * truncated answers, long queries and {@code usevc} ({@code 5 * timeout}), EDNS with a plain
 * DNS fallback, the SERVFAIL back-off, alternative name servers, and inet_res's rules for which
 * error ends a server, a round or the whole query.
 *
 * <p>Own code rather than a library such as dnsjava: what users compare is exactly which error
 * atom comes back after which retries and timeouts, so the loop has to be inet_res's clause by
 * clause, and its codec has to fail exactly where inet_dns does ({@link DnsMessage}). A library
 * would contribute only the wire format and bring its own retry, caching and search rules that
 * would all have to be bypassed. Every call blocks only its own thread.
 */
public final class DnsClient {
    /** What a name server said or what went wrong: a reply, or inet_res's error term's name. */
    public record Outcome(DnsMessage reply, String error, boolean withMessage) {
        static Outcome ok(DnsMessage m) {
            return new Outcome(m, null, false);
        }

        /** {@code {error, Reason}}. */
        static Outcome error(String reason) {
            return new Outcome(null, reason, false);
        }

        /** {@code {error, {Reason, Msg}}}: the server answered with this rcode. */
        static Outcome rcode(String reason, DnsMessage m) {
            return new Outcome(m, reason, true);
        }

        public boolean isOk() {
            return error == null;
        }
    }

    /** A name server address and port. */
    public record Server(InetAddress address, int port) {
    }

    /** The options of one query (inet_res's #options{}); ednsVersion -1 for none. */
    public record Options(List<Server> nameservers, List<Server> altNameservers, int ednsVersion,
                          int udpPayloadSize, boolean recurse, int retry, long servfailRetryTimeout,
                          long timeout, boolean usevc) {
    }

    private static final int PACKETSZ = 512;

    /** One query: the message(s) it sends and the sockets it has open. */
    private static final class Query implements AutoCloseable {
        final Options options;
        final byte[] edns;
        byte[] dns;
        final int id;
        int dnsId;
        final String domain;
        final int type;
        final int dnsClass;
        final IdSource ids;
        DatagramSocket udp4;
        DatagramSocket udp6;

        Query(Options options, String domain, int type, int dnsClass, IdSource ids) throws DnsEncodeException {
            this.options = options;
            this.domain = domain;
            this.type = type;
            this.dnsClass = dnsClass;
            this.ids = ids;
            this.id = ids.nextId();
            if (options.ednsVersion() >= 0) {
                edns = DnsMessage.encodeQuery(id, options.recurse(), domain, type, dnsClass,
                        OptionalInt.of(options.udpPayloadSize()), options.ednsVersion());
            } else {
                edns = null;
                dns = DnsMessage.encodeQuery(id, options.recurse(), domain, type, dnsClass,
                        OptionalInt.empty(), 0);
                dnsId = id;
            }
        }

        /** The plain DNS message, built when first needed as inet_res does (with a new id). */
        byte[] dns() throws DnsEncodeException {
            if (dns == null) {
                dnsId = ids.nextId();
                dns = DnsMessage.encodeQuery(dnsId, options.recurse(), domain, type, dnsClass,
                        OptionalInt.empty(), 0);
            }
            return dns;
        }

        DatagramSocket udp(InetAddress a) throws SocketException {
            if (a instanceof java.net.Inet6Address) {
                if (udp6 == null) {
                    udp6 = new DatagramSocket();
                }
                return udp6;
            }
            if (udp4 == null) {
                udp4 = new DatagramSocket();
            }
            return udp4;
        }

        void dropUdp() {
            close();
        }

        @Override
        public void close() {
            if (udp4 != null) {
                udp4.close();
                udp4 = null;
            }
            if (udp6 != null) {
                udp6.close();
                udp6 = null;
            }
        }
    }

    /** Where query ids come from (inet_db's counter). */
    @FunctionalInterface
    public interface IdSource {
        int nextId();
    }

    private final IdSource ids;

    public DnsClient(IdSource ids) {
        this.ids = ids;
    }

    /** inet_res:res_query/5: the name servers, then the alternative ones on NXDOMAIN or no answer. */
    public Outcome resQuery(String domain, int type, Options o) throws DnsEncodeException {
        try (Query q = new Query(o, domain, type, DnsClass.IN, ids)) {
            Outcome r = doQuery(q, o.nameservers());
            boolean tryAlt = (!r.isOk() && "nxdomain".equals(r.error()))
                    || (r.isOk() && r.reply().answers().isEmpty());
            if (tryAlt && !o.altNameservers().isEmpty()) {
                return doQuery(q, o.altNameservers());
            }
            return r;
        }
    }

    /** inet_res:res_query/6: these name servers only. */
    public Outcome resQuery(String domain, int type, Options o, List<Server> servers) throws DnsEncodeException {
        try (Query q = new Query(o, domain, type, DnsClass.IN, ids)) {
            return doQuery(q, servers);
        }
    }

    /** A server to ask in a round, maybe only after a SERVFAIL back-off time. */
    private record Try(Server server, long notBeforeNanos) {
    }

    private Outcome doQuery(Query q, List<Server> servers) throws DnsEncodeException {
        if (servers.isEmpty()) {
            return Outcome.error("nxdomain");
        }
        Outcome reason = Outcome.error("timeout");
        List<Try> round = new ArrayList<>();
        servers.forEach(s -> round.add(new Try(s, 0)));
        for (int i = 0; i < q.options.retry() && !round.isEmpty(); i++) {
            List<Try> again = new ArrayList<>();
            for (int k = 0; k < round.size(); k++) {
                Try t = round.get(k);
                waitUntil(t.notBeforeNanos);
                Server ns = t.server;
                Outcome r;
                if (q.edns != null) {
                    r = queryServer(q, q.edns, q.id, ns, i, q.options.udpPayloadSize());
                    if (r != null && !r.isOk() && r.withMessage() && isEdnsRefusal(r.error())) {
                        // The server did not like EDNS: ask it again in plain DNS, not counted as a try.
                        r = queryServer(q, q.dns(), q.dnsId, ns, i, PACKETSZ);
                    }
                } else {
                    r = queryServer(q, q.dns(), q.dnsId, ns, i, PACKETSZ);
                }
                if (r == null) {
                    return finalError(reason); // the whole time budget is spent
                }
                if (r.isOk()) {
                    return r;
                }
                String e = r.error();
                if (r.withMessage()) {
                    switch (e) {
                        case "nxdomain":
                            return finalError(r);
                        case "qfmterror": case "notimp": case "refused": case "badvers": case "unknown":
                            reason = r;
                            continue;
                        case "servfail":
                            reason = r;
                            again.add(new Try(ns, System.nanoTime()
                                    + q.options.servfailRetryTimeout() * 1_000_000L));
                            continue;
                        default:
                            reason = r;
                            again.add(new Try(ns, 0));
                            continue;
                    }
                }
                switch (e) {
                    case "formerr": case "enetunreach": case "econnrefused":
                        reason = r;
                        break;
                    case "timeout":
                        again.add(new Try(ns, 0));
                        break;
                    default:
                        reason = r;
                        again.add(new Try(ns, 0));
                }
            }
            round.clear();
            round.addAll(again);
        }
        return finalError(reason);
    }

    private static boolean isEdnsRefusal(String e) {
        return e.equals("qfmterror") || e.equals("notimp") || e.equals("servfail") || e.equals("badvers");
    }

    /** query_retries_error/3: an NXDOMAIN answer becomes plain nxdomain. */
    private static Outcome finalError(Outcome reason) {
        if (reason.withMessage() && reason.error().equals("nxdomain")) {
            return Outcome.error("nxdomain");
        }
        return reason;
    }

    /** inet_res:query_ns/9; null stands for the bare {@code timeout} that ends the query. */
    private Outcome queryServer(Query q, byte[] msg, int id, Server ns, int round, int payloadSize) {
        Options o = q.options;
        if (o.usevc() || msg.length > payloadSize) {
            return queryTcp(o.timeout() * 5, msg, id, q, ns);
        }
        long udpTimeout = (o.timeout() << Math.min(round, 30)) / o.retry();
        if (udpTimeout == 0) {
            return null;
        }
        Outcome r = queryUdp(q, msg, id, ns, udpTimeout);
        if (r.isOk() && r.reply().header().tc()) {
            return queryTcp(o.timeout() * 5, msg, id, q, ns);
        }
        if (!r.isOk() && !r.withMessage() && r.error().equals("econnrefused")) {
            q.dropUdp();
        }
        return r;
    }

    private Outcome queryUdp(Query q, byte[] msg, int id, Server ns, long timeoutMs) {
        DatagramSocket s;
        try {
            s = q.udp(ns.address());
        } catch (SocketException e) {
            return Outcome.error(Posix.of(e));
        }
        try {
            if (s.isConnected()) {
                s.disconnect();
            }
            s.connect(ns.address(), ns.port());
            s.send(new DatagramPacket(msg, msg.length));
        } catch (IOException | RuntimeException e) {
            return Outcome.error("econnrefused");
        }
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        byte[] buf = new byte[65535];
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return Outcome.error("timeout");
            }
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return Outcome.error("timeout");
            } catch (PortUnreachableException e) {
                return Outcome.error("econnrefused");
            } catch (IOException e) {
                return Outcome.error(Posix.of(e));
            }
            byte[] reply = java.util.Arrays.copyOf(buf, p.getLength());
            Outcome r = decodeAnswer(reply, id, q);
            if (r != null) {
                return r; // null: a reply to another query (bad id), keep waiting
            }
        }
    }

    private Outcome queryTcp(long timeoutMs, byte[] msg, int id, Query q, Server ns) {
        if (timeoutMs <= 0) {
            return null;
        }
        int t = (int) Math.min(Integer.MAX_VALUE, timeoutMs);
        try (Socket s = new Socket()) {
            try {
                s.connect(new InetSocketAddress(ns.address(), ns.port()), t);
            } catch (SocketTimeoutException e) {
                return Outcome.error("timeout");
            }
            s.setSoTimeout(t);
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            byte[] framed = new byte[msg.length + 2];
            framed[0] = (byte) (msg.length >> 8);
            framed[1] = (byte) msg.length;
            System.arraycopy(msg, 0, framed, 2, msg.length);
            out.write(framed);
            out.flush();
            InputStream in = s.getInputStream();
            DataInputStream din = new DataInputStream(in);
            byte[] reply;
            try {
                int len = din.readUnsignedShort();
                reply = new byte[len];
                din.readFully(reply);
            } catch (EOFException e) {
                return Outcome.error("closed");
            }
            Outcome r = decodeAnswer(reply, id, q);
            return r == null ? Outcome.error("servfail") : r; // a wrong id over TCP is servfail
        } catch (SocketTimeoutException e) {
            return Outcome.error("timeout");
        } catch (IOException e) {
            return Outcome.error(Posix.of(e));
        }
    }

    /** inet_res:decode_answer/3; null for a reply whose id is not ours. */
    private static Outcome decodeAnswer(byte[] reply, int id, Query q) {
        DnsMessage m;
        try {
            m = DnsMessage.decode(reply);
        } catch (DnsFormatException e) {
            return Outcome.error("formerr");
        }
        DnsHeader h = m.header();
        int ext = m.opt().map(DnsOpt::extRcode).orElse(0);
        int rcode = (ext << 4) | h.rcode();
        switch (rcode) {
            case 0:
                break;
            case 1: return Outcome.rcode("qfmterror", m);
            case 2: return Outcome.rcode("servfail", m);
            case 3: return Outcome.rcode("nxdomain", m);
            case 4: return Outcome.rcode("notimp", m);
            case 5: return Outcome.rcode("refused", m);
            case 16: return Outcome.rcode("badvers", m);
            default: return Outcome.rcode("unknown", m);
        }
        if (h.id() != id) {
            return null;
        }
        if (!h.qr() || h.opcode() != 0 || h.rd() != q.options.recurse()) {
            return Outcome.rcode("unknown", m);
        }
        List<DnsQuery> qd = m.questions();
        if (qd.size() == 1) {
            DnsQuery r = qd.get(0);
            if (r.dnsClass() == q.dnsClass && r.type() == q.type && DnsNames.eqDomains(r.domain(), q.domain)) {
                return Outcome.ok(m);
            }
        }
        return Outcome.rcode("noquery", m);
    }

    private static void waitUntil(long nanos) {
        if (nanos == 0) {
            return;
        }
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            try {
                Thread.sleep(Math.max(1, left / 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The POSIX error atom for a socket failure, as inet reports it. */
    static final class Posix {
        private Posix() {
        }

        static String of(IOException e) {
            if (e instanceof PortUnreachableException || e instanceof ConnectException) {
                String m = String.valueOf(e.getMessage());
                if (m.contains("unreachable") && !(e instanceof PortUnreachableException)) {
                    return "enetunreach";
                }
                return "econnrefused";
            }
            if (e instanceof NoRouteToHostException) {
                return "ehostunreach";
            }
            String m = String.valueOf(e.getMessage()).toLowerCase();
            if (m.contains("network is unreachable")) {
                return "enetunreach";
            }
            if (m.contains("address family") || m.contains("protocol family")) {
                return "eafnosupport";
            }
            if (m.contains("connection reset")) {
                return "econnreset";
            }
            if (m.contains("closed")) {
                return "closed";
            }
            return "einval";
        }
    }
}
