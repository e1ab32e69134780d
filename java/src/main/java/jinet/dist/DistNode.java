package jinet.dist;

import com.ericsson.otp.erlang.OtpAuthException;
import com.ericsson.otp.erlang.OtpEpmd;
import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpInputStream;
import com.ericsson.otp.erlang.OtpServerTransport;
import com.ericsson.otp.erlang.OtpTransport;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jinet.term.Terms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jinet's distribution runtime: accepts connections (JInterface does the handshake), keeps the
 * process table and registered names, and carries out the control messages a BEAM node sends:
 * sends, links (with unlink ids), monitors by pid and by name in both directions, exit signals,
 * and spawn requests, which the {@link SpawnHandler} runs.
 */
public final class DistNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DistNode.class);
    private static final OtpErlangAtom NORMAL = Terms.atom("normal");
    private static final OtpErlangAtom NOPROC = Terms.atom("noproc");
    private static final OtpErlangAtom NOCONNECTION = Terms.atom("noconnection");
    private static final OtpErlangAtom KILL = Terms.atom("kill");
    private static final OtpErlangAtom KILLED = Terms.atom("killed");

    /** A monitor a local process holds on a remote one. */
    private static final class OwnMonitor {
        final LocalProcess watcher;
        final OtpErlangPid target;

        OwnMonitor(LocalProcess watcher, OtpErlangPid target) {
            this.watcher = watcher;
            this.target = target;
        }
    }

    private final NodeIdentity identity;
    private final OtpServerTransport listener;
    private final SpawnHandler spawner;
    private final Map<String, DistConnection> connections = new ConcurrentHashMap<>();
    private final Map<OtpErlangPid, LocalProcess> processes = new ConcurrentHashMap<>();
    private final Map<String, LocalProcess> names = new ConcurrentHashMap<>();
    private final Map<OtpErlangRef, OwnMonitor> ownMonitors = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private DistNode(NodeIdentity identity, OtpServerTransport listener, SpawnHandler spawner) {
        this.identity = identity;
        this.listener = listener;
        this.spawner = spawner;
    }

    /** Listens, registers with EPMD (failing if the name is taken) and starts accepting. */
    public static DistNode start(String fullName, String cookie, SpawnHandler spawner) throws IOException {
        NodeIdentity identity = new NodeIdentity(fullName, cookie);
        OtpServerTransport listener = identity.createServerTransport(0);
        identity.setListenPort(listener.getLocalPort());
        if (!OtpEpmd.publishPort(identity)) {
            listener.close();
            throw new IOException("the name " + fullName + " seems to be in use by another Erlang node");
        }
        DistNode node = new DistNode(identity, listener, spawner);
        node.register("net_kernel", new NetKernel());
        Thread acceptor = new Thread(node::acceptLoop, "acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        return node;
    }

    public String name() {
        return identity.node();
    }

    /** A process registered under {@code name}, as a server process would be; it traps exits. */
    public LocalProcess register(String name, ProcessHandler handler) {
        LocalProcess p = newProcess(handler, true);
        if (names.putIfAbsent(name, p) != null) {
            processes.remove(p.pid());
            throw new IllegalStateException("name already registered: " + name);
        }
        p.setRegisteredName(name);
        return p;
    }

    /** A new unregistered process. */
    public LocalProcess spawn(ProcessHandler handler) {
        return newProcess(handler, false);
    }

    /** How many processes are alive: a leak check for tests and operators. */
    public int processCount() {
        return processes.size();
    }

    private LocalProcess newProcess(ProcessHandler handler, boolean trapExit) {
        LocalProcess p = new LocalProcess(this, identity.createPid(), handler, trapExit);
        processes.put(p.pid(), p);
        return p;
    }

    // ---- accepting ---------------------------------------------------------------------------

    private void acceptLoop() {
        while (!closed) {
            OtpTransport socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.error("accept failed; no more connections will be accepted", e);
                }
                return;
            }
            // The handshake runs on its own thread so a slow or hostile peer cannot hold up others.
            Thread t = new Thread(() -> handshake(socket), "handshake");
            t.setDaemon(true);
            t.start();
        }
    }

    private void handshake(OtpTransport socket) {
        DistConnection conn;
        try {
            conn = new DistConnection(identity, socket, this);
        } catch (IOException | OtpAuthException e) {
            log.info("refused a connection: {}", e.getMessage());
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
            return;
        }
        DistConnection previous = connections.put(conn.peerName(), conn);
        if (previous != null) {
            previous.close();
        }
        log.debug("connected to {}", conn.peerName());
        conn.start();
    }

    void connectionClosed(DistConnection conn) {
        if (!connections.remove(conn.peerName(), conn)) {
            return;
        }
        String peer = conn.peerName();
        log.debug("disconnected from {}", peer);
        for (LocalProcess p : processes.values()) {
            for (OtpErlangPid linked : p.forgetNode(peer)) {
                exitSignal(p, linked, NOCONNECTION, false);
            }
        }
        ownMonitors.forEach((ref, m) -> {
            if (m.target.node().equals(peer) && ownMonitors.remove(ref, m)) {
                m.watcher.removeOwnMonitor(ref);
                deliverDown(m.watcher, ref, m.target, NOCONNECTION);
            }
        });
    }

    // ---- control messages --------------------------------------------------------------------

    void onControl(DistConnection conn, OtpErlangTuple c, OtpInputStream payload) {
        int tag = (int) ((OtpErlangLong) c.elementAt(0)).longValue();
        try {
            switch (tag) {
                case Control.SEND:
                case Control.SEND_TT:
                    deliver(processes.get((OtpErlangPid) c.elementAt(2)), new Message(null, payload));
                    break;
                case Control.REG_SEND:
                case Control.REG_SEND_TT:
                    deliver(names.get(((OtpErlangAtom) c.elementAt(3)).atomValue()),
                            new Message((OtpErlangPid) c.elementAt(1), payload));
                    break;
                case Control.LINK:
                    onLink(conn, (OtpErlangPid) c.elementAt(1), (OtpErlangPid) c.elementAt(2));
                    break;
                case Control.UNLINK:
                    unlink((OtpErlangPid) c.elementAt(2), (OtpErlangPid) c.elementAt(1));
                    break;
                case Control.UNLINK_ID:
                    unlink((OtpErlangPid) c.elementAt(3), (OtpErlangPid) c.elementAt(2));
                    conn.send(Control.unlinkIdAck(c.elementAt(1), c.elementAt(3), c.elementAt(2)));
                    break;
                case Control.UNLINK_ID_ACK:
                    break; // this runtime does not unlink by itself yet
                case Control.EXIT:
                case Control.EXIT_TT:
                case Control.EXIT2:
                case Control.EXIT2_TT: {
                    boolean traced = tag == Control.EXIT_TT || tag == Control.EXIT2_TT;
                    LocalProcess to = processes.get((OtpErlangPid) c.elementAt(2));
                    OtpErlangPid from = (OtpErlangPid) c.elementAt(1);
                    OtpErlangObject reason = c.elementAt(traced ? 4 : 3);
                    boolean viaLink = tag == Control.EXIT || tag == Control.EXIT_TT;
                    if (to != null && (!viaLink || to.removeLink(from))) {
                        exitSignal(to, from, reason, !viaLink);
                    }
                    break;
                }
                case Control.MONITOR_P:
                    onMonitor(conn, (OtpErlangPid) c.elementAt(1), c.elementAt(2), (OtpErlangRef) c.elementAt(3));
                    break;
                case Control.DEMONITOR_P: {
                    LocalProcess target = lookup(c.elementAt(2));
                    if (target != null) {
                        target.removeWatcher((OtpErlangRef) c.elementAt(3));
                    }
                    break;
                }
                case Control.MONITOR_P_EXIT:
                    onMonitorExit(c.elementAt(1), (OtpErlangRef) c.elementAt(3), c.elementAt(4));
                    break;
                case Control.SPAWN_REQUEST:
                case Control.SPAWN_REQUEST_TT:
                    onSpawnRequest(conn, c, payload);
                    break;
                case Control.GROUP_LEADER:
                case Control.SPAWN_REPLY:
                case Control.ALIAS_SEND:
                case Control.ALIAS_SEND_TT:
                    break; // nothing here asks for these yet
                default:
                    log.warn("ignoring control message {} from {}", c, conn.peerName());
            }
        } catch (ClassCastException | IndexOutOfBoundsException e) {
            // A malformed control message from a peer: BEAM would drop the connection.
            log.warn("malformed control message {} from {}; closing the connection", c, conn.peerName());
            conn.close();
        }
    }

    private LocalProcess lookup(OtpErlangObject pidOrName) {
        if (pidOrName instanceof OtpErlangPid) {
            return processes.get(pidOrName);
        }
        if (pidOrName instanceof OtpErlangAtom) {
            return names.get(((OtpErlangAtom) pidOrName).atomValue());
        }
        return null;
    }

    private void deliver(LocalProcess to, Message message) {
        if (to != null && to.isAlive() && to.handler() != null) {
            to.handler().onMessage(to, message);
        }
    }

    private void onLink(DistConnection conn, OtpErlangPid from, OtpErlangPid to) {
        LocalProcess p = processes.get(to);
        if (p == null || !p.addLink(from)) {
            conn.send(Control.exit(to, from, NOPROC));
        }
    }

    private void unlink(OtpErlangPid local, OtpErlangPid remote) {
        LocalProcess p = processes.get(local);
        if (p != null) {
            p.removeLink(remote);
        }
    }

    private void onMonitor(DistConnection conn, OtpErlangPid watcher, OtpErlangObject target, OtpErlangRef ref) {
        LocalProcess p = lookup(target);
        OtpErlangAtom byName = target instanceof OtpErlangAtom ? (OtpErlangAtom) target : null;
        if (p == null || !p.addWatcher(ref, new LocalProcess.Watcher(watcher, byName))) {
            conn.send(Control.monitorExit(target, watcher, ref, NOPROC));
        }
    }

    private void onMonitorExit(OtpErlangObject from, OtpErlangRef ref, OtpErlangObject reason) {
        OwnMonitor m = ownMonitors.remove(ref);
        if (m != null && m.watcher.removeOwnMonitor(ref)) {
            deliverDown(m.watcher, ref, from, reason);
        }
    }

    /**
     * {@code {SPAWN_REQUEST, ReqId, From, GroupLeader, {M, F, Arity}, Opts}} with the argument
     * list as payload: the process exists, with its link and monitor, before the reply goes out,
     * and the reply goes out before anything the process does.
     */
    private void onSpawnRequest(DistConnection conn, OtpErlangTuple c, OtpInputStream payload) {
        OtpErlangRef reqId = (OtpErlangRef) c.elementAt(1);
        OtpErlangPid parent = (OtpErlangPid) c.elementAt(2);
        OtpErlangTuple mfa = (OtpErlangTuple) c.elementAt(4);
        SpawnOptions opts = SpawnOptions.parse(c.elementAt(5));
        if (opts == null) {
            conn.send(Control.spawnReply(reqId, parent, 0, Terms.atom("badopt")));
            return;
        }
        LocalProcess p = newProcess(null, false);
        int flags = 0;
        if (opts.link && p.addLink(parent)) {
            flags |= Control.SPAWN_REPLY_LINKED;
        }
        if (opts.monitor && p.addWatcher(reqId, new LocalProcess.Watcher(parent, null))) {
            flags |= Control.SPAWN_REPLY_MONITORED;
        }
        conn.send(Control.spawnReply(reqId, parent, flags, p.pid()));
        OtpErlangObject[] args;
        try {
            OtpErlangObject argList = payload.read_any();
            args = Terms.properListElements(argList);
        } catch (com.ericsson.otp.erlang.OtpErlangDecodeException e) {
            args = null;
        }
        if (args == null) {
            terminate(p, Terms.atom("badarg"));
            return;
        }
        spawner.spawn(p, (OtpErlangAtom) mfa.elementAt(0), (OtpErlangAtom) mfa.elementAt(1), args);
    }

    // ---- what local processes do -------------------------------------------------------------

    void send(LocalProcess from, OtpErlangPid to, OtpErlangObject message) {
        if (to.node().equals(identity.node())) {
            deliver(processes.get(to), Message.of(message));
            return;
        }
        DistConnection conn = connections.get(to.node());
        if (conn != null) {
            conn.send(Control.send(to), message);
        }
    }

    /** {@code Name ! Message} for a name registered here; false when there is none. */
    boolean sendToRegistered(String name, OtpErlangObject message) {
        LocalProcess p = names.get(name);
        if (p == null) {
            return false;
        }
        deliver(p, Message.of(message));
        return true;
    }

    OtpErlangRef monitor(LocalProcess watcher, OtpErlangPid target) {
        OtpErlangRef ref = identity.createRef();
        DistConnection conn = connections.get(target.node());
        if (conn == null || !watcher.addOwnMonitor(ref)) {
            deliverDown(watcher, ref, target, conn == null ? NOCONNECTION : NOPROC);
            return ref;
        }
        ownMonitors.put(ref, new OwnMonitor(watcher, target));
        conn.send(Control.monitor(watcher.pid(), target, ref));
        return ref;
    }

    void demonitor(LocalProcess watcher, OtpErlangRef ref) {
        OwnMonitor m = ownMonitors.remove(ref);
        if (m != null && watcher.removeOwnMonitor(ref)) {
            DistConnection conn = connections.get(m.target.node());
            if (conn != null) {
                conn.send(Control.demonitor(watcher.pid(), m.target, ref));
            }
        }
    }

    /** An exit signal reaching a local process: trapped, ignored when normal, else fatal. */
    private void exitSignal(LocalProcess to, OtpErlangPid from, OtpErlangObject reason, boolean exit2) {
        if (exit2 && KILL.equals(reason)) {
            terminate(to, KILLED);
        } else if (to.trapsExits()) {
            deliver(to, Message.of(Terms.tuple(Terms.atom("EXIT"), from, reason)));
        } else if (!NORMAL.equals(reason)) {
            terminate(to, reason);
        }
    }

    void terminate(LocalProcess p, OtpErlangObject reason) {
        LocalProcess.Ending e = p.end();
        if (e == null) {
            return;
        }
        processes.remove(p.pid());
        if (e.registeredName != null) {
            names.remove(e.registeredName, p);
        }
        // Links before monitors, as BEAM ends a process: a linked and monitoring peer sees 'EXIT' first.
        for (OtpErlangPid linked : e.links) {
            DistConnection conn = connections.get(linked.node());
            if (conn != null) {
                conn.send(Control.exit(p.pid(), linked, reason));
            }
        }
        e.watchers.forEach((ref, w) -> {
            DistConnection conn = connections.get(w.pid.node());
            if (conn != null) {
                OtpErlangObject who = w.name != null ? w.name : p.pid();
                conn.send(Control.monitorExit(who, w.pid, ref, reason));
            }
        });
        for (OtpErlangRef ref : e.ownMonitors) {
            OwnMonitor m = ownMonitors.remove(ref);
            DistConnection conn = m == null ? null : connections.get(m.target.node());
            if (conn != null) {
                conn.send(Control.demonitor(p.pid(), m.target, ref));
            }
        }
    }

    private void deliverDown(LocalProcess watcher, OtpErlangRef ref, OtpErlangObject object, OtpErlangObject reason) {
        deliver(watcher, Message.of(Terms.tuple(Terms.atom("DOWN"), ref, Terms.atom("process"), object, reason)));
    }

    /** Unregisters from EPMD, closes every connection and ends every process. */
    @Override
    public void close() {
        closed = true;
        try {
            OtpTransport epmd = identity.epmdConnection();
            if (epmd != null) {
                epmd.close();
                identity.forgetEpmdConnection();
            }
        } catch (IOException e) {
            log.debug("closing the EPMD connection: {}", e.getMessage());
        }
        try {
            listener.close();
        } catch (IOException e) {
            log.debug("closing the listener: {}", e.getMessage());
        }
        for (DistConnection c : List.copyOf(connections.values())) {
            c.close();
        }
        connections.clear();
        processes.clear();
        names.clear();
        ownMonitors.clear();
    }
}
