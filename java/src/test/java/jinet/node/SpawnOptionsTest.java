package jinet.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import jinet.term.Terms;
import org.junit.jupiter.api.Test;

/**
 * Spawn options as OTP 25's BEAM judged them when asked over distribution (the interop suite
 * compares the same requests live): the heap limits are the subtle part.
 */
class SpawnOptionsTest {
    private static SpawnOptions parse(OtpErlangObject... opts) {
        return SpawnOptions.parse(Terms.list(opts));
    }

    private static OtpErlangObject opt(String key, long value) {
        return Terms.tuple(Terms.atom(key), new OtpErlangLong(value));
    }

    @Test
    void heapSizesFollowBeamsTable() {
        assertEquals(12, SpawnOptions.nextHeapSize(10));
        assertEquals(233, SpawnOptions.nextHeapSize(233));
        assertEquals(376, SpawnOptions.nextHeapSize(300));
        assertEquals(1598, SpawnOptions.nextHeapSize(1000));
    }

    @Test
    void aHeapLimitBelowTheMinimumHeapIsRefused() {
        assertNull(parse(opt("max_heap_size", 232)));
        assertNotNull(parse(opt("max_heap_size", 233)));
        assertNotNull(parse(opt("max_heap_size", 0)));
        assertNull(parse(opt("min_heap_size", 1000), opt("max_heap_size", 1597)));
        assertNotNull(parse(opt("max_heap_size", 1598), opt("min_heap_size", 1000)));
        assertNull(parse(opt("min_heap_size", 10), opt("max_heap_size", 232)));
    }

    @Test
    void linkAndMonitorAreWhatTheRuntimeSetsUp() {
        SpawnOptions o = parse(Terms.atom("link"), Terms.tuple(Terms.atom("monitor"), Terms.NIL),
                Terms.tuple(Terms.atom("priority"), Terms.atom("high")));
        assertTrue(o.link && o.monitor);
    }

    @Test
    void unknownOrIllTypedOptionsAreBadopt() {
        assertNull(parse(Terms.atom("bogus")));
        assertNull(parse(Terms.tuple(Terms.atom("priority"), Terms.atom("bogus"))));
        assertNull(parse(opt("fullsweep_after", -1)));
        assertNull(parse(opt("fullsweep_after", 1L << 59)));
        assertNull(parse(Terms.tuple(Terms.atom("sensitive"), Terms.atom("true"))));
        assertNull(SpawnOptions.parse(Terms.atom("notalist")));
    }
}
