package jinet.term.ext;

import java.util.Arrays;

/**
 * Atoms as the encoder writes them, tag and length included. A node writes the same few atoms
 * over and over (node names in every pid and reference, erpc's tags); their UTF-8 is worked out
 * once. Direct-mapped and shared by all threads: an entry is immutable, so a racing write loses
 * an entry, never corrupts one.
 */
final class AtomBytes {
    private static final int SLOTS = 1024;
    /** Longer atoms are rare and cheap enough to encode next to the copy they would save. */
    private static final int MAX_CACHED = 2 + 64;

    private static final class Entry {
        final String text;
        final byte[] bytes;

        Entry(String text, byte[] bytes) {
            this.text = text;
            this.bytes = bytes;
        }
    }

    private static final Entry[] slots = new Entry[SLOTS];

    private AtomBytes() {
    }

    private static int slot(String s) {
        int h = s.hashCode();
        return (h ^ (h >>> 10)) & (SLOTS - 1);
    }

    static byte[] get(String s) {
        Entry e = slots[slot(s)];
        return e != null && (e.text == s || e.text.equals(s)) ? e.bytes : null;
    }

    static void put(String s, byte[] buf, int from, int n) {
        if (n <= MAX_CACHED) {
            slots[slot(s)] = new Entry(s, Arrays.copyOfRange(buf, from, from + n));
        }
    }
}
