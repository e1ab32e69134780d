package jinet.term.ext;

import java.util.Arrays;

/**
 * The atom cache of one connection's sending side (the distribution header's, DFLAG_DIST_HDR_ATOM_CACHE):
 * what the peer holds in each of its 2048 slots, as the frames sent so far have set them. A message's
 * atoms are written as references into its header, and an atom the peer already holds in its slot costs
 * the peer an index instead of a lookup of its text. BEAM peers decode every atom of a message sent
 * without the cache by its text, under their atom table's lock.
 *
 * <p>Frames must reach the peer in the order their headers were written, so one thread uses it (the
 * connection's I/O thread) and a message's slots are committed only when its header is written, after
 * its terms encoded without error.
 */
public final class OutgoingAtomCache {
    static final int SLOTS = 2048;
    /** References a header can hold (an index is one byte, below 255). */
    static final int MAX_REFS = 255;
    /** Atom text the header's one-byte length can carry; longer atoms are written in full. */
    private static final int MAX_TEXT = 255;

    /** What the peer holds in each slot. */
    private final String[] peerHolds = new String[SLOTS];
    /** For each slot, 1 + the reference the message being encoded made to it, or 0. */
    private final short[] refOfSlot = new short[SLOTS];
    private final int[] slotOfRef = new int[MAX_REFS];
    private final String[] atomOfRef = new String[MAX_REFS];
    /** The reference sets its slot (the peer holds another atom there, or none): its text goes too. */
    private final boolean[] newOfRef = new boolean[MAX_REFS];
    private int refs;
    /** Length and text bytes of the message's new entries. */
    private int newEntryBytes;

    /**
     * The reference index for {@code atom} in the message being encoded, or -1 to write it in full:
     * past 255 references, an atom too long for the header, or a second atom in a slot the message
     * already uses (so each slot changes at most once per header).
     */
    int ref(String atom) {
        int slot = slot(atom);
        int r = refOfSlot[slot] - 1;
        if (r >= 0) {
            String a = atomOfRef[r];
            return a == atom || a.equals(atom) ? r : -1;
        }
        if (refs == MAX_REFS) {
            return -1;
        }
        // The peer's slots only ever hold atoms admitted here, so only a new entry needs the length check
        String held = peerHolds[slot];
        boolean set = held != atom && !atom.equals(held);
        if (set) {
            int text = TermEncoder.utf8Length(atom);
            if (text > MAX_TEXT) {
                return -1;
            }
            newEntryBytes += 1 + text;
        }
        r = refs++;
        refOfSlot[slot] = (short) (r + 1);
        slotOfRef[r] = slot;
        atomOfRef[r] = atom;
        newOfRef[r] = set;
        return r;
    }

    private static int slot(String atom) {
        int h = atom.hashCode();
        return (h ^ (h >>> 11) ^ (h >>> 22)) & (SLOTS - 1);
    }

    /** References made by the message being encoded. */
    public int refs() {
        return refs;
    }

    /**
     * The header's atom cache section for the message just encoded (the reference count, flags and
     * references, without the leading 131 68), written at {@code at} in {@code out}, where
     * {@link #sectionLength} bytes must fit; the peer's slots as the header sets them are taken as
     * held from now on. Returns the end of the section.
     */
    public int writeSection(byte[] out, int at) {
        int n = refs;
        out[at++] = (byte) n;
        if (n == 0) {
            return at;
        }
        int flags = at;
        int flagBytes = n / 2 + 1;
        Arrays.fill(out, flags, flags + flagBytes, (byte) 0);
        at += flagBytes;
        for (int r = 0; r < n; r++) {
            int slot = slotOfRef[r];
            String atom = atomOfRef[r];
            int half = (newOfRef[r] ? 8 : 0) | (slot >>> 8);
            out[flags + r / 2] |= (byte) ((r & 1) == 0 ? half : half << 4);
            out[at++] = (byte) slot;
            if (newOfRef[r]) {
                int len = TermEncoder.writeUtf8(atom, out, at + 1);
                out[at] = (byte) len;
                at += 1 + len;
                peerHolds[slot] = atom;
            }
            refOfSlot[slot] = 0;
            atomOfRef[r] = null;
        }
        // the last half byte's LongAtoms flag stays clear: no header text is over 255 bytes
        refs = 0;
        newEntryBytes = 0;
        return at;
    }

    /** {@link #writeSection}'s length for the message just encoded. */
    public int sectionLength() {
        int n = refs;
        return n == 0 ? 1 : 1 + n / 2 + 1 + n + newEntryBytes;
    }

    /** The message being encoded is dropped: its references go, and the peer's slots are as they were. */
    public void abandon() {
        for (int r = 0; r < refs; r++) {
            refOfSlot[slotOfRef[r]] = 0;
            atomOfRef[r] = null;
        }
        refs = 0;
        newEntryBytes = 0;
    }
}
