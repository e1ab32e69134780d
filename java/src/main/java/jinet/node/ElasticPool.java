package jinet.node;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Threads for work that waits: an idle thread takes the next task, a new one starts only when
 * none is idle, up to a bound, and a thread idle for a while ends. Past the bound tasks queue.
 * (A ThreadPoolExecutor with a queue starts a thread per task up to its core size, idle
 * threads or not; with a hand-off queue it rejects past its maximum.)
 */
final class ElasticPool implements Executor {
    private final ThreadPoolExecutor threads;
    private final Queue<Runnable> overflow = new ConcurrentLinkedQueue<>();

    ElasticPool(int maxThreads, long idleSeconds, ThreadFactory factory) {
        threads = new ThreadPoolExecutor(0, maxThreads, idleSeconds, TimeUnit.SECONDS, new SynchronousQueue<>(),
                factory);
    }

    @Override
    public void execute(Runnable task) {
        try {
            threads.execute(() -> runThenDrain(task));
        } catch (RejectedExecutionException e) {
            if (threads.isShutdown()) {
                throw e;
            }
            overflow.add(task);
            // A thread may have gone idle between the refusal and the add: hand it an empty turn
            try {
                threads.execute(() -> runThenDrain(null));
            } catch (RejectedExecutionException busy) {
                // every thread is busy and each drains the overflow when it is done
            }
        }
    }

    private void runThenDrain(Runnable first) {
        Runnable task = first;
        while (true) {
            if (task != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    Thread t = Thread.currentThread();
                    t.getUncaughtExceptionHandler().uncaughtException(t, e);
                }
            }
            task = overflow.poll();
            if (task == null) {
                return;
            }
        }
    }

    void shutdownNow() {
        overflow.clear();
        threads.shutdownNow();
    }
}
