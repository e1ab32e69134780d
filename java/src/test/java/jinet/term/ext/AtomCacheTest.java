package jinet.term.ext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The distribution header's atom cache, sender and receiver: a stream of messages written through
 * one {@link OutgoingAtomCache} must read back through one {@link IncomingAtomCache} as the terms
 * they were, however the messages' atoms share, evict and reuse slots. The wire format itself is
 * checked against BEAM by every differential suite, whose calls all cross such headers.
 */
class AtomCacheTest {
    private final OutgoingAtomCache out = new OutgoingAtomCache();
    private final IncomingAtomCache in = new IncomingAtomCache(true);
    private final TermEncoder enc = new TermEncoder();

    /** The frame's body after 131 68: the section, then the term. */
    private byte[] frame(OtpErlangObject term) {
        enc.reset();
        enc.useAtomCache(out);
        enc.writeTerm(term);
        enc.useAtomCache(null);
        byte[] section = new byte[out.sectionLength()];
        int n = out.writeSection(section, 0);
        assertEquals(section.length, n, "sectionLength() is the section's length");
        byte[] f = Arrays.copyOf(section, n + enc.length());
        System.arraycopy(enc.array(), 0, f, n, enc.length());
        return f;
    }

    private OtpErlangObject read(byte[] f) throws TermDecodeException {
        OtpErlangAtom[] atoms = in.read(f, 0, f.length);
        TermDecoder d = new TermDecoder(f, in.position(), f.length);
        d.setAtomCache(atoms);
        OtpErlangObject t = d.readTerm();
        assertEquals(0, d.remaining());
        return t;
    }

    @Test
    void randomStreamsReadBackThroughTheirHeaders() throws Exception {
        Random rnd = new Random(42);
        // More names than slots, so slots are evicted and taken back; some non-Latin, some long
        String[] pool = new String[5000];
        for (int i = 0; i < pool.length; i++) {
            switch (i % 10) {
                case 0 -> pool[i] = "ατομο_" + i;
                case 1 -> pool[i] = "long_" + "x".repeat(80 + i % 100) + i;
                case 2 -> pool[i] = "ü".repeat(100 + i % 50);
                default -> pool[i] = "atom_" + i;
            }
        }
        for (int m = 0; m < 3000; m++) {
            // mostly a few atoms out of a hot few hundred, as calls are; sometimes past 255 references
            int n = m % 50 == 0 ? 300 + rnd.nextInt(200) : 1 + rnd.nextInt(12);
            OtpErlangObject[] items = new OtpErlangObject[n];
            for (int i = 0; i < n; i++) {
                String a = pool[rnd.nextInt(4) == 0 ? rnd.nextInt(pool.length) : rnd.nextInt(300)];
                items[i] = rnd.nextInt(5) == 0
                        ? new OtpErlangPid(a, rnd.nextInt(1000), 0, 1)
                        : new OtpErlangAtom(a);
            }
            OtpErlangTuple t = new OtpErlangTuple(items);
            if (m % 7 == 3) {
                // encoded and then dropped: the peer never sees it, so the slots stay as they were
                enc.reset();
                enc.useAtomCache(out);
                enc.writeTerm(t);
                out.abandon();
                continue;
            }
            assertEquals(t, read(frame(t)), "message " + m);
        }
    }

    @Test
    void aSecondMessageReferencesWithoutText() throws Exception {
        OtpErlangTuple t = new OtpErlangTuple(new OtpErlangObject[] {new OtpErlangAtom("erpc"), new OtpErlangAtom("execute_call")});
        byte[] first = frame(t);
        byte[] second = frame(t);
        assertTrue(second.length < first.length - "erpc".length() - "execute_call".length(),
                "a cached atom costs its index only");
        assertEquals(t, read(first));
        assertEquals(t, read(second));
    }

    @Test
    void noReferencesIsOneZeroByte() throws Exception {
        byte[] f = frame(new OtpErlangTuple(new OtpErlangObject[0]));
        assertEquals(0, f[0]);
        assertNull(in.read(f, 0, f.length));
        assertEquals(1, in.position());
    }

    @Test
    void aSlotUsedBeforeItIsSetOrATruncatedHeaderIsRefused() {
        // one reference, old entry, segment 0, slot 7: never set on this connection
        byte[] unset = {1, 0, 7, 104, 1, 82, 0};
        assertThrows(TermDecodeException.class, () -> in.read(unset, 0, unset.length));
        // one new entry announcing 10 bytes of text with 2 there
        byte[] cut = {1, 8, 7, 10, 'o', 'k'};
        assertThrows(TermDecodeException.class, () -> in.read(cut, 0, cut.length));
        byte[] empty = {};
        assertThrows(TermDecodeException.class, () -> in.read(empty, 0, 0));
    }

    @Test
    void aPeerThatDidNotOfferTheCacheMayMakeNoReference() throws Exception {
        IncomingAtomCache none = new IncomingAtomCache(false);
        byte[] zero = {0, 106};
        assertNull(none.read(zero, 0, zero.length));
        assertEquals(1, none.position());
        byte[] refs = {1, 8, 7, 2, 'o', 'k', 82, 0};
        assertThrows(TermDecodeException.class, () -> none.read(refs, 0, refs.length));
    }

    @Test
    void longAtomTextInAHeaderIsRead() throws Exception {
        // BEAM sets LongAtoms when an entry's text is over 255 bytes: two-byte lengths then
        String text = "ü".repeat(200);
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] f = new byte[1 + 1 + 1 + 2 + utf8.length + 2];
        int at = 0;
        f[at++] = 1;
        f[at++] = (byte) (0x8 | 0x3 | 1 << 4); // new, segment 3; then the LongAtoms half byte
        f[at++] = 9;
        f[at++] = (byte) (utf8.length >>> 8);
        f[at++] = (byte) utf8.length;
        System.arraycopy(utf8, 0, f, at, utf8.length);
        at += utf8.length;
        f[at++] = 82;
        f[at] = 0;
        assertEquals(new OtpErlangAtom(text), read(f));
    }
}
