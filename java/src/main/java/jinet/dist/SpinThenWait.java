package jinet.dist;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;

/**
 * How an I/O thread waits: it either polls for a short while before it blocks, as BEAM's
 * schedulers spin before they sleep, or blocks as soon as it is out of work. Neither is right
 * for every load, and no count the thread sees tells them apart: a few callers making calls back
 * to back go three times as fast when the thread polls, since it sees each request at once instead
 * of being woken (tens of microseconds on a virtual machine) while their requests pile up into
 * one batch per wake-up; sixteen callers go no faster, because their client is the bottleneck
 * then, and polling only burns the time between batches and splits them into more, smaller ones.
 * Batch sizes do not separate the two: woken late, four callers' requests come in bigger batches
 * than sixteen callers' do.
 *
 * <p>So the thread tries: every {@link #RUN_NANOS} it runs the other way for a short trial and
 * keeps the way that carried more messages per unit of time, favouring blocking (the cheaper)
 * unless polling carried {@link #SPIN_GAIN} times as many. An idle node always sleeps: a poll is
 * bounded.
 */
final class SpinThenWait implements SelectStrategy {
    private static final ThreadLocal<SpinThenWait> OF_THREAD = new ThreadLocal<>();
    /** How long the chosen way runs between trials. */
    static final long RUN_NANOS = 1_000_000_000L;
    /** The time a trial gives the other way to take hold before it counts. */
    static final long SETTLE_NANOS = 1_000_000L;
    /** How long the chosen way is counted before a trial, and the trial after it settled. */
    static final long WINDOW_NANOS = 10_000_000L;
    /** Polling is kept when it carries this many times the messages per second blocking does. */
    static final double SPIN_GAIN = 1.25;

    private enum Phase { RUN, BEFORE_TRIAL, SETTLE, TRIAL }

    private final long spinNanos;
    /** When polling last found nothing to do, or 0 while there is work. */
    private long idleSince;
    private boolean bound;

    private boolean spinChosen = true;
    private Phase phase = Phase.RUN;
    private long phaseStart;
    /** Messages flushed since the current phase began. */
    private long messages;
    /** Messages per nanosecond of the chosen way, counted just before the trial. */
    private double chosenRate;
    /** The last trial favoured the other way; this one decides. */
    private boolean confirming;

    SpinThenWait(long spinNanos, long now) {
        this.spinNanos = spinNanos;
        this.phaseStart = now;
    }

    static SelectStrategyFactory factory(long spinNanos) {
        return () -> new SpinThenWait(spinNanos, System.nanoTime());
    }

    /** What a flush on the current I/O thread carried: what the trials compare. */
    static void flushed(int messages) {
        SpinThenWait s = OF_THREAD.get();
        if (s != null) {
            s.count(messages);
        }
    }

    void count(int flushedMessages) {
        messages += flushedMessages;
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
        if (spinNanos <= 0) {
            return SelectStrategy.SELECT;
        }
        long now = System.nanoTime();
        if (!spinning(now)) {
            idleSince = 0;
            return SelectStrategy.SELECT; // one blocking wait, no poll before it
        }
        int ready = pollNow.get();
        if (ready > 0) {
            idleSince = 0;
            return ready;
        }
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

    /** Whether to poll now; moves the trials along. */
    boolean spinning(long now) {
        long in = now - phaseStart;
        switch (phase) {
            case RUN:
                if (in >= RUN_NANOS - WINDOW_NANOS) {
                    next(Phase.BEFORE_TRIAL, now);
                }
                return spinChosen;
            case BEFORE_TRIAL:
                if (in >= WINDOW_NANOS) {
                    chosenRate = (double) messages / in;
                    next(Phase.SETTLE, now);
                    return !spinChosen;
                }
                return spinChosen;
            case SETTLE:
                if (in >= SETTLE_NANOS) {
                    next(Phase.TRIAL, now);
                }
                return !spinChosen;
            default:
                if (in >= WINDOW_NANOS) {
                    double trialRate = (double) messages / in;
                    double spinRate = spinChosen ? chosenRate : trialRate;
                    double waitRate = spinChosen ? trialRate : chosenRate;
                    boolean spinWins = spinRate > waitRate * SPIN_GAIN;
                    if (spinWins != spinChosen && !confirming) {
                        confirming = true; // one window can be a hiccup: switch only if a second trial agrees
                        next(Phase.BEFORE_TRIAL, now);
                    } else {
                        spinChosen = spinWins;
                        confirming = false;
                        next(Phase.RUN, now);
                    }
                    return spinChosen;
                }
                return !spinChosen;
        }
    }

    private void next(Phase p, long now) {
        phase = p;
        phaseStart = now;
        messages = 0;
    }
}
