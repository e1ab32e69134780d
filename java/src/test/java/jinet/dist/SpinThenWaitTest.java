package jinet.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The I/O thread's choice between polling and blocking, driven by a made-up load and clock. */
class SpinThenWaitTest {
    private static final long STEP = 100_000; // 100 µs
    private long clock;

    /**
     * Runs the strategy for {@code seconds} more of made-up time; each step flushes as many
     * messages as the load gives for the way the strategy chose. Returns the share of the last
     * second spent polling.
     */
    private double run(SpinThenWait s, double seconds, Load load) {
        return run(s, seconds, 1, load);
    }

    /** As {@link #run(SpinThenWait, double, Load)}, the share over the last {@code tail} seconds. */
    private double run(SpinThenWait s, double seconds, double tail, Load load) {
        long end = clock + (long) (seconds * 1e9);
        long spinSteps = 0;
        long tailSteps = 0;
        for (long now = clock + STEP; now <= end; now += STEP) {
            clock = now;
            boolean spin = s.spinning(now);
            s.count(load.messages(now, spin));
            if (now > end - (long) (tail * 1e9)) {
                tailSteps++;
                if (spin) {
                    spinSteps++;
                }
            }
        }
        return (double) spinSteps / tailSteps;
    }

    interface Load {
        int messages(long now, boolean spinning);
    }

    @Test
    void pollsWhenPollingCarriesThreeTimesTheMessages() {
        SpinThenWait s = new SpinThenWait(50_000, 0);
        double share = run(s, 10, (now, spin) -> spin ? 30 : 10);
        assertTrue(share > 0.98, "polling share " + share);
    }

    @Test
    void blocksWhenPollingCarriesNoMore() {
        SpinThenWait s = new SpinThenWait(50_000, 0);
        double share = run(s, 10, (now, spin) -> 20);
        assertTrue(share < 0.02, "polling share " + share);
    }

    @Test
    void blocksWhenPollingGainsLessThanTheMargin() {
        SpinThenWait s = new SpinThenWait(50_000, 0);
        double share = run(s, 10, (now, spin) -> spin ? 22 : 20);
        assertTrue(share < 0.02, "polling share " + share);
    }

    @Test
    void oneTrialThatLooksBetterDoesNotSwitch() {
        SpinThenWait s = new SpinThenWait(50_000, 0);
        run(s, 5, (now, spin) -> 20); // settled on blocking
        // a burst during the next trial of polling, and only then
        int[] trialSteps = new int[1];
        boolean[] over = new boolean[1];
        double share = run(s, 3, 3, (now, spin) -> {
            if (spin && !over[0]) {
                trialSteps[0]++;
                return 80;
            }
            over[0] |= trialSteps[0] > 0;
            return 20;
        });
        assertTrue(trialSteps[0] > 0, "a trial came");
        assertEquals(0.0, share, 0.02, "polling share in the 3 s after one lucky trial");
    }

    @Test
    void twoTrialsThatAgreeSwitch() {
        SpinThenWait s = new SpinThenWait(50_000, 0);
        run(s, 5, (now, spin) -> 20);
        // polling looks better in two trials running, and then no more
        int[] trials = new int[1];
        boolean[] inTrial = new boolean[1];
        int[] longestPoll = new int[1];
        int[] poll = new int[1];
        run(s, 3, (now, spin) -> {
            if (spin && !inTrial[0]) {
                trials[0]++;
                poll[0] = 0;
            }
            inTrial[0] = spin;
            if (spin) {
                longestPoll[0] = Math.max(longestPoll[0], ++poll[0]);
            }
            return spin && trials[0] <= 2 ? 80 : 20;
        });
        // a trial polls for 11 ms; a switch polls until the next trial, a second later
        assertTrue(longestPoll[0] * STEP > 500_000_000L, "longest stretch of polling: " + longestPoll[0] * STEP + " ns");
    }

    @Test
    void followsTheLoadWhenItChanges() {
        SpinThenWait s = new SpinThenWait(50_000, 0);
        assertTrue(run(s, 5, (now, spin) -> 20) < 0.02);
        assertTrue(run(s, 10, (now, spin) -> spin ? 40 : 10) > 0.98);
        assertTrue(run(s, 15, (now, spin) -> 20) < 0.02);
    }
}
