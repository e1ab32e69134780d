package jinet.dist;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;

/**
 * How an I/O thread waits. Under light load (one call at a time per flush) it polls for a short
 * while before it blocks, as BEAM's schedulers spin before they sleep: the next request is seen
 * at once, without the cost and delay of waking a sleeping thread, which on a virtual machine is
 * tens of microseconds. Under heavy load the thread blocks as soon as it is out of work: the
 * requests come in batches then, a wake-up is shared by many of them, and spinning would only
 * burn the time between batches. An idle node always sleeps: the spin is bounded.
 */
final class SpinThenWait implements SelectStrategy {
    private static final ThreadLocal<SpinThenWait> OF_THREAD = new ThreadLocal<>();
    /**
     * Messages per flush, averaged, at or below which the load counts as light, in 1/16ths: 2.5,
     * so one caller at a time (a spawn's reply and the call's result per flush) spins, and a
     * handful of concurrent callers, whose replies share flushes, does not.
     */
    private static final int LIGHT = 40;

    private final long spinNanos;
    /** When polling last found nothing to do, or 0 while there is work. */
    private long idleSince;
    /** Messages per flush, a moving average in 1/16ths. */
    private int perFlush = 16;
    private boolean bound;

    private SpinThenWait(long spinNanos) {
        this.spinNanos = spinNanos;
    }

    static SelectStrategyFactory factory(long spinNanos) {
        return () -> new SpinThenWait(spinNanos);
    }

    /** What a flush on the current I/O thread carried: the measure of load the spin follows. */
    static void flushed(int messages) {
        SpinThenWait s = OF_THREAD.get();
        if (s != null) {
            s.perFlush += (Math.min(messages, 1024) * 16 - s.perFlush) / 8;
        }
    }

    @Override
    public int calculateStrategy(IntSupplier pollNow, boolean hasTasks) throws Exception {
        if (!bound) {
            OF_THREAD.set(this); // strategies are made per I/O thread, and asked on it only
            bound = true;
        }
        if (hasTasks) {
            idleSince = 0;
            return pollNow.get(); // as Netty's own strategy: look, but do not wait
        }
        if (spinNanos <= 0 || perFlush > LIGHT) {
            idleSince = 0;
            return SelectStrategy.SELECT; // one blocking wait, no poll before it
        }
        int ready = pollNow.get();
        if (ready > 0) {
            idleSince = 0;
            return ready;
        }
        long now = System.nanoTime();
        if (idleSince == 0) {
            idleSince = now;
        }
        if (now - idleSince < spinNanos) {
            Thread.onSpinWait();
            return SelectStrategy.CONTINUE;
        }
        idleSince = 0;
        return SelectStrategy.SELECT;
    }
}
