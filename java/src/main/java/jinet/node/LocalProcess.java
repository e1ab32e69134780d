package jinet.node;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * A process of this node: a pid other nodes can send to, link to and monitor, and a mailbox
 * that at most one thread works through at a time, so the process sees its messages in arrival
 * order. Its links and monitors are guarded by its own lock; the runtime sends signals after
 * releasing it.
 */
public final class LocalProcess implements Runnable {
    /** Messages handled per turn before the thread goes on to other processes. */
    private static final int BATCH = 64;
    private static final VarHandle SCHEDULED;
    private static final VarHandle MAILBOX;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SCHEDULED = l.findVarHandle(LocalProcess.class, "scheduled", boolean.class);
            MAILBOX = l.findVarHandle(LocalProcess.class, "mailbox", Queue.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A monitor another process holds on this one; by name when it was set up with a name. */
    static final class Watcher {
        final OtpErlangPid pid;
        final OtpErlangAtom name;

        Watcher(OtpErlangPid pid, OtpErlangAtom name) {
            this.pid = pid;
            this.name = name;
        }
    }

    private final Node node;
    private final OtpErlangPid pid;
    private final int number;
    private final ProcessHandler handler;
    private final boolean trapExit;
    private final Executor executor;
    // Made on the first message: a spawned call usually ends within its first turn, having
    // received none. The flag says a thread has the process's turn or is about to take it.
    private volatile Queue<Object> mailbox;
    private volatile boolean scheduled;
    /** Set once the node has filed this process under a node it has links or monitors to. */
    private volatile boolean tied;
    private String registeredName;
    private boolean alive = true;
    // Made on first use: most processes (a spawned call, an idle socket) have few or none.
    // The first watcher is held apart: a spawned call has just one, its caller's monitor, and
    // JInterface's hash of a reference would cost more than the call's own work.
    private OtpErlangRef firstRef;
    private Watcher firstWatcher;
    private Map<OtpErlangRef, Watcher> watchers;
    private Set<OtpErlangPid> links;
    private Set<OtpErlangRef> ownMonitors;

    LocalProcess(Node node, OtpErlangPid pid, ProcessHandler handler, boolean trapExit, Executor executor) {
        this.node = node;
        this.pid = pid;
        this.number = Node.number(pid);
        this.handler = handler;
        this.trapExit = trapExit;
        this.executor = executor;
    }

    public OtpErlangPid pid() {
        return pid;
    }

    public Node node() {
        return node;
    }

    void markTied() {
        tied = true;
    }

    boolean wasTied() {
        return tied;
    }

    /** The pid's number, unique among this node's live processes. */
    int number() {
        return number;
    }

    public synchronized boolean isAlive() {
        return alive;
    }

    /** {@code To ! Message}, to a process here or on any node (connecting to it if needed). */
    public void send(OtpErlangPid to, OtpErlangObject message) {
        node.send(this, to, message);
    }

    /** {@code {Name, Node} ! Message}. */
    public void send(String name, String nodeName, OtpErlangObject message) {
        node.sendToName(this, name, nodeName, message);
    }

    /** {@code Name ! Message} for a name registered on this node; false when there is none. */
    public boolean sendToRegistered(String name, OtpErlangObject message) {
        return node.sendToRegistered(name, message);
    }

    /** {@code erlang:monitor(process, Pid)}: a 'DOWN' message reaches this process's handler. */
    public OtpErlangRef monitor(OtpErlangPid target) {
        return node.monitor(this, target);
    }

    /** {@code erlang:monitor(process, {Name, Node})}, a registered process here or on another node. */
    public OtpErlangRef monitor(String regName, String nodeName) {
        return node.monitor(this, regName, nodeName);
    }

    public void demonitor(OtpErlangRef ref) {
        node.demonitor(this, ref);
    }

    /** {@code link(Pid)}: when either ends abnormally, the other gets the exit signal. */
    public void link(OtpErlangPid other) {
        node.link(this, other);
    }

    /** Ends the process with {@code reason}: monitors fire and links get the exit signal. */
    public void exit(OtpErlangObject reason) {
        node.terminate(this, reason);
    }

    // ---- the mailbox -------------------------------------------------------------------------

    void deliver(Message m) {
        enqueue(m);
    }

    /**
     * Runs {@code task} as a new process's first turn, here and now: a call spawned by a request
     * that arrived on this thread starts without a round through the thread's task queue. The
     * caller must be on the process's executor.
     */
    void runFirstTurn(Runnable task) {
        if (SCHEDULED.compareAndSet(this, false, true)) {
            turn(task);
        } else {
            enqueue(task);
        }
    }

    private void enqueue(Object item) {
        Queue<Object> q = mailbox;
        if (q == null) {
            q = new ConcurrentLinkedQueue<>();
            if (!MAILBOX.compareAndSet(this, null, q)) {
                q = mailbox;
            }
        }
        q.add(item);
        if (SCHEDULED.compareAndSet(this, false, true)) {
            executor.execute(this);
        }
    }

    @Override
    public void run() {
        turn(null);
    }

    /** A turn: {@code first}, if any, then what the mailbox holds, up to a batch. */
    private void turn(Object first) {
        Object item = first;
        for (int i = 0; i < BATCH; i++) {
            Queue<Object> q = mailbox;
            if (item == null && (q == null || (item = q.poll()) == null)) {
                break;
            }
            if (!isAlive()) {
                if (q != null) {
                    q.clear();
                }
                break;
            }
            try {
                if (item instanceof Runnable) {
                    ((Runnable) item).run();
                } else if (handler != null) {
                    handler.onMessage(this, (Message) item);
                }
            } catch (RuntimeException e) {
                // An exception in a process ends that process, as on BEAM.
                node.crashed(this, e);
            }
            item = null;
        }
        scheduled = false;
        Queue<Object> q = mailbox;
        if (q != null && !q.isEmpty() && SCHEDULED.compareAndSet(this, false, true)) {
            executor.execute(this);
        }
    }

    // ---- links and monitors --------------------------------------------------------------------

    boolean trapsExits() {
        return trapExit;
    }

    synchronized String registeredName() {
        return registeredName;
    }

    synchronized void setRegisteredName(String name) {
        registeredName = name;
    }

    synchronized boolean addWatcher(OtpErlangRef ref, Watcher w) {
        if (!alive) {
            return false;
        }
        if (firstRef != null ? firstRef.equals(ref) : watchers == null || watchers.isEmpty()) {
            firstRef = ref;
            firstWatcher = w;
            return true;
        }
        if (watchers == null) {
            watchers = new HashMap<>(4);
        }
        watchers.put(ref, w);
        return true;
    }

    synchronized void removeWatcher(OtpErlangRef ref) {
        if (firstRef != null && firstRef.equals(ref)) {
            firstRef = null;
            firstWatcher = null;
        } else if (watchers != null) {
            watchers.remove(ref);
        }
    }

    synchronized boolean addLink(OtpErlangPid other) {
        if (!alive) {
            return false;
        }
        if (links == null) {
            links = new HashSet<>(4);
        }
        links.add(other);
        return true;
    }

    synchronized boolean removeLink(OtpErlangPid other) {
        return links != null && links.remove(other);
    }

    synchronized boolean addOwnMonitor(OtpErlangRef ref) {
        if (!alive) {
            return false;
        }
        if (ownMonitors == null) {
            ownMonitors = new HashSet<>(4);
        }
        ownMonitors.add(ref);
        return true;
    }

    synchronized boolean removeOwnMonitor(OtpErlangRef ref) {
        return ownMonitors != null && ownMonitors.remove(ref);
    }

    /** Everything that must be told or undone when the process ends, or null if it already ended. */
    synchronized Ending end() {
        if (!alive) {
            return null;
        }
        alive = false;
        List<Map.Entry<OtpErlangRef, Watcher>> all;
        if (watchers == null || watchers.isEmpty()) {
            all = firstRef == null ? List.of() : List.of(Map.entry(firstRef, firstWatcher));
        } else {
            all = new ArrayList<>(watchers.entrySet());
            if (firstRef != null) {
                all.add(Map.entry(firstRef, firstWatcher));
            }
        }
        Ending e = new Ending(all, links != null ? new ArrayList<>(links) : List.of(),
                ownMonitors != null ? new ArrayList<>(ownMonitors) : List.of(), registeredName);
        firstRef = null;
        firstWatcher = null;
        watchers = null;
        links = null;
        ownMonitors = null;
        return e;
    }

    /** Drops what ties this process to processes on {@code nodeName}; returns the links that were cut. */
    synchronized List<OtpErlangPid> forgetNode(String nodeName) {
        if (firstWatcher != null && firstWatcher.pid.node().equals(nodeName)) {
            firstRef = null;
            firstWatcher = null;
        }
        if (watchers != null) {
            watchers.values().removeIf(w -> w.pid.node().equals(nodeName));
        }
        List<OtpErlangPid> cut = new ArrayList<>();
        if (links == null) {
            return cut;
        }
        links.removeIf(p -> {
            if (p.node().equals(nodeName)) {
                cut.add(p);
                return true;
            }
            return false;
        });
        return cut;
    }

    static final class Ending {
        final List<Map.Entry<OtpErlangRef, Watcher>> watchers;
        final List<OtpErlangPid> links;
        final List<OtpErlangRef> ownMonitors;
        final String registeredName;

        Ending(List<Map.Entry<OtpErlangRef, Watcher>> watchers, List<OtpErlangPid> links, List<OtpErlangRef> ownMonitors,
               String registeredName) {
            this.watchers = watchers;
            this.links = links;
            this.ownMonitors = ownMonitors;
            this.registeredName = registeredName;
        }
    }

    /** Pids are unique on this node: cheaper than an identity hash, which the JVM must install. */
    @Override
    public int hashCode() {
        return number;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public String toString() {
        return "LocalProcess" + pid;
    }
}
