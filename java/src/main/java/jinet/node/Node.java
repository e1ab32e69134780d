package jinet.node;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import jinet.dist.Control;
import jinet.dist.DistConnection;
import jinet.dist.DistListener;
import jinet.dist.DistTransport;
import jinet.dist.NodeIdentity;
import jinet.dist.Payload;
import jinet.term.Terms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process runtime: the process table and registered names, message delivery, links and
 * monitors in both directions (indexed by node, so a lost connection touches only what it
 * must), exit signals, and the control messages other nodes send, dispatched from a table.
 */
public final class Node implements DistListener {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    private static final OtpErlangAtom NORMAL = Terms.atom("normal");
    private static final OtpErlangAtom NOPROC = Terms.atom("noproc");
    private static final OtpErlangAtom NOCONNECTION = Terms.atom("noconnection");
    private static final OtpErlangAtom KILL = Terms.atom("kill");
    private static final OtpErlangAtom KILLED = Terms.atom("killed");
    private static final OtpErlangAtom DOWN = Terms.atom("DOWN");
    private static final OtpErlangAtom PROCESS = Terms.atom("process");
    /** Blocking work at once; more waits its turn. */
    private static final int MAX_BLOCKING = 128;

    /** A monitor a local process holds on another process. */
    private static final class OwnMonitor {
        final LocalProcess watcher;
        /** A pid, or a registered name on {@link #targetNode}. */
        final OtpErlangObject target;
        final String targetNode;
        /** What the 'DOWN' names: the pid, or {@code {Name, Node}}. */
        final OtpErlangObject shown;

        OwnMonitor(LocalProcess watcher, OtpErlangObject target, String targetNode, OtpErlangObject shown) {
            this.watcher = watcher;
            this.target = target;
            this.targetNode = targetNode;
            this.shown = shown;
        }
    }

    /** Sends waiting for a connection being set up, in the order they were made. */
    private static final class Waiters {
        final List<Consumer<DistConnection>> actions = new ArrayList<>();
        final List<Runnable> failures = new ArrayList<>();
        boolean started;
        boolean done;
    }

    @FunctionalInterface
    private interface ControlHandler {
        /** False: the control message is malformed and the connection goes. */
        boolean handle(DistConnection c, OtpErlangTuple t, Payload p) throws OtpErlangDecodeException;
    }

    private final NodeIdentity identity;
    private final String name;
    private final SpawnHandler spawner;
    private final ForkJoinPool scheduler;
    private final ElasticPool blocking;
    private final AtomicInteger pidCounter = new AtomicInteger();
    private final AtomicLong refCounter = new AtomicLong();
    private final int refSalt = ThreadLocalRandom.current().nextInt();
    /** By pid number (see {@link #newPid}): JInterface's pid hash costs more than a call's own work. */
    private final ProcessTable processes = new ProcessTable();
    private final Map<String, LocalProcess> names = new ConcurrentHashMap<>();
    private final Map<OtpErlangRef, OwnMonitor> ownMonitors = new ConcurrentHashMap<>();
    /** Local processes with a link or monitor to a node, by node name. */
    private final Map<String, Set<LocalProcess>> tiedProcesses = new ConcurrentHashMap<>();
    private final Map<String, Set<OtpErlangRef>> ownMonitorsByNode = new ConcurrentHashMap<>();
    private final Map<String, Waiters> waiting = new ConcurrentHashMap<>();
    private final Map<DistConnection, Queue<Runnable>> writableWaiters = new ConcurrentHashMap<>();
    private final ControlHandler[] handlers = new ControlHandler[Control.TAGS];
    private volatile DistTransport transport;

