package jinet.node;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * This node's live processes by pid number. Numbers are handed out in sequence and most
 * processes (a spawned call) end within microseconds, so a number's slot in a ring is nearly
 * always free when the number comes round: adding and removing is one compare-and-set each,
 * and a lookup one read, with no boxing and no lock. A number whose slot still holds a process
 * that lives on (a server, a socket) goes to a map beside the ring.
 */
final class ProcessTable {
    private static final int SLOTS = 4096;
    private static final int MASK = SLOTS - 1;

    private final AtomicReferenceArray<LocalProcess> ring = new AtomicReferenceArray<>(SLOTS);
    private final ConcurrentHashMap<Integer, LocalProcess> overflow = new ConcurrentHashMap<>();

    LocalProcess get(int number) {
        LocalProcess p = ring.get(number & MASK);
        if (p != null && p.number() == number) {
            return p;
        }
        return overflow.isEmpty() ? null : overflow.get(number);
    }

    /** False when a live process already has {@code p}'s number (the counter came round to it). */
    boolean add(LocalProcess p) {
        int number = p.number();
        int slot = number & MASK;
        if (ring.compareAndSet(slot, null, p)) {
            if (!overflow.isEmpty() && overflow.containsKey(number)) {
                ring.compareAndSet(slot, p, null);
                return false;
            }
            return true;
        }
        LocalProcess there = ring.get(slot);
        if (there != null && there.number() == number) {
            return false;
        }
        return overflow.putIfAbsent(number, p) == null;
    }

    void remove(LocalProcess p) {
        if (!ring.compareAndSet(p.number() & MASK, p, null)) {
            overflow.remove(p.number(), p);
        }
    }

    /** Counted, not kept: it is asked for by tests and operators, and keeping it would cost each call. */
    int size() {
        int n = overflow.size();
        for (int i = 0; i < SLOTS; i++) {
            if (ring.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    void clear() {
        for (int i = 0; i < SLOTS; i++) {
            ring.set(i, null);
        }
        overflow.clear();
    }
}
