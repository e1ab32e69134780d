package jinet.term;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This installation's atom-table indices, probed once in the background at start-up
 * ({@link AtomIndexProbe}) so that the node is ready without waiting for erl; the few answers
 * whose order depends on them wait for the probe, at most {@value #WAIT_SECONDS} s, and fall
 * back to the indices {@link InternalHash} was built with.
 */
public final class AtomIndices {
    private static final Logger log = LoggerFactory.getLogger(AtomIndices.class);
    private static final long WAIT_SECONDS = 20;
    private static volatile CompletableFuture<Void> probe = CompletableFuture.completedFuture(null);

    private AtomIndices() {
    }

    private static final CompletableFuture<Void> RELEASED = new CompletableFuture<>();

    /**
     * Probes these atoms' indices with the installed erl, once {@link #releaseProbe} is called:
     * answers that need them wait from now on, and erl does not compete with the node's start.
     */
    public static void startProbe(List<String> atoms) {
        probe = RELEASED.thenRunAsync(() -> {
            try {
                Map<String, Integer> found = AtomIndexProbe.probe(atoms, WAIT_SECONDS * 1000);
                found.forEach(InternalHash::setAtomIndex);
                log.debug("atom indices from the installed OTP: {}", found);
            } catch (Exception e) {
                log.warn("could not probe atom indices with erl ({}); get_rc may list hosts in another order than BEAM",
                        e.toString());
            }
        });
    }

    /** Lets a probe started with {@link #startProbe} run. */
    public static void releaseProbe() {
        RELEASED.complete(null);
    }

    /** The atom indices to hash with, once the probe has answered. */
    public static ToIntFunction<String> get() {
        try {
            probe.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("atom index probe not done: {}", e.toString());
        }
        return InternalHash::atomIndex;
    }
}
