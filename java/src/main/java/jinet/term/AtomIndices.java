package jinet.term;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This installation's atom-table indices, probed with the installed erl ({@link AtomIndexProbe})
 * the first time an answer needs them: a node never asked for such an order never boots an erl,
 * and its start does not share the machine with one. The answers that need the indices wait for
 * the probe, at most {@value #WAIT_SECONDS} s, and fall back to the indices {@link InternalHash}
 * was built with.
 */
public final class AtomIndices {
    private static final Logger log = LoggerFactory.getLogger(AtomIndices.class);
    private static final long WAIT_SECONDS = 20;
    private static volatile List<String> toProbe = List.of();
    /** Null until an answer first needs the indices; read without the lock once set. */
    private static volatile CompletableFuture<Void> probe;

    private AtomIndices() {
    }

    /** The atoms whose indices to probe, once an answer needs them. */
    public static void probeOnFirstUse(List<String> atoms) {
        toProbe = List.copyOf(atoms);
    }

    /** The atom indices to hash with, once the probe has answered. */
    public static ToIntFunction<String> get() {
        CompletableFuture<Void> p = probe;
        if (p == null) {
            p = started();
        }
        if (p != null) {
            try {
                p.get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("atom index probe not done: {}", e.toString());
            }
        }
        return InternalHash::atomIndex;
    }

    private static synchronized CompletableFuture<Void> started() {
        List<String> atoms = toProbe;
        if (probe == null && !atoms.isEmpty()) {
            probe = CompletableFuture.runAsync(() -> {
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
        return probe;
    }
}
