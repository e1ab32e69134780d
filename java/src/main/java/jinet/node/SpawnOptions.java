package jinet.node;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.util.Set;
import jinet.term.Terms;

/**
 * The option list of a {@code spawn_request}, checked as the spawning node checks it: any
 * option OTP 25's BEAM refuses makes the whole request fail with {@code badopt}, and no process
 * is started. Options that only tune BEAM's heap or scheduling are accepted and have no effect.
 */
final class SpawnOptions {
    private static final Set<String> PRIORITIES = Set.of("low", "normal", "high", "max");
    private static final Set<String> QUEUE_DATA = Set.of("off_heap", "on_heap");
    private static final Set<String> SIZES = Set.of("fullsweep_after", "min_bin_vheap_size");
    /** BEAM's small integers on a 64-bit machine: anything larger is refused. */
    private static final long SMALL_LIMIT = 1L << 59;
    /** Beyond this, BEAM cannot set up the minimum heap and refuses the option. */
    private static final long MIN_HEAP_LIMIT = 1L << 32;
    private static final long DEFAULT_MIN_HEAP = 233;

    final boolean link;
    final boolean monitor;

    private SpawnOptions(boolean link, boolean monitor) {
        this.link = link;
        this.monitor = monitor;
    }

    /** The options, or null for {@code badopt}. */
    static SpawnOptions parse(OtpErlangObject optionList) {
        OtpErlangObject[] opts = Terms.properListElements(optionList);
        if (opts == null) {
            return null;
        }
        boolean link = false;
        boolean monitor = false;
        long minHeap = DEFAULT_MIN_HEAP;
        long maxHeap = 0;
        for (OtpErlangObject opt : opts) {
            if (Terms.isAtom(opt, "link")) {
                link = true;
            } else if (Terms.isAtom(opt, "monitor")) {
                monitor = true;
            } else if (opt instanceof OtpErlangTuple && ((OtpErlangTuple) opt).arity() == 2
                    && ((OtpErlangTuple) opt).elementAt(0) instanceof OtpErlangAtom) {
                String key = ((OtpErlangAtom) ((OtpErlangTuple) opt).elementAt(0)).atomValue();
                OtpErlangObject value = ((OtpErlangTuple) opt).elementAt(1);
                if (key.equals("monitor") && Terms.properListElements(value) != null) {
                    monitor = true;
                } else if (key.equals("min_heap_size")) {
                    long n = small(value);
                    if (n < 0 || n >= MIN_HEAP_LIMIT) {
                        return null;
                    }
                    minHeap = Math.max(DEFAULT_MIN_HEAP, nextHeapSize(n));
                } else if (key.equals("max_heap_size")) {
                    maxHeap = maxHeapSize(value);
                    if (maxHeap < 0) {
                        return null;
                    }
                } else if (!(key.equals("priority") && isAtomIn(value, PRIORITIES)
                        || key.equals("message_queue_data") && isAtomIn(value, QUEUE_DATA)
                        || SIZES.contains(key) && small(value) >= 0)) {
                    return null;
                }
            } else {
                return null;
            }
        }
        // A heap limit below the minimum heap is refused, whatever the order of the two options.
        if (maxHeap != 0 && maxHeap < minHeap) {
            return null;
        }
        return new SpawnOptions(link, monitor);
    }

    /** {@code max_heap_size}: a size, or a map with a size and boolean kill/error_logger; -1 if refused. */
    private static long maxHeapSize(OtpErlangObject value) {
        if (value instanceof OtpErlangMap) {
            OtpErlangMap map = (OtpErlangMap) value;
            for (String flag : new String[] {"kill", "error_logger"}) {
                OtpErlangObject v = map.get(Terms.atom(flag));
                if (v != null && !Terms.isAtom(v, "true") && !Terms.isAtom(v, "false")) {
                    return -1;
                }
            }
            OtpErlangObject size = map.get(Terms.atom("size"));
            return size == null ? -1 : small(size);
        }
        return small(value);
    }

    /** A non-negative small integer's value, or -1. */
    private static long small(OtpErlangObject value) {
        if (value instanceof OtpErlangLong && ((OtpErlangLong) value).isLong()) {
            long n = ((OtpErlangLong) value).longValue();
            return n >= 0 && n < SMALL_LIMIT ? n : -1;
        }
        return -1;
    }

    /** The smallest of BEAM's heap sizes (Fibonacci-like, then +20 %) that holds {@code words}. */
    static long nextHeapSize(long words) {
        long a = 12;
        long b = 38;
        if (words <= a) {
            return a;
        }
        for (int i = 1; ; i++) {
            if (words <= b) {
                return b;
            }
            long next = i < 22 ? a + b + 1 : b + b / 5;
            a = b;
            b = next;
        }
    }

    private static boolean isAtomIn(OtpErlangObject value, Set<String> allowed) {
        return value instanceof OtpErlangAtom && allowed.contains(((OtpErlangAtom) value).atomValue());
    }
}
