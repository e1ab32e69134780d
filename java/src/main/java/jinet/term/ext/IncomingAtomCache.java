package jinet.term.ext;

import com.ericsson.otp.erlang.OtpErlangAtom;

/**
 * The atom cache of one connection's receiving side: the 2048 slots a peer's distribution headers
 * fill, read in the order the frames arrive (so by the connection's I/O thread only). Each header
 * gives the message's table of atoms, which its ATOM_CACHE_REFs index; the table is the message's
 * own, so a message decoded later, elsewhere, is not affected by the headers that came after it.
 */
public final class IncomingAtomCache {
    /** Null on a connection whose peer did not offer the cache: its headers must make no reference. */
    private final OtpErlangAtom[] slots;
    private int position;

    /** {@code offered}: both sides have DFLAG_DIST_HDR_ATOM_CACHE, so the peer's headers may use it. */
    public IncomingAtomCache(boolean offered) {
        slots = offered ? new OtpErlangAtom[OutgoingAtomCache.SLOTS] : null;
    }

    /**
     * The atom cache section at {@code at} (the reference count, flags and references that follow
     * 131 68, or a first fragment's ids): the message's atoms, or null when it makes no reference.
     * {@link #position} is then where its terms start.
     */
    public OtpErlangAtom[] read(byte[] buf, int at, int end) throws TermDecodeException {
        int n = byteAt(buf, at++, end);
        if (n == 0) {
            position = at;
            return null;
        }
        if (slots == null) {
            throw new TermDecodeException("atom cache references from a peer that did not offer them");
        }
        int flags = at;
        at += n / 2 + 1;
        boolean longAtoms = (half(buf, flags, n, end) & 1) != 0;
        OtpErlangAtom[] table = new OtpErlangAtom[n];
        for (int r = 0; r < n; r++) {
            int half = half(buf, flags, r, end);
            int slot = (half & 7) << 8 | byteAt(buf, at++, end);
            if ((half & 8) != 0) {
                int len = byteAt(buf, at++, end);
                if (longAtoms) {
                    len = len << 8 | byteAt(buf, at++, end);
                }
                if (len > end - at) {
                    throw new TermDecodeException("atom cache entry past the end of the frame");
                }
                slots[slot] = InternedAtoms.get(buf, at, len, false);
                at += len;
            } else if (slots[slot] == null) {
                throw new TermDecodeException("atom cache slot " + slot + " used before it was set");
            }
            table[r] = slots[slot];
        }
        position = at;
        return table;
    }

    /** Where the terms start, after the section {@link #read} last read. */
    public int position() {
        return position;
    }

    private static int half(byte[] buf, int flags, int r, int end) throws TermDecodeException {
        int b = byteAt(buf, flags + r / 2, end);
        return (r & 1) == 0 ? b & 0xf : b >>> 4;
    }

    private static int byteAt(byte[] buf, int at, int end) throws TermDecodeException {
        if (at >= end) {
            throw new TermDecodeException("distribution header past the end of the frame");
        }
        return buf[at] & 0xff;
    }
}