    public Node(NodeIdentity identity, SpawnHandler spawner, int schedulers) {
        this.identity = identity;
        this.name = identity.name();
        this.spawner = spawner;
        this.scheduler = new ForkJoinPool(schedulers, pool -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("jinet-scheduler-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, true);
        this.blocking = new ElasticPool(MAX_BLOCKING, 30, daemon("jinet-blocking-"));
        controlTable();
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The transport this node's messages to other nodes go through; set once, before listening. */
    public void attach(DistTransport transport) {
        this.transport = transport;
    }

    public String name() {
        return name;
    }

    public DistTransport transport() {
        return transport;
    }

    /** Where processes run work that waits (files, name servers, libc calls). */
    public Executor blockingExecutor() {
        return blocking;
    }

    // ---- processes ---------------------------------------------------------------------------

    /** A process registered under {@code name}, as a server process would be; it traps exits. */
    public LocalProcess register(String regName, ProcessHandler handler) {
        LocalProcess p = newProcess(handler, true, scheduler);
        if (names.putIfAbsent(regName, p) != null) {
            processes.remove(p);
            throw new IllegalStateException("name already registered: " + regName);
        }
        p.setRegisteredName(regName);
        return p;
    }

    /** A new unregistered process. */
    public LocalProcess spawn(ProcessHandler handler) {
        return newProcess(handler, false, scheduler);
    }

    /**
     * A new unregistered process whose turns run on {@code executor}: a socket's process runs on
     * its channel's I/O thread, so its requests and its channel's events are one ordered stream.
     */
    public LocalProcess spawn(ProcessHandler handler, Executor executor) {
        return newProcess(handler, false, executor);
    }

    /** How many processes are alive: a leak check for tests and operators. */
    public int processCount() {
        return processes.size();
    }

    private LocalProcess newProcess(ProcessHandler handler, boolean trapExit, Executor executor) {
        while (true) {
            LocalProcess p = new LocalProcess(this, newPid(), handler, trapExit, executor);
            if (processes.add(p)) {
                return p;
            }
            // The counter came round to the pid of a process still alive: take the next, as BEAM does
        }
    }

    /** The process {@code pid} names on this node, or null. */
    private LocalProcess local(OtpErlangPid pid) {
        if (pid.id() > 0x7fff || pid.serial() > 0x1fff || pid.creation() != identity.creation()
                || !pid.node().equals(name)) {
            return null;
        }
        return processes.get(number(pid));
    }

    /** A local pid's number: its id and serial, unique on this node. */
    static int number(OtpErlangPid pid) {
        return pid.id() | (pid.serial() << 15);
    }

    /** Pid numbers as BEAM's external pids hold them: 15 bits of id, 13 of serial. */
    private OtpErlangPid newPid() {
        int n = pidCounter.getAndIncrement();
        return new OtpErlangPid(name, n & 0x7fff, (n >>> 15) & 0x1fff, identity.creation());
    }

    public OtpErlangRef newRef() {
        long n = refCounter.incrementAndGet();
        return new OtpErlangRef(name, new int[] {(int) (n & 0x3ffff), (int) (n >>> 18), refSalt},
                identity.creation());
    }

    void crashed(LocalProcess p, RuntimeException e) {
        log.error("{} crashed", p, e);
        terminate(p, Terms.tuple(Terms.atom("jinet_internal_error"), Terms.atom(e.getClass().getSimpleName())));
    }

    // ---- backpressure --------------------------------------------------------------------------

    /** False while the connection to {@code nodeName} has more queued than its high-water mark. */
    public boolean isWritableTo(String nodeName) {
        DistTransport t = transport;
        DistConnection c = t == null || nodeName.equals(name) ? null : t.connection(nodeName);
        return c == null || c.isWritable();
    }

    /**
     * Runs {@code task} once the connection to {@code nodeName} takes more (or is gone). It may
     * run at once, or on that connection's I/O thread: the task hands itself back where it belongs.
     */
    public void whenWritable(String nodeName, Runnable task) {
        DistTransport t = transport;
        DistConnection c = t == null || nodeName.equals(name) ? null : t.connection(nodeName);
        if (c == null || c.isWritable()) {
            task.run();
            return;
        }
        writableWaiters.computeIfAbsent(c, k -> new ConcurrentLinkedQueue<>()).add(task);
        // Queued but not yet written bytes fire no writability event: look again after the drain.
        c.executor().execute(() -> recheckWritable(c));
    }

    private void recheckWritable(DistConnection c) {
        if (!c.isOpen() || c.isWritable()) {
            Queue<Runnable> q = writableWaiters.remove(c);
            if (q != null) {
                q.forEach(Runnable::run);
            }
        }
    }

    @Override
    public void writabilityChanged(DistConnection connection, boolean writable) {
        if (writable) {
            recheckWritable(connection);
        }
    }

    // ---- the transport's side ------------------------------------------------------------------

    @Override
    public void connected(DistConnection connection) {
        log.debug("connected to {}", connection.peer());
    }

    @Override
    public boolean control(DistConnection c, OtpErlangTuple t, Payload p) {
        long tag = ((OtpErlangLong) t.elementAt(0)).longValue();
        ControlHandler h = tag >= 0 && tag < handlers.length ? handlers[(int) tag] : null;
        if (h == null) {
            return false;
        }
        try {
            return h.handle(c, t, p);
        } catch (ClassCastException | IndexOutOfBoundsException | OtpErlangDecodeException e) {
            return false;
        }
    }

    @Override
    public void disconnected(DistConnection connection) {
        String peer = connection.peer();
        log.debug("disconnected from {}", peer);
        recheckWritable(connection);
        Set<LocalProcess> tied = tiedProcesses.remove(peer);
        if (tied != null) {
            for (LocalProcess p : tied) {
                for (OtpErlangPid linked : p.forgetNode(peer)) {
                    exitSignal(p, linked, NOCONNECTION, false);
                }
            }
        }
        Set<OtpErlangRef> refs = ownMonitorsByNode.remove(peer);
        if (refs != null) {
            for (OtpErlangRef ref : refs) {
                OwnMonitor m = ownMonitors.remove(ref);
                if (m != null && m.watcher.removeOwnMonitor(ref)) {
                    deliverDown(m.watcher, ref, m.shown, NOCONNECTION);
                }
            }
        }
    }

    private void controlTable() {
        handlers[Control.SEND] = (c, t, p) -> deliverTo(local((OtpErlangPid) t.elementAt(2)), null, p);
        handlers[Control.SEND_TT] = handlers[Control.SEND];
        handlers[Control.SEND_SENDER] = (c, t, p) ->
                deliverTo(local((OtpErlangPid) t.elementAt(2)), (OtpErlangPid) t.elementAt(1), p);
        handlers[Control.SEND_SENDER_TT] = handlers[Control.SEND_SENDER];
        handlers[Control.REG_SEND] = (c, t, p) ->
                deliverTo(names.get(((OtpErlangAtom) t.elementAt(3)).atomValue()), (OtpErlangPid) t.elementAt(1), p);
        handlers[Control.REG_SEND_TT] = handlers[Control.REG_SEND];
        handlers[Control.ALIAS_SEND] = (c, t, p) -> p != null; // this node hands out no aliases
        handlers[Control.ALIAS_SEND_TT] = handlers[Control.ALIAS_SEND];
        handlers[Control.GROUP_LEADER] = (c, t, p) -> true;
        handlers[Control.LINK] = (c, t, p) -> {
            onLink(c, (OtpErlangPid) t.elementAt(1), (OtpErlangPid) t.elementAt(2));
            return true;
        };
        handlers[Control.UNLINK] = (c, t, p) -> {
            unlinkLocal((OtpErlangPid) t.elementAt(2), (OtpErlangPid) t.elementAt(1));
            return true;
        };
        handlers[Control.UNLINK_ID] = (c, t, p) -> {
            unlinkLocal((OtpErlangPid) t.elementAt(3), (OtpErlangPid) t.elementAt(2));
            c.send(Control.unlinkIdAck(t.elementAt(1), t.elementAt(3), t.elementAt(2)));
            return true;
        };
        handlers[Control.UNLINK_ID_ACK] = (c, t, p) -> true; // this runtime does not unlink by itself
        handlers[Control.EXIT] = (c, t, p) -> onExit(t, t.elementAt(3), true);
        handlers[Control.EXIT_TT] = (c, t, p) -> onExit(t, t.elementAt(4), true);
        handlers[Control.PAYLOAD_EXIT] = (c, t, p) -> onExit(t, p.decode(), true);
        handlers[Control.PAYLOAD_EXIT_TT] = handlers[Control.PAYLOAD_EXIT];
        handlers[Control.EXIT2] = (c, t, p) -> onExit(t, t.elementAt(3), false);
        handlers[Control.EXIT2_TT] = (c, t, p) -> onExit(t, t.elementAt(4), false);
        handlers[Control.PAYLOAD_EXIT2] = (c, t, p) -> onExit(t, p.decode(), false);
        handlers[Control.PAYLOAD_EXIT2_TT] = handlers[Control.PAYLOAD_EXIT2];
        handlers[Control.MONITOR_P] = (c, t, p) -> {
            onMonitor(c, (OtpErlangPid) t.elementAt(1), t.elementAt(2), (OtpErlangRef) t.elementAt(3));
            return true;
        };
        handlers[Control.DEMONITOR_P] = (c, t, p) -> {
            LocalProcess target = lookup(t.elementAt(2));
            if (target != null) {
                target.removeWatcher((OtpErlangRef) t.elementAt(3));
            }
            return true;
        };
        handlers[Control.MONITOR_P_EXIT] = (c, t, p) -> onMonitorExit((OtpErlangRef) t.elementAt(3), t.elementAt(4));
        handlers[Control.PAYLOAD_MONITOR_P_EXIT] = (c, t, p) -> onMonitorExit((OtpErlangRef) t.elementAt(3),
                p.decode());
        handlers[Control.SPAWN_REQUEST] = this::onSpawnRequest;
        handlers[Control.SPAWN_REQUEST_TT] = this::onSpawnRequest;
        handlers[Control.SPAWN_REPLY] = (c, t, p) -> true; // this node makes no spawn requests
        handlers[Control.SPAWN_REPLY_TT] = handlers[Control.SPAWN_REPLY];
    }

    private boolean deliverTo(LocalProcess to, OtpErlangPid sender, Payload p) {
        if (p == null) {
            return false;
        }
        if (to != null) {
            to.deliver(new Message(sender, p));
        }
        return true;
    }

    private LocalProcess lookup(OtpErlangObject pidOrName) {
        if (pidOrName instanceof OtpErlangPid) {
            return local((OtpErlangPid) pidOrName);
        }
        if (pidOrName instanceof OtpErlangAtom) {
            return names.get(((OtpErlangAtom) pidOrName).atomValue());
        }
        return null;
    }

    private void onLink(DistConnection conn, OtpErlangPid from, OtpErlangPid to) {
        LocalProcess p = local(to);
        if (p == null || !p.addLink(from)) {
            conn.sendExit(to, from, NOPROC);
            return;
        }
        tie(p, from.node());
    }

    private void unlinkLocal(OtpErlangPid pid, OtpErlangPid remote) {
        LocalProcess p = local(pid);
        if (p != null) {
            p.removeLink(remote);
        }
    }

    private boolean onExit(OtpErlangTuple t, OtpErlangObject reason, boolean viaLink) {
        OtpErlangPid from = (OtpErlangPid) t.elementAt(1);
        LocalProcess to = local((OtpErlangPid) t.elementAt(2));
        if (to != null && (!viaLink || to.removeLink(from))) {
            exitSignal(to, from, reason, !viaLink);
        }
        return true;
    }

    private void onMonitor(DistConnection conn, OtpErlangPid watcher, OtpErlangObject target, OtpErlangRef ref) {
        LocalProcess p = lookup(target);
        OtpErlangAtom byName = target instanceof OtpErlangAtom ? (OtpErlangAtom) target : null;
        if (p == null || !p.addWatcher(ref, new LocalProcess.Watcher(watcher, byName))) {
            conn.sendMonitorExit(target, watcher, ref, NOPROC);
            return;
        }
        tie(p, watcher.node());
    }

    private boolean onMonitorExit(OtpErlangRef ref, OtpErlangObject reason) {
        OwnMonitor m = ownMonitors.remove(ref);
        if (m != null) {
            untieMonitor(m.targetNode, ref);
            if (m.watcher.removeOwnMonitor(ref)) {
                deliverDown(m.watcher, ref, m.shown, reason);
            }
        }
        return true;
    }

    /**
     * {@code {SPAWN_REQUEST, ReqId, From, GroupLeader, {M, F, Arity}, Opts}} with the argument
     * list as payload: the process exists, with its link and monitor, before the reply goes out,
     * and the reply goes out before anything the process does. The process lives on the
     * connection's I/O thread unless its function waits or its arguments are large.
     */
    private boolean onSpawnRequest(DistConnection conn, OtpErlangTuple c, Payload payload) {
        OtpErlangRef reqId = (OtpErlangRef) c.elementAt(1);
        OtpErlangPid parent = (OtpErlangPid) c.elementAt(2);
        OtpErlangPid groupLeader = c.elementAt(3) instanceof OtpErlangPid ? (OtpErlangPid) c.elementAt(3) : null;
        OtpErlangTuple mfa = (OtpErlangTuple) c.elementAt(4);
        OtpErlangAtom module = (OtpErlangAtom) mfa.elementAt(0);
        OtpErlangAtom function = (OtpErlangAtom) mfa.elementAt(1);
        if (payload == null) {
            return false;
        }
        SpawnOptions opts = SpawnOptions.parse(c.elementAt(5));
        if (opts == null) {
            conn.sendSpawnReply(reqId, parent, 0, Terms.atom("badopt"));
            return true;
        }
        LocalProcess p = newProcess(null, false, conn.executor());
        int flags = 0;
        if (opts.link && p.addLink(parent)) {
            flags |= Control.SPAWN_REPLY_LINKED;
        }
        if (opts.monitor && p.addWatcher(reqId, new LocalProcess.Watcher(parent, null))) {
            flags |= Control.SPAWN_REPLY_MONITORED;
        }
        conn.sendSpawnReply(reqId, parent, flags, p.pid());
        p.runFirstTurn(() -> {
            OtpErlangObject[] args;
            try {
                args = Terms.properListElements(payload.decode());
            } catch (OtpErlangDecodeException e) {
                args = null;
            }
            if (args == null) {
                terminate(p, Terms.atom("badarg"));
                return;
            }
            spawner.spawn(p, groupLeader, module, function, args, payload.size());
        });
        if (flags != 0) {
            // Tied only if it outlived its first turn, as most calls do not. The connection cannot
            // go down meanwhile: that, too, is handled on this thread. Under the process's lock,
            // so that an end on another thread either comes first or unties after.
            synchronized (p) {
                if (p.isAlive()) {
                    tie(p, parent.node());
                }
            }
        }
        return true;
    }

    // ---- what local processes do -------------------------------------------------------------

    void send(LocalProcess from, OtpErlangPid to, OtpErlangObject message) {
        if (to.node().equals(name)) {
            LocalProcess p = local(to);
            if (p != null) {
                p.deliver(Message.of(message));
            }
            return;
        }
        withConnection(to.node(), c -> c.send(Control.send(to), message), null);
    }

    void sendToName(LocalProcess from, String regName, String nodeName, OtpErlangObject message) {
        if (nodeName.equals(name)) {
            sendToRegistered(regName, message);
            return;
        }
        withConnection(nodeName, c -> c.send(Control.regSend(from.pid(), Terms.atom(regName)), message), null);
    }

    /** {@code Name ! Message} for a name registered here; false when there is none. */
    boolean sendToRegistered(String regName, OtpErlangObject message) {
        LocalProcess p = names.get(regName);
        if (p == null) {
            return false;
        }
        p.deliver(Message.of(message));
        return true;
    }

    /**
     * Runs {@code action} on the connection to {@code nodeName}, setting it up first if needed
     * (actions wait in order); {@code onFailure}, if given, runs when the node cannot be reached.
     */
    private void withConnection(String nodeName, Consumer<DistConnection> action, Runnable onFailure) {
        DistTransport t = transport;
        DistConnection c = t == null ? null : t.connection(nodeName);
        if (c != null) {
            action.accept(c);
            return;
        }
        if (t == null) {
            if (onFailure != null) {
                onFailure.run();
            }
            return;
        }
        while (true) {
            Waiters w = waiting.computeIfAbsent(nodeName, n -> new Waiters());
            synchronized (w) {
                if (w.done) {
                    continue; // finished meanwhile: start over with a fresh look
                }
                w.actions.add(action);
                w.failures.add(onFailure);
                if (!w.started) {
                    w.started = true;
                    t.connect(nodeName).whenComplete((conn, err) -> connectDone(nodeName, w, conn));
                }
                return;
            }
        }
    }

    private void connectDone(String nodeName, Waiters w, DistConnection conn) {
        List<Consumer<DistConnection>> actions;
        List<Runnable> failures;
        synchronized (w) {
            w.done = true;
            waiting.remove(nodeName, w);
            actions = w.actions;
            failures = w.failures;
        }
        for (int i = 0; i < actions.size(); i++) {
            if (conn != null) {
                actions.get(i).accept(conn);
            } else if (failures.get(i) != null) {
                failures.get(i).run();
            }
        }
    }

    OtpErlangRef monitor(LocalProcess watcher, OtpErlangPid target) {
        return monitor(watcher, target, target.node(), target);
    }

    /** {@code erlang:monitor(process, {Name, Node})}: 'DOWN' names the process as {@code {Name, Node}}. */
    OtpErlangRef monitor(LocalProcess watcher, String regName, String nodeName) {
        OtpErlangAtom atom = Terms.atom(regName);
        return monitor(watcher, atom, nodeName, Terms.tuple(atom, Terms.atom(nodeName)));
    }

    /** {@code target} is a pid or a registered name on {@code targetNode}; {@code shown} is what 'DOWN' names. */
    private OtpErlangRef monitor(LocalProcess watcher, OtpErlangObject target, String targetNode,
                                 OtpErlangObject shown) {
        OtpErlangRef ref = newRef();
        if (!watcher.addOwnMonitor(ref)) {
            return ref;
        }
        OtpErlangAtom byName = target instanceof OtpErlangAtom ? (OtpErlangAtom) target : null;
        if (targetNode.equals(name)) {
            LocalProcess p = lookup(target);
            if (p == null || !p.addWatcher(ref, new LocalProcess.Watcher(watcher.pid(), byName))) {
                watcher.removeOwnMonitor(ref);
                deliverDown(watcher, ref, shown, NOPROC);
            } else {
                ownMonitors.put(ref, new OwnMonitor(watcher, target, targetNode, shown));
            }
            return ref;
        }
        ownMonitors.put(ref, new OwnMonitor(watcher, target, targetNode, shown));
        ownMonitorsByNode.computeIfAbsent(targetNode, n -> ConcurrentHashMap.newKeySet()).add(ref);
        withConnection(targetNode, c -> c.send(Control.monitor(watcher.pid(), target, ref)), () -> {
            OwnMonitor m = ownMonitors.remove(ref);
            untieMonitor(targetNode, ref);
            if (m != null && watcher.removeOwnMonitor(ref)) {
                deliverDown(watcher, ref, shown, NOCONNECTION);
            }
        });
        return ref;
    }

    void demonitor(LocalProcess watcher, OtpErlangRef ref) {
        OwnMonitor m = ownMonitors.remove(ref);
        if (m == null || !watcher.removeOwnMonitor(ref)) {
            return;
        }
        if (m.targetNode.equals(name)) {
            LocalProcess p = lookup(m.target);
            if (p != null) {
                p.removeWatcher(ref);
            }
            return;
        }
        untieMonitor(m.targetNode, ref);
        DistConnection c = transport.connection(m.targetNode);
        if (c != null) {
            c.send(Control.demonitor(watcher.pid(), m.target, ref));
        }
    }

    void link(LocalProcess self, OtpErlangPid other) {
        if (other.node().equals(name)) {
            LocalProcess p = local(other);
            if (p != null && p.addLink(self.pid())) {
                self.addLink(other);
            } else {
                exitSignal(self, other, NOPROC, false);
            }
            return;
        }
        if (self.addLink(other)) {
            tie(self, other.node());
            withConnection(other.node(), c -> c.send(Control.link(self.pid(), other)), () -> {
                if (self.removeLink(other)) {
                    exitSignal(self, other, NOCONNECTION, false);
                }
            });
        }
    }

    /** An exit signal reaching a local process: trapped, ignored when normal, else fatal. */
    private void exitSignal(LocalProcess to, OtpErlangPid from, OtpErlangObject reason, boolean exit2) {
        if (exit2 && KILL.equals(reason)) {
            terminate(to, KILLED);
        } else if (to.trapsExits()) {
            to.deliver(Message.of(Terms.tuple(Terms.atom("EXIT"), from, reason)));
        } else if (!NORMAL.equals(reason)) {
            terminate(to, reason);
        }
    }

    void terminate(LocalProcess p, OtpErlangObject reason) {
        LocalProcess.Ending e = p.end();
        if (e == null) {
            return;
        }
        processes.remove(p);
        if (e.registeredName != null) {
            names.remove(e.registeredName, p);
        }
        // Links before monitors, as BEAM ends a process: a linked and monitoring peer sees 'EXIT' first.
        for (OtpErlangPid linked : e.links) {
            if (linked.node().equals(name)) {
                LocalProcess other = local(linked);
                if (other != null && other.removeLink(p.pid())) {
                    exitSignal(other, p.pid(), reason, false);
                }
            } else {
                untie(p, linked.node());
                DistConnection conn = transport.connection(linked.node());
                if (conn != null) {
                    conn.sendExit(p.pid(), linked, reason);
                }
            }
        }
        for (Map.Entry<OtpErlangRef, LocalProcess.Watcher> entry : e.watchers) {
            OtpErlangRef ref = entry.getKey();
            LocalProcess.Watcher w = entry.getValue();
            OtpErlangObject who = w.name != null ? w.name : p.pid();
            if (w.pid.node().equals(name)) {
                OwnMonitor m = ownMonitors.remove(ref);
                if (m != null && m.watcher.removeOwnMonitor(ref)) {
                    deliverDown(m.watcher, ref, m.shown, reason);
                }
            } else {
                untie(p, w.pid.node());
                DistConnection conn = transport.connection(w.pid.node());
                if (conn != null) {
                    conn.sendMonitorExit(who, w.pid, ref, reason);
                }
            }
        }
        for (OtpErlangRef ref : e.ownMonitors) {
            OwnMonitor m = ownMonitors.remove(ref);
            if (m == null) {
                continue;
            }
            if (m.targetNode.equals(name)) {
                LocalProcess target = lookup(m.target);
                if (target != null) {
                    target.removeWatcher(ref);
                }
            } else {
                untieMonitor(m.targetNode, ref);
                DistConnection conn = transport.connection(m.targetNode);
                if (conn != null) {
                    conn.send(Control.demonitor(p.pid(), m.target, ref));
                }
            }
        }
    }

    private void tie(LocalProcess p, String nodeName) {
        if (!nodeName.equals(name)) {
            p.markTied();
            tiedProcesses.computeIfAbsent(nodeName, n -> ConcurrentHashMap.newKeySet()).add(p);
        }
    }

    /** A spawned call that ended in its first turn was never tied: nothing to look up. */
    private void untie(LocalProcess p, String nodeName) {
        if (!p.wasTied()) {
            return;
        }
        Set<LocalProcess> s = tiedProcesses.get(nodeName);
        if (s != null) {
            s.remove(p);
        }
    }

    private void untieMonitor(String nodeName, OtpErlangRef ref) {
        Set<OtpErlangRef> s = ownMonitorsByNode.get(nodeName);
        if (s != null) {
            s.remove(ref);
        }
    }

    private void deliverDown(LocalProcess watcher, OtpErlangRef ref, OtpErlangObject object, OtpErlangObject reason) {
        watcher.deliver(Message.of(Terms.tuple(DOWN, ref, PROCESS, object, reason)));
    }

    /** Ends every process and stops the schedulers; the transport is closed by its owner. */
    public void close() {
        processes.clear();
        names.clear();
        ownMonitors.clear();
        tiedProcesses.clear();
        ownMonitorsByNode.clear();
        scheduler.shutdownNow();
        blocking.shutdownNow();
    }
}
