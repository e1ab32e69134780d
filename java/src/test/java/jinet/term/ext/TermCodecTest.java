package jinet.term.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBitstr;
import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangPort;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import jinet.testing.Escript;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link TermDecoder} and {@link TermEncoder} against BEAM and JInterface: term_corpus.escript
 * has BEAM encode a few thousand seeded random and hand-picked terms; each must decode to what
 * {@code OtpInputStream.read_any()} gives (same classes, equal), and the canonical ones must
 * re-encode to BEAM's very bytes.
 */
class TermCodecTest {
    private static final int CANONICAL = 0;
    private static final int COMPRESSED = 1;
    private static final int DECODE_ONLY = 2;

    private record Entry(int index, int kind, byte[] bytes) {}

    private static final List<Entry> corpus = new ArrayList<>();
    private static final Escript CORPUS = Escript.onClassPath(TermCodecTest.class, "/jinet/term/ext/term_corpus.escript");
    private static String skipReason;

    @BeforeAll
    static void askBeam() throws Exception {
        skipReason = CORPUS.unavailableReason();
        if (skipReason != null) {
            System.out.println("TermCodecTest corpus skipped: " + skipReason);
            return;
        }
        Path out = Files.createTempFile("term-corpus", ".bin");
        try {
            CORPUS.run(null, out.toString());
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out));
            while (b.hasRemaining()) {
                int kind = b.get();
                byte[] bytes = new byte[b.getInt()];
                b.get(bytes);
                corpus.add(new Entry(corpus.size(), kind, bytes));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void needCorpus() {
        Assumptions.assumeTrue(skipReason == null, () -> skipReason);
    }

    @Test
    void corpusDecodesAsJInterfaceAndReencodesAsBeam() throws Exception {
        needCorpus();
        int canonical = 0;
        int compressed = 0;
        int decodeOnly = 0;
        int refusedLikeBeam = 0;
        TermEncoder enc = new TermEncoder();
        for (Entry e : corpus) {
            OtpErlangObject expected;
            try {
                expected = new OtpInputStream(e.bytes).read_any();
            } catch (OtpErlangDecodeException x) {
                expected = null;
            }
            OtpErlangObject got;
            try {
                got = new TermDecoder(e.bytes).readVersionedTerm();
            } catch (TermDecodeException x) {
                // Only the crafted term with a version byte inside it, which BEAM refuses and
                // JInterface skips over, may be refused.
                assertTrue(e.kind == DECODE_ONLY && isVersionInside(e.bytes), "entry " + e.index + " refused: " + x.getMessage());
                refusedLikeBeam++;
                continue;
            }
            if (expected == null) {
                fail("entry " + e.index + " decoded to " + got + " where JInterface refused it");
            }
            assertSameTerm(expected, got, "entry " + e.index);
            if (e.kind == CANONICAL) {
                enc.reset();
                enc.writeVersionedTerm(got);
                if (!Arrays.equals(e.bytes, enc.toByteArray())) {
                    fail("entry " + e.index + " re-encoded differently\n beam: " + hex(e.bytes) + "\n ours: " + hex(enc.toByteArray()));
                }
                canonical++;
            } else if (e.kind == COMPRESSED) {
                compressed++;
            } else {
                decodeOnly++;
            }
        }
        System.out.printf("corpus: %d byte-identical, %d compressed, %d decode-only, %d refused as BEAM refuses,"
                + " %d ports JInterface reads sign-extended%n", canonical, compressed, decodeOnly, refusedLikeBeam, signExtendedPorts);
        assertTrue(canonical > 2500 && compressed > 100 && decodeOnly > 300, "corpus too small");
        assertEquals(1, refusedLikeBeam);
    }

    private static boolean isVersionInside(byte[] b) {
        return b.length == 8 && b[0] == (byte) 131 && b[1] == 104 && b[3] == (byte) 131;
    }

    /**
     * Equal, and built of the same classes (equals alone lets an OtpErlangString equal a
     * list), and maps in the same order (it is the order the encoder writes).
     */
    private static void assertSameTerm(OtpErlangObject want, OtpErlangObject got, String where) {
        List<OtpErlangObject[]> todo = new ArrayList<>();
        todo.add(new OtpErlangObject[] {want, got});
        while (!todo.isEmpty()) {
            OtpErlangObject[] p = todo.remove(todo.size() - 1);
            assertSame(p[0].getClass(), p[1].getClass(), where);
            if (p[0] instanceof OtpErlangTuple) {
                OtpErlangTuple a = (OtpErlangTuple) p[0];
                OtpErlangTuple b = (OtpErlangTuple) p[1];
                assertEquals(a.arity(), b.arity(), where);
                for (int i = 0; i < a.arity(); i++) {
                    todo.add(new OtpErlangObject[] {a.elementAt(i), b.elementAt(i)});
                }
            } else if (p[0] instanceof OtpErlangList) {
                OtpErlangList a = (OtpErlangList) p[0];
                OtpErlangList b = (OtpErlangList) p[1];
                assertEquals(a.arity(), b.arity(), where);
                for (int i = 0; i < a.arity(); i++) {
                    todo.add(new OtpErlangObject[] {a.elementAt(i), b.elementAt(i)});
                }
                assertEquals(a.getLastTail() == null, b.getLastTail() == null, where);
                if (a.getLastTail() != null) {
                    todo.add(new OtpErlangObject[] {a.getLastTail(), b.getLastTail()});
                }
            } else if (p[0] instanceof OtpErlangMap) {
                OtpErlangMap a = (OtpErlangMap) p[0];
                OtpErlangMap b = (OtpErlangMap) p[1];
                assertEquals(a.arity(), b.arity(), where);
                Iterator<Map.Entry<OtpErlangObject, OtpErlangObject>> bi = b.entrySet().iterator();
                for (Map.Entry<OtpErlangObject, OtpErlangObject> x : a.entrySet()) {
                    Map.Entry<OtpErlangObject, OtpErlangObject> y = bi.next();
                    todo.add(new OtpErlangObject[] {x.getKey(), y.getKey()});
                    todo.add(new OtpErlangObject[] {x.getValue(), y.getValue()});
                }
            } else if (p[0] instanceof OtpErlangPort && !p[0].equals(p[1])) {
                // JInterface's read8BE sign-extends the low word of a V4_PORT number and
                // read4BE that of a NEW_PORT: ours must be the same port read unsigned.
                OtpErlangPort a = (OtpErlangPort) p[0];
                OtpErlangPort b = (OtpErlangPort) p[1];
                long signExtended = (b.id() & 0xffffffff00000000L) | (long) (int) b.id();
                assertEquals(a.id(), signExtended, where);
                assertEquals(a.node(), b.node(), where);
                assertEquals(a.creation(), b.creation(), where);
                signExtendedPorts++;
            } else {
                assertEquals(p[0], p[1], where);
            }
        }
    }

    private static int signExtendedPorts;

    @Test
    void millionDeepTupleAndListDecodeAndReencodeOnADefaultStack() throws Exception {
        int n = 1_000_000;
        byte[] tuple = new byte[1 + 2 * n + 1];
        tuple[0] = (byte) 131;
        for (int i = 0; i < n; i++) {
            tuple[1 + 2 * i] = 104;
            tuple[2 + 2 * i] = 1;
        }
        tuple[1 + 2 * n] = 106;

        byte[] list = new byte[1 + 5 * n + 1 + n];
        list[0] = (byte) 131;
        for (int i = 0; i < n; i++) {
            list[1 + 5 * i] = 108;
            list[5 + 5 * i] = 1;
        }
        Arrays.fill(list, 1 + 5 * n, list.length, (byte) 106);

        for (byte[] bytes : List.of(tuple, list)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            // A fresh thread gets the JVM's default stack, not whatever the test runner has.
            Thread t = new Thread(() -> {
                try {
                    OtpErlangObject term = new TermDecoder(bytes).readVersionedTerm();
                    TermEncoder enc = new TermEncoder();
                    enc.writeVersionedTerm(term);
                    assertArrayEquals(bytes, enc.toByteArray());
                } catch (Throwable x) {
                    failure.set(x);
                }
            });
            t.start();
            t.join();
            if (failure.get() != null) {
                throw new AssertionError("deep term failed", failure.get());
            }
        }
    }

    @Test
    void hugeAnnouncedLengthsFailFast() {
        int[] tags = {108, 105, 116, 109, 77, 111, 112, 117};
        for (int tag : tags) {
            byte[] b = {(byte) 131, (byte) tag, -1, -1, -1, -1, 97, 1, 106, 0};
            long t0 = System.nanoTime();
            assertThrows(TermDecodeException.class, () -> new TermDecoder(b).readVersionedTerm(), "tag " + tag);
            assertTrue(System.nanoTime() - t0 < 50_000_000L, "tag " + tag + " took too long");
        }
        // A compressed term announcing 256 MiB + 1, and one announcing far more than 12 bytes can give.
        byte[] big = {(byte) 131, 80, 0x10, 0, 0, 1, 0x78, -100, 3, 0, 0, 0, 0, 1};
        assertThrows(TermDecodeException.class, () -> new TermDecoder(big).readVersionedTerm());
        byte[] bomb = {(byte) 131, 80, 0x0f, 0, 0, 0, 0x78, -100, 3, 0, 0, 0, 0, 1};
        assertThrows(TermDecodeException.class, () -> new TermDecoder(bomb).readVersionedTerm());
    }

    @Test
    void atomCacheReferencesNeedATable() throws Exception {
        byte[] b = {104, 2, 82, 0, 82, 1};
        assertThrows(TermDecodeException.class, () -> new TermDecoder(b, 0, b.length).readTerm());
        TermDecoder d = new TermDecoder(b, 0, b.length);
        d.setAtomCache(new OtpErlangAtom[] {new OtpErlangAtom("ok"), new OtpErlangAtom("error")});
        assertEquals(new OtpErlangTuple(new OtpErlangObject[] {new OtpErlangAtom("ok"), new OtpErlangAtom("error")}), d.readTerm());
        assertEquals(0, d.remaining());
        TermDecoder short1 = new TermDecoder(b, 0, b.length);
        short1.setAtomCache(new OtpErlangAtom[] {new OtpErlangAtom("ok")});
        assertThrows(TermDecodeException.class, short1::readTerm);
    }

    @Test
    void listsWithListTailsEncodeAsTheFlatListTheyAre() throws Exception {
        OtpErlangObject one = new OtpErlangLong(1);
        OtpErlangObject a = new OtpErlangAtom("a");
        TermEncoder enc = new TermEncoder();
        // [1 | [2]] is [1,2]: a byte list, so STRING_EXT
        enc.writeVersionedTerm(new OtpErlangList(new OtpErlangObject[] {one},
                new OtpErlangList(new OtpErlangObject[] {new OtpErlangLong(2)})));
        assertArrayEquals(new byte[] {(byte) 131, 107, 0, 2, 1, 2}, enc.toByteArray());
        // [a | "bc"] is [a, $b, $c]
        enc.reset();
        enc.writeVersionedTerm(new OtpErlangList(new OtpErlangObject[] {a}, new OtpErlangString("bc")));
        assertArrayEquals(new byte[] {(byte) 131, 108, 0, 0, 0, 3, 119, 1, 'a', 97, 'b', 97, 'c', 106}, enc.toByteArray());
        // a bitstring of whole bytes is a binary
        enc.reset();
        enc.writeVersionedTerm(new OtpErlangBitstr(new byte[] {7}, 0));
        assertArrayEquals(new byte[] {(byte) 131, 109, 0, 0, 0, 1, 7}, enc.toByteArray());
    }

    @Test
    void aMapKeyTooDeepForJInterfaceToHashIsRefused() throws Exception {
        int n = 200_000;
        byte[] b = new byte[1 + 5 + 2 * n + 1 + 2];
        b[0] = (byte) 131;
        b[1] = 116;
        b[5] = 1;
        for (int i = 0; i < n; i++) {
            b[6 + 2 * i] = 104;
            b[7 + 2 * i] = 1;
        }
        b[6 + 2 * n] = 106;
        b[7 + 2 * n] = 97;
        b[8 + 2 * n] = 1;
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                new TermDecoder(b).readVersionedTerm();
            } catch (Throwable x) {
                outcome.set(x);
            }
        });
        t.start();
        t.join();
        assertTrue(outcome.get() instanceof TermDecodeException, String.valueOf(outcome.get()));
    }

    @Test
    void typedWritesGiveTheBytesOfTheTupleTheyStandFor() {
        OtpErlangPid pid = new OtpErlangPid("a@h", 7, 1, 0x5eed);
        OtpErlangRef ref = new OtpErlangRef("b@h", new int[] {1, 2, 3}, 9);
        for (long n : new long[] {0, 31, 255, 256, -1, 1L << 40}) {
            for (int arity : new int[] {4, 300}) {
                OtpErlangObject[] elements = new OtpErlangObject[arity];
                elements[0] = new OtpErlangLong(n);
                elements[1] = ref;
                elements[2] = pid;
                for (int i = 3; i < arity; i++) {
                    elements[i] = new OtpErlangAtom("x" + i);
                }
                TermEncoder whole = new TermEncoder();
                whole.writeTerm(new OtpErlangTuple(elements));
                TermEncoder typed = new TermEncoder();
                typed.writeTupleHeader(arity);
                typed.writeInteger(n);
                typed.writeRef(ref);
                typed.writePid(pid);
                for (int i = 3; i < arity; i++) {
                    typed.writeTerm(elements[i]);
                }
                assertArrayEquals(whole.toByteArray(), typed.toByteArray(), n + " in a tuple of " + arity);
            }
        }
    }

    @Test
    void hotAtomsAreShared() throws Exception {
        byte[] b = {(byte) 131, 119, 2, 'o', 'k'};
        assertSame(new TermDecoder(b).readVersionedTerm(), new TermDecoder(b).readVersionedTerm());
    }

    /**
     * Truncations, byte flips and planted length fields over the corpus: the decoder answers
     * with a term or a TermDecodeException, never anything else, and whatever it accepts
     * encodes again.
     */
    @Test
    void fuzzedInputOnlyEverFailsCleanly() throws Exception {
        needCorpus();
        Random rnd = new Random(Long.getLong("jinet.codec.fuzzseed", 0x5eedL));
        int accepted = 0;
        int refused = 0;
        TermEncoder enc = new TermEncoder();
        byte[][] lengths = {{-1, -1, -1, -1}, {127, -1, -1, -1}, {0, 0, -1, -1}, {0, 1, 0, 0}, {-128, 0, 0, 0}};
        for (int round = 0; round < 20_000; round++) {
            Entry e = corpus.get(rnd.nextInt(corpus.size()));
            byte[] b = e.bytes.length > 4096 ? Arrays.copyOf(e.bytes, 4096) : e.bytes.clone();
            switch (rnd.nextInt(4)) {
                case 0 -> b = Arrays.copyOf(b, rnd.nextInt(b.length));
                case 1 -> {
                    for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                    }
                }
                case 2 -> {
                    if (b.length > 6) {
                        System.arraycopy(lengths[rnd.nextInt(lengths.length)], 0, b, 1 + rnd.nextInt(b.length - 5), 4);
                    }
                }
                default -> {
                    int at = 1 + rnd.nextInt(Math.max(1, b.length - 1));
                    if (at < b.length) {
                        b[at] = (byte) (rnd.nextBoolean() ? rnd.nextInt(256) : 70 + rnd.nextInt(51));
                    }
                }
            }
            try {
                OtpErlangObject t = new TermDecoder(b).readVersionedTerm();
                enc.reset();
                enc.writeVersionedTerm(t);
                accepted++;
            } catch (TermDecodeException x) {
                refused++;
            } catch (Throwable x) {
                throw new AssertionError("round " + round + " entry " + e.index + ": " + hex(b), x);
            }
        }
        System.out.printf("fuzz: %d accepted, %d refused%n", accepted, refused);
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 400); i++) {
            sb.append(b[i] & 0xff).append(',');
        }
        return b.length > 400 ? sb + "... (" + b.length + " bytes)" : sb.toString();
    }
}
