package jinet.inet.dns;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A message whose question name is nothing but a chain of pointers through every other pointer
 * in the message, to test decode_name's loop guard {@code Cnt > byte_size(Buffer)} (2 per
 * pointer followed) at its exact edge. Pointers fill the header's id and flags, the question's
 * type and class, the answer's type, class and TTL, and the RDATA of that answer (an unknown
 * type in an unknown class, so kept raw). Disjoint pointers alone cannot reach the edge (11 bytes
 * are not pointers: counts, the root label, RDLENGTH), so the RDATA also has {@code runs}
 * 3-byte runs of two overlapping pointers, each adding one to {@code Cnt - size}:
 * {@code Cnt - size = runs - 11}.
 *
 * <p>The first pointer of a run shares its low byte with the second's high byte, so it must
 * point at a position whose low byte is 0xC0 | (page of the second's target); those
 * positions are the "anchors" below.
 */
final class PointerBudgetMessage {
    private static final int RDATA = 29;
    private static final int ROOT = 18;

    private PointerBudgetMessage() {
    }

    static byte[] build(int runs) {
        List<Integer> anchors = new ArrayList<>();
        for (int page = 1; page <= 7; page++) {
            anchors.add(page * 256 + 0xC0);   // the run's second pointer then targets page 0
            anchors.add(page * 256 + 0xC2);   // ... page 2
        }
        anchors = anchors.subList(0, runs);

        // Layout of the RDATA: one run first (29 is odd, anchors even), 2-byte slots up to and
        // through every anchor, then the other runs and a few slots.
        List<Integer> runStarts = new ArrayList<>();
        Set<Integer> slots = new LinkedHashSet<>();
        int pos = RDATA;
        runStarts.add(pos);
        pos += 3;
        for (int anchor : anchors) {
            while (pos <= anchor) {
                slots.add(pos);
                pos += 2;
            }
        }
        for (int i = 1; i < runs; i++) {
            runStarts.add(pos);
            pos += 3;
        }
        for (int i = 0; i < 4; i++) {
            slots.add(pos);
            pos += 2;
        }
        int size = pos;
        byte[] m = new byte[size];
        m[5] = 1;        // qdcount 1
        m[7] = 1;        // ancount 1
        m[ROOT] = 0;     // the answer's owner, and where the chain ends
        m[27] = (byte) ((size - RDATA) >> 8);
        m[28] = (byte) (size - RDATA);

        Set<Integer> free = new LinkedHashSet<>(List.of(0, 2, 14, 16, 19, 21, 23, 25));
        free.addAll(slots);
        free.removeAll(anchors);
        List<Integer> chain = new ArrayList<>(List.of(12));
        for (int k = 0; k < runs; k++) {
            int anchor = anchors.get(k);
            int page = (anchor & 0xFF) - 0xC0;
            int next = free.stream().filter(p -> p >> 8 == page).findFirst().orElseThrow();
            free.remove(next);
            chain.addAll(List.of(runStarts.get(k), anchor, runStarts.get(k) + 1, next));
        }
        chain.addAll(free);
        chain.add(ROOT);

        Set<Integer> secondOfRun = new LinkedHashSet<>();
        runStarts.forEach(r -> secondOfRun.add(r + 1));
        for (int i = 0; i + 1 < chain.size(); i++) {
            int at = chain.get(i);
            int target = chain.get(i + 1);
            if (secondOfRun.contains(at)) {
                if ((m[at] & 0x3F) != target >> 8) {
                    throw new IllegalStateException("run pointer at " + at + " cannot reach " + target);
                }
                m[at + 1] = (byte) target;
            } else {
                m[at] = (byte) (0xC0 | target >> 8);
                m[at + 1] = (byte) target;
            }
        }
        int followed = chain.size() - 1;
        if (2 * followed - size != runs - 11) {
            throw new IllegalStateException("pointer budget off: Cnt " + 2 * followed + ", size " + size);
        }
        return m;
    }
}
