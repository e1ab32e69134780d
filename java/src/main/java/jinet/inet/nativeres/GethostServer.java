package jinet.inet.nativeres;

import com.ericsson.otp.erlang.OtpErlangObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import jinet.term.Terms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inet_gethost_native server process and the port behind it. Callers asking the same thing
 * ({Op, Proto, Data} equal) while it is pending share one request to the port; each caller has a
 * timer of the request timeout, after which it gets {@code {error,timeout}}; when the last one
 * gives up, the request is cancelled in the port. The lookup runs on the thread of a caller that
 * is still waiting when a worker takes the request; if that caller's own time runs out during
 * the lookup, it returns {@code {error,timeout}} once libc returns.
 */
final class GethostServer {
    private static final Logger log = LoggerFactory.getLogger(GethostServer.class);
    private static final ScheduledExecutorService TIMERS = timers();

    static final class Request {
        final RequestKey key;
        final int op;
        final int proto;
        /** What goes to the port; null when port_command refused it (no answer ever comes). */
        final byte[] data;
        /** The worker-selection domain inet_gethost derives from the request. */
        final byte[] domain;
        final List<Client> clients = new ArrayList<>();
        /** Taken out of the server's tables: answered or given up. */
        boolean removed;
        /** A worker has taken it; {@link #running} once a caller's thread does the lookup. */
        boolean ready;
        boolean running;
        WorkerPool.Worker worker;

        Request(RequestKey key, int op, int proto, byte[] data, byte[] domain) {
            this.key = key;
            this.op = op;
            this.proto = proto;
            this.data = data;
            this.domain = domain;
        }
    }

    private static final class Client {
        final OtpErlangObject defaultName;
        ScheduledFuture<?> timer;
        Reply reply;
        boolean timedOut;

        Client(OtpErlangObject defaultName) {
            this.defaultName = defaultName;
        }

        boolean done() {
            return reply != null || timedOut;
        }
    }

    private final Netdb netdb;
    private final PoolConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<RequestKey, Request> requests = new HashMap<>();
    private final WorkerPool pool;

    GethostServer(Netdb netdb, PoolConfig config) {
        this.netdb = netdb;
        this.config = config;
        this.pool = new WorkerPool(config);
    }

    /**
     * One caller's request, answered as getit/2 answers it.
     *
     * @param key the request's identity, {Op, Proto, Data} with Data as Erlang compares it
     * @param data the bytes for the port, or null when they are no iodata
     */
    OtpErlangObject call(RequestKey key, int op, int proto, byte[] data, byte[] domain, OtpErlangObject defaultName) {
        Client c = new Client(defaultName);
        lock.lock();
        try {
            Request r = requests.get(key);
            if (r == null) {
                r = new Request(key, op, proto, data, domain);
                requests.put(key, r);
                if (data != null && !config.broken()) {
                    pool.submit(r);
                }
            }
            r.clients.add(c);
            Request req = r;
            c.timer = TIMERS.schedule(() -> timeout(req, c), config.requestTimeoutMillis, TimeUnit.MILLISECONDS);
            while (!c.done()) {
                if (r.ready && !r.running) {
                    run(r);
                } else {
                    changed.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
        }
        return c.timedOut ? Terms.error("timeout") : HostentTerm.of(c.reply, c.defaultName);
    }

    /** The worker's part, with the lock released while libc works. */
    private void run(Request r) {
        r.running = true;
        Reply reply = null;
        lock.unlock();
        try {
            reply = PortProgram.lookup(netdb, r.op, r.proto, r.data);
        } catch (RuntimeException e) {
            // As a worker that dies: its slot is freed, its callers hear nothing and time out.
            log.warn("native lookup failed", e);
        } finally {
            lock.lock();
        }
        if (pool.finished(r) && reply != null && !r.removed) {
            remove(r);
            for (Client c : r.clients) {
                c.timer.cancel(false);
                c.reply = reply;
            }
        }
        changed.signalAll();
    }

    /** A caller's timer fired: handle_message({timeout, Pid, RID}). */
    private void timeout(Request r, Client c) {
        lock.lock();
        try {
            if (r.removed || c.done()) {
                return;
            }
            if (r.clients.size() == 1) {
                remove(r);
                pool.cancel(r);
            } else {
                r.clients.remove(c);
            }
            c.timedOut = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void remove(Request r) {
        r.removed = true;
        requests.remove(r.key, r);
    }

    private static ScheduledExecutorService timers() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = Executors.defaultThreadFactory().newThread(runnable);
            thread.setName("jinet-gethost-timer");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }
}
