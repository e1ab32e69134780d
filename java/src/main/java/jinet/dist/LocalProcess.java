package jinet.dist;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A process of this node: a pid other nodes can send to, link to and monitor. Its state is
 * guarded by the object's own lock; the runtime sends signals after releasing it.
 */
public final class LocalProcess {
    /** A monitor another process holds on this one; by name when it was set up with a name. */
    static final class Watcher {
        final OtpErlangPid pid;
        final OtpErlangAtom name;

        Watcher(OtpErlangPid pid, OtpErlangAtom name) {
            this.pid = pid;
            this.name = name;
        }
    }

    private final DistNode node;
    private final OtpErlangPid pid;
    private final ProcessHandler handler;
    private final boolean trapExit;
    private String registeredName;
    private boolean alive = true;
    private final Map<OtpErlangRef, Watcher> watchers = new HashMap<>();
    private final Set<OtpErlangPid> links = new HashSet<>();
    private final Set<OtpErlangRef> ownMonitors = new HashSet<>();

    LocalProcess(DistNode node, OtpErlangPid pid, ProcessHandler handler, boolean trapExit) {
        this.node = node;
        this.pid = pid;
        this.handler = handler;
        this.trapExit = trapExit;
    }

    public OtpErlangPid pid() {
        return pid;
    }

    public DistNode node() {
        return node;
    }

    public synchronized boolean isAlive() {
        return alive;
    }

    /** {@code To ! Message}. */
    public void send(OtpErlangPid to, OtpErlangObject message) {
        node.send(this, to, message);
    }

    /** {@code Name ! Message} for a name registered on this node; false when there is none. */
    public boolean sendToRegistered(String name, OtpErlangObject message) {
        return node.sendToRegistered(name, message);
    }

    /** {@code erlang:monitor(process, Pid)}: a 'DOWN' message reaches this process's handler. */
    public OtpErlangRef monitor(OtpErlangPid target) {
        return node.monitor(this, target);
    }

    public void demonitor(OtpErlangRef ref) {
        node.demonitor(this, ref);
    }

    /** Ends the process with {@code reason}: monitors fire and links get the exit signal. */
    public void exit(OtpErlangObject reason) {
        node.terminate(this, reason);
    }

    ProcessHandler handler() {
        return handler;
    }

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
        watchers.put(ref, w);
        return true;
    }

    synchronized void removeWatcher(OtpErlangRef ref) {
        watchers.remove(ref);
    }

    synchronized boolean addLink(OtpErlangPid other) {
        if (!alive) {
            return false;
        }
        links.add(other);
        return true;
    }

    synchronized boolean removeLink(OtpErlangPid other) {
        return links.remove(other);
    }

    synchronized boolean addOwnMonitor(OtpErlangRef ref) {
        if (!alive) {
            return false;
        }
        ownMonitors.add(ref);
        return true;
    }

    synchronized boolean removeOwnMonitor(OtpErlangRef ref) {
        return ownMonitors.remove(ref);
    }

    /** Everything that must be told or undone when the process ends, or null if it already ended. */
    synchronized Ending end() {
        if (!alive) {
            return null;
        }
        alive = false;
        Ending e = new Ending(new HashMap<>(watchers), new ArrayList<>(links), new ArrayList<>(ownMonitors),
                registeredName);
        watchers.clear();
        links.clear();
        ownMonitors.clear();
        return e;
    }

    /** Drops what ties this process to processes on {@code nodeName}; returns the links that were cut. */
    synchronized List<OtpErlangPid> forgetNode(String nodeName) {
        watchers.values().removeIf(w -> w.pid.node().equals(nodeName));
        List<OtpErlangPid> cut = new ArrayList<>();
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
        final Map<OtpErlangRef, Watcher> watchers;
        final List<OtpErlangPid> links;
        final List<OtpErlangRef> ownMonitors;
        final String registeredName;

        Ending(Map<OtpErlangRef, Watcher> watchers, List<OtpErlangPid> links, List<OtpErlangRef> ownMonitors,
               String registeredName) {
            this.watchers = watchers;
            this.links = links;
            this.ownMonitors = ownMonitors;
            this.registeredName = registeredName;
        }
    }

    @Override
    public String toString() {
        return "LocalProcess" + pid;
    }
}
