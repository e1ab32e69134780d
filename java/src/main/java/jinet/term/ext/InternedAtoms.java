package jinet.term.ext;

import com.ericsson.otp.erlang.OtpErlangAtom;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decoded atoms, keyed by their encoded bytes, so that a hot atom costs a hash and a compare
 * instead of a String and an OtpErlangAtom. Direct mapped and fixed size: a peer may send any
 * number of distinct atoms, and a newcomer simply evicts whatever shared its slot.
 *
 * <p>Shared by all decoders without locks: a slot holds an immutable entry whose fields are
 * final, so a racing reader sees either a whole entry or another one, and a lost update only
 * costs a later miss.
 */
final class InternedAtoms {
    private static final int SLOTS = 4096;

    private static final class Entry {
        final byte[] key;
        final boolean latin1;
        final OtpErlangAtom atom;

        Entry(byte[] key, boolean latin1, OtpErlangAtom atom) {
            this.key = key;
            this.latin1 = latin1;
            this.atom = atom;
        }
    }

    private static final Entry[] slots = new Entry[SLOTS];

    private InternedAtoms() {}

    /**
     * The atom whose text is {@code len} bytes at {@code off}, Latin-1 or UTF-8. BEAM refuses
     * atoms of more than 255 characters and malformed UTF-8, and so does this (JInterface
     * would truncate or substitute).
     */
    static OtpErlangAtom get(byte[] buf, int off, int len, boolean latin1) throws TermDecodeException {
        int h = latin1 ? 1 : 0;
        for (int i = off, e = off + len; i < e; i++) {
            h = 31 * h + buf[i];
        }
        int slot = (h ^ (h >>> 12)) & (SLOTS - 1);
        Entry entry = slots[slot];
        if (entry != null
                && entry.latin1 == latin1
                && Arrays.equals(entry.key, 0, entry.key.length, buf, off, off + len)) {
            return entry.atom;
        }
        String text = latin1 ? latin1Text(buf, off, len) : utf8Text(buf, off, len);
        OtpErlangAtom atom = new OtpErlangAtom(text);
        slots[slot] = new Entry(Arrays.copyOfRange(buf, off, off + len), latin1, atom);
        return atom;
    }

    private static String latin1Text(byte[] buf, int off, int len) throws TermDecodeException {
        if (len > OtpErlangAtom.maxAtomLength) {
            throw new TermDecodeException("atom longer than 255 characters");
        }
        return new String(buf, off, len, StandardCharsets.ISO_8859_1);
    }

    /** Strict UTF-8 (no overlong forms, surrogates or code points past U+10FFFF), as BEAM checks it. */
    private static String utf8Text(byte[] buf, int off, int len) throws TermDecodeException {
        int a = off;
        while (a < off + len && buf[a] >= 0) {
            a++;
        }
        if (a == off + len) {
            return latin1Text(buf, off, len);
        }
        int[] cps = new int[Math.min(len, OtpErlangAtom.maxAtomLength)];
        int n = 0;
        for (int i = off, e = off + len; i < e; ) {
            int b = buf[i] & 0xff;
            int cp;
            int extra;
            if (b < 0x80) {
                cp = b;
                extra = 0;
            } else if (b >= 0xc2 && b < 0xe0) {
                cp = b & 0x1f;
                extra = 1;
            } else if (b >= 0xe0 && b < 0xf0) {
                cp = b & 0x0f;
                extra = 2;
            } else if (b >= 0xf0 && b < 0xf5) {
                cp = b & 0x07;
                extra = 3;
            } else {
                throw new TermDecodeException("atom is not valid UTF-8");
            }
            if (i + extra >= e) {
                throw new TermDecodeException("atom is not valid UTF-8");
            }
            for (int k = 1; k <= extra; k++) {
                int c = buf[i + k] & 0xff;
                if ((c & 0xc0) != 0x80) {
                    throw new TermDecodeException("atom is not valid UTF-8");
                }
                cp = (cp << 6) | (c & 0x3f);
            }
            if ((extra == 2 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000)))
                    || (extra == 3 && (cp < 0x10000 || cp > 0x10ffff))) {
                throw new TermDecodeException("atom is not valid UTF-8");
            }
            if (n == OtpErlangAtom.maxAtomLength) {
                throw new TermDecodeException("atom longer than 255 characters");
            }
            cps[n++] = cp;
            i += 1 + extra;
        }
        return new String(cps, 0, n);
    }
}
