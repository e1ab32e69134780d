package jinet.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.OtpErlangPid;
import org.junit.jupiter.api.Test;

class ProcessTableTest {
    private static LocalProcess process(int number) {
        return new LocalProcess(null, new OtpErlangPid("t@h", number & 0x7fff, number >>> 15, 1), null, false, null);
    }

    @Test
    void aProcessWhoseSlotIsTakenLivesBesideTheRingAndIsFoundThere() {
        ProcessTable t = new ProcessTable();
        LocalProcess server = process(5);
        LocalProcess call = process(5 + 4096);
        LocalProcess other = process(5 + 2 * 4096);
        assertTrue(t.add(server));
        assertTrue(t.add(call));
        assertTrue(t.add(other));
        assertSame(server, t.get(5));
        assertSame(call, t.get(5 + 4096));
        assertSame(other, t.get(5 + 2 * 4096));
        assertNull(t.get(6));
        assertEquals(3, t.size());
        t.remove(server);
        assertNull(t.get(5));
        assertSame(call, t.get(5 + 4096));
        t.remove(call);
        t.remove(other);
        assertEquals(0, t.size());
        assertNull(t.get(5 + 4096));
    }

    @Test
    void aNumberStillInUseIsRefusedWhereverItsHolderLives() {
        ProcessTable t = new ProcessTable();
        LocalProcess first = process(77);
        assertTrue(t.add(first));
        assertFalse(t.add(process(77)));
        LocalProcess ring = process(78);
        LocalProcess beside = process(78 + 4096);
        assertTrue(t.add(ring));
        assertTrue(t.add(beside));
        t.remove(ring);
        // The slot is free again, but the number is still held beside the ring
        assertFalse(t.add(process(78 + 4096)));
        assertSame(beside, t.get(78 + 4096));
        assertNull(t.get(78));
        assertEquals(2, t.size());
    }

    @Test
    void removingAProcessThatIsNotThereLeavesTheOneThatIs() {
        ProcessTable t = new ProcessTable();
        LocalProcess p = process(9);
        assertTrue(t.add(p));
        t.remove(process(9));
        assertSame(p, t.get(9));
        t.clear();
        assertNull(t.get(9));
        assertEquals(0, t.size());
    }
}
