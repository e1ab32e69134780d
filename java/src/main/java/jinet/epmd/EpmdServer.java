package jinet.epmd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Erlang Port Mapper Daemon served from this JVM: what OTP 25's {@code epmd} serves, byte for byte as
 * far as a client can see (checked against the real binary by {@code EpmdServerProtocolTest}).
 *
 * <p>Every request is a 2-byte big-endian length and that many bytes; the connection is closed after the
 * answer, except for a registration. What is served, as epmd does it without {@code -relaxed_command_check}:
 * <ul>
 * <li>ALIVE2_REQ (120), from a local peer only: registers a node for as long as the registering connection
 * stays open; no more than one request is read from it, anything it sends later (or its closing) ends the
 * registration. The answer is ALIVE2_X_RESP (118) with a 32-bit creation when the node's highest
 * distribution version is 6 or more (every OTP 23+ node and JInterface), else the old ALIVE2_RESP (121) with
 * a 16-bit creation 1..3. A new name gets the time in seconds plus 1 as its creation; a name registered
 * before (and still remembered) gets its previous creation plus 1 (never below 4); past
 * 1000 remembered names, a new name takes over the oldest remembered one's creation. A name that is
 * registered already, longer than 255 characters or 1020 bytes, not UTF-8, or extra data over 1020 bytes
 * gets result 1 with creation 99, and epmd keeps that connection open all the same.
 * <li>PORT_PLEASE2_REQ (122): PORT2_RESP (119), result 0 and the node's port, type, protocol, versions,
 * name and extra; {@code 119 1} when the name is unknown.
 * <li>NAMES_REQ (110): the EPMD port (4 bytes) and a line {@code name N at port P\n} for each node, the
 * newest registration first.
 * <li>DUMP_REQ (100), from a local peer only: the port (4 bytes), {@code active name     <N> at port P, fd = F\n\0}
 * for each node and {@code old/unused name <N>, port = P, fd = F \n\0} for each remembered one; F is the
 * file descriptor epmd would have given the connection (lowest free, after stdin/out/err and its two
 * listening sockets).
 * <li>KILL_REQ (107), from a local peer only: {@code NO} while any node is registered; otherwise {@code OK},
 * and, as epmd exits then, this server closes itself.
 * <li>STOP_REQ (115): closed without an answer (epmd only honours it with {@code -relaxed_command_check}).
 * <li>Anything else, a length below 1 or of 3058 and more, more bytes than the length announced, a request
 * too short or inconsistent for its type, or 60 seconds of silence before the request is complete: the
 * connection is closed without an answer. ALIVE2, DUMP, KILL and STOP from a peer that is neither loopback
 * nor the address it connected to are closed without an answer as well.
 * </ul>
 *
 * <p>Each connection has its own thread, so a client that connects and sends nothing holds only its own
 * thread (until the 60 s timeout); at most {@code maxConnections} are served at once, further ones are
 * closed on accept as epmd does when it runs out of slots.
 *
 * <p><b>When it closes</b> ({@link #close()}, as when jinet stops; a KILL with nothing registered; or the
 * JVM dying, which closes the sockets just the same), the listening sockets and every connection are
 * closed, so every registration ends at once. A BEAM node registered with it keeps
 * running and keeps the distribution connections it has; what it loses is its entry: other nodes cannot
 * look it up (a {@code net_adm:ping} from a node not yet connected to it answers {@code pang}) and
 * {@code epmd -names} cannot list it. OTP 25's {@code erl_epmd} notices the closed registration connection
 * and tries to register again every 2 seconds, for ever, keeping its creation; so as soon as an EPMD answers
 * on the port again (jinet started anew, or an {@code epmd} that the next {@code erl} starts), the node is
 * registered again without anyone's help (observed: within 2 s). Nodes that start on this host while no EPMD
 * answers cannot start distribution ({@code register/listen error: econnrefused}) unless erl starts an
 * {@code epmd} itself, which it does by default.
 */
public final class EpmdServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EpmdServer.class);

    static final int DUMP_REQ = 100;
    static final int KILL_REQ = 107;
    static final int NAMES_REQ = 110;
    static final int STOP_REQ = 115;
    static final int ALIVE2_X_RESP = 118;
    static final int PORT2_RESP = 119;
    static final int ALIVE2_REQ = 120;
    static final int ALIVE2_RESP = 121;
    static final int PORT_PLEASE2_REQ = 122;

    /** epmd's limit on a node name or extra data, in bytes: 255 characters of up to 4 UTF-8 bytes. */
    private static final int MAXSYMLEN = 255 * 4;
    /** epmd's input buffer: a request and its 2-byte length must be shorter than this. */
    private static final int INBUF_SIZE = 3 * MAXSYMLEN;
    /** How many names of ended registrations epmd remembers (for their creation) before reusing the oldest. */
    private static final int MAX_UNREG_COUNT = 1000;
    /** How long closing waits for an acceptor to leave accept(); it takes microseconds. */
    private static final long ACCEPTOR_STOP_MS = 10_000;

    /** epmd closes a connection silent this long before its request is complete (CLOSE_TIMEOUT). */
    private static final int PACKET_TIMEOUT_MS = 60_000;
    /** Connections served at once; epmd's own limit depends on the process's file descriptor limit. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;

    private final List<ServerSocket> listeners;
    private final int port;
    private final int fdBase;
    private final int maxConnections;
    private final List<Thread> acceptors = new ArrayList<>();
    private final Set<Conn> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threadIds = new AtomicInteger();
    /** Set once no registration may be made any more: closing, or a KILL_REQ honoured. */
    private volatile boolean closed;
    private final AtomicBoolean stopped = new AtomicBoolean();

    // Guarded by "this": the registered nodes (newest first), the remembered ones (oldest first) and the
    // emulated file descriptors.
    private final LinkedList<Node> registered = new LinkedList<>();
    private final Deque<Node> unregistered = new ArrayDeque<>();
    private final BitSet fds = new BitSet();

    /** A registration as a client sees it. */
    public record Registration(String name, int port, int nodeType, int protocol, int highestVersion,
            int lowestVersion, byte[] extra, long creation) {
    }

    private static final class Node {
        byte[] name;
        int fd;
        int port;
        int nodeType;
        int protocol;
        int highVsn;
        int lowVsn;
        byte[] extra;
        int crCounter; // unsigned, as epmd's
        Conn conn;

        long creation() {
            return highVsn >= 6 ? Integer.toUnsignedLong(crCounter) : Integer.remainderUnsigned(crCounter, 3) + 1;
        }

        void bumpCreation() {
            crCounter++;
            if (Integer.compareUnsigned(crCounter, 4) < 0) {
                crCounter = 4;
            }
        }
    }

    private static final class Conn {
        final Socket socket;
        final int fd;

        Conn(Socket socket, int fd) {
            this.socket = socket;
            this.fd = fd;
        }
    }

    private EpmdServer(List<ServerSocket> listeners, int fdBase, int maxConnections) {
        this.listeners = listeners;
        this.port = listeners.get(0).getLocalPort();
        this.fdBase = fdBase;
        this.maxConnections = maxConnections;
    }

    /** Serves EPMD on {@code port} (0: any free port) on all interfaces, IPv4 and IPv6, as epmd does. */
    public static EpmdServer start(int port) throws IOException {
        return start(port, List.of(), DEFAULT_MAX_CONNECTIONS);
    }

    /**
     * Serves EPMD on {@code port} (0: any free port). With no addresses, on all interfaces; otherwise on
     * those addresses and on loopback (127.0.0.1, and ::1 where there is IPv6), as {@code epmd -address}.
     *
     * @throws java.net.BindException when the port is taken (by an epmd, say)
     */
    public static EpmdServer start(int port, Collection<InetAddress> addresses, int maxConnections)
            throws IOException {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        List<ServerSocket> listeners = new ArrayList<>();
        int emulatedListeners;
        try {
            if (addresses.isEmpty()) {
                listeners.add(listen(null, port));
                emulatedListeners = 2; // epmd: 0.0.0.0 and [::]
            } else {
                Set<InetAddress> wanted = new LinkedHashSet<>();
                wanted.add(InetAddress.getByName("127.0.0.1"));
                for (InetAddress a : addresses) {
                    if (!a.isLoopbackAddress()) {
                        wanted.add(a);
                    }
                }
                emulatedListeners = wanted.size() + 1; // and epmd's ::1
                int p = port;
                for (InetAddress a : wanted) {
                    ServerSocket s = listen(a, p);
                    listeners.add(s);
                    p = s.getLocalPort();
                }
                try {
                    listeners.add(listen(InetAddress.getByName("::1"), p));
                } catch (IOException e) {
                    log.debug("no EPMD on [::1]:{}: {}", p, e.toString()); // epmd: not fatal either
                }
            }
        } catch (IOException | RuntimeException e) {
            for (ServerSocket s : listeners) {
                closeQuietly(s);
            }
            throw e;
        }
        EpmdServer server = new EpmdServer(listeners, 3 + emulatedListeners, maxConnections);
        for (ServerSocket s : listeners) {
            Thread t = new Thread(() -> server.acceptLoop(s), "epmd-accept-" + s.getLocalSocketAddress());
            t.setDaemon(true);
            server.acceptors.add(t);
        }
        server.acceptors.forEach(Thread::start);
        log.info("embedded EPMD listening on port {}", server.port);
        return server;
    }

    private static ServerSocket listen(InetAddress address, int port) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, port), 128);
            return s;
        } catch (IOException e) {
            closeQuietly(s);
            throw e;
        }
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** Whether it has stopped, or is stopping: {@link #close()}, or a KILL_REQ honoured. */
    public boolean isClosed() {
        return closed;
    }

    /** The nodes registered now, newest first, as NAMES_REQ lists them. */
    public synchronized List<Registration> registrations() {
        List<Registration> out = new ArrayList<>();
        for (Node n : registered) {
            out.add(new Registration(new String(n.name, StandardCharsets.UTF_8), n.port, n.nodeType, n.protocol,
                    n.highVsn, n.lowVsn, n.extra.clone(), n.creation()));
        }
        return out;
    }

    /** Stops listening and closes every connection, which ends every registration. Idempotent. */
    @Override
    public void close() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            closed = true;
        }
        stopListening();
        for (Conn c : connections) {
            closeQuietly(c.socket);
        }
        synchronized (this) {
            registered.clear();
        }
        log.info("embedded EPMD on port {} stopped", port);
    }

    /**
     * Closes the listening sockets and returns once the port refuses connections. ServerSocket.close()
     * on a socket another thread is blocked accepting on only marks it: the kernel keeps the socket
     * listening, and completing handshakes, until that thread has left accept(), which is when its
     * acceptor exits.
     */
    private void stopListening() {
        for (ServerSocket s : listeners) {
            closeQuietly(s);
        }
        for (Thread t : acceptors) {
            if (t == Thread.currentThread()) {
                continue;
            }
            try {
                t.join(ACCEPTOR_STOP_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (t.isAlive()) {
                log.warn("embedded EPMD on port {}: {} still accepting after {} ms", port, t.getName(),
                        ACCEPTOR_STOP_MS);
            }
        }
    }

    private void acceptLoop(ServerSocket listener) {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("embedded EPMD on port {}: accept failed: {}", port, e.toString());
                    sleepBriefly();
                }
                continue;
            }
            Conn conn;
            synchronized (this) {
                if (closed || connections.size() >= maxConnections) {
                    conn = null;
                } else {
                    int fd = fds.nextClearBit(fdBase);
                    fds.set(fd);
                    conn = new Conn(socket, fd);
                    connections.add(conn);
                }
            }
            if (conn == null) {
                log.debug("embedded EPMD: refusing a connection ({} open)", connections.size());
                closeQuietly(socket);
                continue;
            }
            Thread t = new Thread(() -> serve(conn), "epmd-conn-" + threadIds.incrementAndGet());
            t.setDaemon(true);
            try {
                t.start();
            } catch (OutOfMemoryError | RuntimeException e) {
                log.warn("embedded EPMD: cannot serve a connection: {}", e.toString());
                finish(conn);
            }
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One connection, read as epmd's do_read reads it. */
    private void serve(Conn conn) {
        boolean kill = false;
        try {
            Socket socket = conn.socket;
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(PACKET_TIMEOUT_MS);
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[INBUF_SIZE];
            int got = 0;
            int want = 0;
            while (true) {
                int packSize = want != 0 ? want : INBUF_SIZE - 1;
                int n = in.read(buf, got, packSize - got);
                if (n < 0) {
                    return; // closed before a whole request
                }
                got += n;
                if (want == 0 && got >= 2) {
                    want = u16(buf, 0) + 2;
                    if (want < 3 || want >= INBUF_SIZE) {
                        log.debug("embedded EPMD: invalid packet size {}", want - 2);
                        return;
                    }
                    if (got > want) {
                        log.debug("embedded EPMD: got {} bytes in packet, expected {}", got - 2, want - 2);
                        return;
                    }
                }
                if (want != 0 && got == want) {
                    break;
                }
            }
            Outcome outcome = request(conn, Arrays.copyOfRange(buf, 2, got));
            if (outcome == Outcome.KEEP) {
                // A registration: it lasts until the peer closes, fails, or sends anything more.
                socket.setSoTimeout(0);
                int n = in.read(buf);
                if (n > 0) {
                    log.debug("embedded EPMD: got more than expected on an ALIVE connection ({} bytes)", n);
                }
            } else if (outcome == Outcome.KILL) {
                kill = true;
            }
        } catch (SocketTimeoutException e) {
            log.debug("embedded EPMD: closing a connection that timed out on receive");
        } catch (IOException e) {
            log.debug("embedded EPMD: connection ended: {}", e.toString());
        } catch (RuntimeException e) {
            log.warn("embedded EPMD: request failed", e);
        } finally {
            finish(conn);
        }
        if (kill) {
            log.warn("embedded EPMD on port {}: KILL_REQ with no node registered, stopping as epmd does", port);
            close();
        }
    }

    /** Ends a connection; its registration and file descriptor are released before the peer can see it close. */
    private void finish(Conn conn) {
        synchronized (this) {
            unregister(conn);
            connections.remove(conn);
            fds.clear(conn.fd);
        }
        closeQuietly(conn.socket);
    }

    private enum Outcome {
        CLOSE, KEEP, KILL
    }

    /** epmd's do_request; {@code b} is the request without its length. */
    private Outcome request(Conn conn, byte[] b) throws IOException {
        int type = b[0] & 0xFF;
        switch (type) {
            case ALIVE2_REQ:
                return alive2(conn, b);
            case PORT_PLEASE2_REQ:
                portPlease2(conn, b);
                return Outcome.CLOSE;
            case NAMES_REQ:
                reply(conn, names());
                return Outcome.CLOSE;
            case DUMP_REQ:
                if (localPeer(conn.socket)) {
                    reply(conn, dump());
                } else {
                    log.debug("embedded EPMD: DUMP_REQ from non local address");
                }
                return Outcome.CLOSE;
            case KILL_REQ:
                if (!localPeer(conn.socket)) {
                    log.debug("embedded EPMD: KILL_REQ from non local address");
                    return Outcome.CLOSE;
                }
                synchronized (this) {
                    if (!registered.isEmpty()) {
                        log.debug("embedded EPMD: disallowed KILL_REQ, live nodes");
                        reply(conn, "NO".getBytes(StandardCharsets.US_ASCII));
                        return Outcome.CLOSE;
                    }
                    // Refuse registrations from here on, as epmd would by exiting.
                    closed = true;
                }
                stopListening(); // whoever reads OK finds the port closed, as after epmd's exit
                reply(conn, "OK".getBytes(StandardCharsets.US_ASCII));
                return Outcome.KILL;
            case STOP_REQ:
                log.debug("embedded EPMD: disallowed STOP_REQ, no relaxed_command_check");
                return Outcome.CLOSE;
            default:
                log.debug("embedded EPMD: got garbage (request type {})", type);
                return Outcome.CLOSE;
        }
    }

    private Outcome alive2(Conn conn, byte[] b) throws IOException {
        int bsize = b.length;
        if (!localPeer(conn.socket)) {
            log.debug("embedded EPMD: ALIVE2_REQ from non local address");
            return Outcome.CLOSE;
        }
        if (bsize <= 13) {
            log.debug("embedded EPMD: packet too small for request ALIVE2_REQ ({})", bsize);
            return Outcome.CLOSE;
        }
        int eport = u16(b, 1);
        int nodeType = b[3] & 0xFF;
        int protocol = b[4] & 0xFF;
        int highVsn = u16(b, 5);
        int lowVsn = u16(b, 7);
        int nameLen = u16(b, 9);
        if (nameLen + 13 > bsize) {
            log.debug("embedded EPMD: node name size error in ALIVE2_REQ");
            return Outcome.CLOSE;
        }
        int extraLen = u16(b, 11 + nameLen);
        if (extraLen + nameLen + 13 > bsize) {
            log.debug("embedded EPMD: extra info size error in ALIVE2_REQ");
            return Outcome.CLOSE;
        }
        for (int i = 11; i < 11 + nameLen; i++) {
            if (b[i] == 0) {
                log.debug("embedded EPMD: node name contains ascii 0 in ALIVE2_REQ");
                return Outcome.CLOSE;
            }
        }
        byte[] name = Arrays.copyOfRange(b, 11, 11 + nameLen);
        byte[] extra = Arrays.copyOfRange(b, 13 + nameLen, 13 + nameLen + extraLen);
        Node node;
        long creation;
        synchronized (this) {
            node = closed ? null : register(conn, name, eport, nodeType, protocol, highVsn, lowVsn, extra);
            creation = node != null ? node.creation() : 99;
        }
        byte[] resp;
        if (highVsn >= 6) {
            resp = new byte[] {(byte) ALIVE2_X_RESP, (byte) (node != null ? 0 : 1),
                    (byte) (creation >>> 24), (byte) (creation >>> 16), (byte) (creation >>> 8), (byte) creation};
        } else {
            resp = new byte[] {(byte) ALIVE2_RESP, (byte) (node != null ? 0 : 1),
                    (byte) (creation >>> 8), (byte) creation};
        }
        try {
            reply(conn, resp);
        } catch (IOException e) {
            synchronized (this) {
                unregister(conn);
            }
            throw e;
        }
        return Outcome.KEEP;
    }

    /** epmd's node_reg2: the node registered, or null when refused. Caller holds the lock. */
    private Node register(Conn conn, byte[] name, int eport, int nodeType, int protocol, int highVsn,
            int lowVsn, byte[] extra) {
        String printable = new String(name, StandardCharsets.UTF_8);
        if (name.length > MAXSYMLEN) {
            log.debug("embedded EPMD: node name is too long ({})", name.length);
            return null;
        }
        int chars = utf8Chars(name, 0, name.length);
        if (chars > 255) {
            log.debug("embedded EPMD: node name is too long ({} characters)", chars);
            return null;
        }
        if (chars < 0) {
            log.debug("embedded EPMD: invalid node name encoding");
            return null;
        }
        if (extra.length > MAXSYMLEN) {
            log.debug("embedded EPMD: extra data is too long ({})", extra.length);
            return null;
        }
        for (Node n : registered) {
            if (Arrays.equals(n.name, name)) {
                log.debug("embedded EPMD: node name already occupied {}", printable);
                return null;
            }
        }
        Node node = null;
        for (var it = unregistered.iterator(); it.hasNext();) {
            Node n = it.next();
            if (Arrays.equals(n.name, name)) {
                it.remove();
                n.bumpCreation();
                node = n;
                break;
            }
        }
        if (node == null) {
            if (unregistered.size() > MAX_UNREG_COUNT) {
                node = unregistered.removeFirst(); // epmd reuses the oldest slot, creation and all
            } else {
                node = new Node();
                node.crCounter = (int) (System.currentTimeMillis() / 1000);
                node.bumpCreation();
            }
        }
        node.name = name;
        node.fd = conn.fd;
        node.conn = conn;
        node.port = eport;
        node.nodeType = nodeType;
        node.protocol = protocol;
        node.highVsn = highVsn;
        node.lowVsn = lowVsn;
        node.extra = extra;
        registered.addFirst(node);
        log.debug("embedded EPMD: registering '{}:{}', port {}, type {} proto {} highvsn {} lowvsn {}",
                printable, node.creation(), eport, nodeType, protocol, highVsn, lowVsn);
        return node;
    }

    /** epmd's node_unreg_sock: ends the registration made on this connection, if any. Caller holds the lock. */
    private void unregister(Conn conn) {
        for (var it = registered.iterator(); it.hasNext();) {
            Node n = it.next();
            if (n.conn == conn) {
                it.remove();
                n.conn = null;
                unregistered.addLast(n);
                log.debug("embedded EPMD: unregistering '{}:{}', port {}",
                        new String(n.name, StandardCharsets.UTF_8), n.creation(), n.port);
                return;
            }
        }
    }

    private void portPlease2(Conn conn, byte[] b) throws IOException {
        int bsize = b.length;
        if (b[bsize - 1] == 0) {
            bsize--; // a terminating NUL is allowed
        }
        if (bsize <= 1) {
            log.debug("embedded EPMD: packet too small for request PORT2_REQ ({})", bsize);
            return;
        }
        for (int i = 1; i < bsize; i++) {
            if (b[i] == 0) {
                log.debug("embedded EPMD: node name contains ascii 0 in PORT2_REQ");
                return;
            }
        }
        // epmd checks the name together with the NUL that ends it, so counts one character more.
        byte[] checked = Arrays.copyOfRange(b, 1, bsize + 1);
        checked[checked.length - 1] = 0;
        int chars = utf8Chars(checked, 0, checked.length);
        if (chars < 1 || chars > 255) {
            log.debug("embedded EPMD: invalid node name in PORT2_REQ");
            return;
        }
        byte[] name = Arrays.copyOfRange(b, 1, bsize);
        byte[] resp = null;
        synchronized (this) {
            for (Node n : registered) {
                if (Arrays.equals(n.name, name)) {
                    resp = new byte[14 + n.name.length + n.extra.length];
                    resp[0] = (byte) PORT2_RESP;
                    resp[1] = 0;
                    put16(resp, 2, n.port);
                    resp[4] = (byte) n.nodeType;
                    resp[5] = (byte) n.protocol;
                    put16(resp, 6, n.highVsn);
                    put16(resp, 8, n.lowVsn);
                    put16(resp, 10, n.name.length);
                    System.arraycopy(n.name, 0, resp, 12, n.name.length);
                    put16(resp, 12 + n.name.length, n.extra.length);
                    System.arraycopy(n.extra, 0, resp, 14 + n.name.length, n.extra.length);
                    break;
                }
            }
        }
        reply(conn, resp != null ? resp : new byte[] {(byte) PORT2_RESP, 1});
    }

    private synchronized byte[] names() {
        Bytes out = new Bytes();
        out.int32(port);
        for (Node n : registered) {
            out.ascii("name ").raw(n.name).ascii(" at port " + n.port + "\n");
        }
        return out.toArray();
    }

    private synchronized byte[] dump() {
        Bytes out = new Bytes();
        out.int32(port);
        for (Node n : registered) {
            out.ascii("active name     <").raw(n.name)
                    .ascii("> at port " + n.port + ", fd = " + n.fd + "\n\0");
        }
        for (Node n : unregistered) {
            out.ascii("old/unused name <").raw(n.name)
                    .ascii(">, port = " + n.port + ", fd = " + n.fd + " \n\0");
        }
        return out.toArray();
    }

    private static void reply(Conn conn, byte[] bytes) throws IOException {
        OutputStream out = conn.socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    /** epmd's local peer check: the peer is a loopback address or the very address it connected to. */
    private static boolean localPeer(Socket socket) {
        InetAddress peer = socket.getInetAddress();
        if (peer == null) {
            return false;
        }
        return peer.isLoopbackAddress() || peer.equals(socket.getLocalAddress());
    }

    /**
     * epmd's verify_utf8: the number of characters in {@code len} bytes of UTF-8, or -1 when they are not
     * (overlong forms, surrogates and code points over U+10FFFF are refused).
     */
    static int utf8Chars(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        int chars = 0;
        while (i < end) {
            int c = b[i] & 0xFF;
            int left = end - i;
            if ((c & 0x80) == 0) {
                i++;
            } else if ((c & 0xE0) == 0xC0) {
                if (left < 2) {
                    return -1;
                }
                if (!continuation(b[i + 1]) || c < 0xC2) {
                    return -1;
                }
                i += 2;
            } else if ((c & 0xF0) == 0xE0) {
                if (left < 3) {
                    return -1;
                }
                int c1 = b[i + 1] & 0xFF;
                if (!continuation(b[i + 1]) || !continuation(b[i + 2]) || (c == 0xE0 && c1 < 0xA0)) {
                    return -1;
                }
                if ((c & 0xF) == 0xD && (c1 & 0x20) != 0) {
                    return -1;
                }
                i += 3;
            } else if ((c & 0xF8) == 0xF0) {
                if (left < 4) {
                    return -1;
                }
                int c1 = b[i + 1] & 0xFF;
                if (!continuation(b[i + 1]) || !continuation(b[i + 2]) || !continuation(b[i + 3])
                        || (c == 0xF0 && c1 < 0x90)) {
                    return -1;
                }
                if ((c & 0x7) > 4 || ((c & 0x7) == 4 && (c1 & 0x3F) > 0xF)) {
                    return -1;
                }
                i += 4;
            } else {
                return -1;
            }
            chars++;
        }
        return chars;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    private static final class Bytes {
        private byte[] buf = new byte[256];
        private int len;

        Bytes raw(byte[] b) {
            if (len + b.length > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + b.length));
            }
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
            return this;
        }

        Bytes ascii(String s) {
            return raw(s.getBytes(StandardCharsets.ISO_8859_1));
        }

        Bytes int32(int v) {
            return raw(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        }

        byte[] toArray() {
            return Arrays.copyOf(buf, len);
        }
    }
}
