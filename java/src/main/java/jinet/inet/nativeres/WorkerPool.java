package jinet.inet.nativeres;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The scheduling of inet_gethost's main process (main_loop, pick_worker, pick_worker_greedy,
 * check_que, clean_que_of, stall_worker): which request a worker takes and when. Here a worker
 * is a slot, not a process; the lookup itself runs on a thread of one of the request's callers.
 * The three worker arrays keep C's order (append at the end, remove by moving the last entry into
 * the hole), since the greedy choice scans the busy array in order. All methods run under the
 * server's lock.
 */
final class WorkerPool {
    static final class Worker {
        /** The domain of the last request dispatched to it straight from Erlang; null when unset. */
        byte[] domain;
        /** What it is doing: a busy or stalled worker's request. */
        GethostServer.Request current;
        final Deque<GethostServer.Request> queue = new ArrayDeque<>();
    }

    private final int maxWorkers;
    private final int greedyThreshold;
    private final List<Worker> busy = new ArrayList<>();
    private final List<Worker> free = new ArrayList<>();
    private final List<Worker> stalled = new ArrayList<>();
    private final Deque<GethostServer.Request> queue = new ArrayDeque<>();

    WorkerPool(PoolConfig config) {
        this.maxWorkers = config.workers;
        this.greedyThreshold = config.greedyThreshold;
    }

    /** A new request from Erlang. */
    void submit(GethostServer.Request r) {
        if (busy.size() >= greedyThreshold) {
            // BEE_GREEDY: queue behind the busy worker on the same domain with the shortest queue
            Worker found = null;
            for (Worker w : busy) {
                if (Arrays.equals(w.domain, r.domain) && (found == null || w.queue.size() < found.queue.size())) {
                    found = w;
                }
            }
            if (found != null) {
                found.queue.addLast(r);
                return;
            }
        }
        Worker w = pick();
        if (w == null) {
            queue.addLast(r);
        } else {
            start(w, r);
            w.domain = r.domain;
        }
    }

    /**
     * The worker running {@code r} has answered. True when the answer goes to Erlang: it does when
     * the worker is busy with {@code r}, not when it was stalled or replaced since.
     */
    boolean finished(GethostServer.Request r) {
        Worker w = r.worker;
        if (w == null || w.current != r) {
            return false;
        }
        int i = busy.indexOf(w);
        if (i >= 0) {
            if (!w.queue.isEmpty()) {
                start(w, w.queue.pollFirst());
            } else {
                w.current = null;
                free.add(removeAt(busy, i));
            }
            checkQueue();
            return true;
        }
        i = stalled.indexOf(w);
        if (i >= 0) {
            w.current = null;
            free.add(removeAt(stalled, i));
            checkQueue();
        }
        return false;
    }

    /** Erlang gave up on {@code r} (OP_CANCEL_REQUEST). */
    void cancel(GethostServer.Request r) {
        if (queue.remove(r)) {
            return;
        }
        for (Worker w : busy) {
            if (w.queue.remove(r)) {
                return;
            }
        }
        for (int i = 0; i < busy.size(); i++) {
            Worker w = busy.get(i);
            if (w.current == r) {
                if (!w.queue.isEmpty()) {
                    // restart_worker: a new process in the same slot takes the next queued request
                    r.worker = null;
                    start(w, w.queue.pollFirst());
                } else {
                    // stall_worker: its answer will be thrown away; it stays until then
                    stalled.add(removeAt(busy, i));
                    checkQueue();
                }
                return;
            }
        }
    }

    private void checkQueue() {
        while (!queue.isEmpty()) {
            Worker w = pick();
            if (w == null) {
                return;
            }
            start(w, queue.pollFirst());
        }
    }

    /** A free worker, else a stalled one killed and replaced, else a new one while there is room. */
    private Worker pick() {
        Worker w;
        if (!free.isEmpty()) {
            w = free.remove(free.size() - 1);
        } else if (!stalled.isEmpty()) {
            Worker dead = stalled.remove(stalled.size() - 1);
            dead.current.worker = null;
            w = new Worker();
        } else if (busy.size() == maxWorkers) {
            return null;
        } else {
            w = new Worker();
        }
        busy.add(w);
        return w;
    }

    private static void start(Worker w, GethostServer.Request r) {
        w.current = r;
        r.worker = w;
        r.ready = true;
    }

    private static Worker removeAt(List<Worker> workers, int i) {
        Worker w = workers.get(i);
        Worker last = workers.remove(workers.size() - 1);
        if (i < workers.size()) {
            workers.set(i, last);
        }
        return w;
    }
}
