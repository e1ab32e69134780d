package jinet.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangBitstr;
import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import jinet.testing.Escript;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test of {@link HashOrder} and {@link InternalHash} against the installed BEAM:
 * hash_order_oracle.escript builds seeded random ETS set tables (inserts, overwrites,
 * deletes, re-inserts) and maps (several insertion orders, repeated keys) and prints what
 * BEAM answered; the Java side replays the same inputs and must give the same order.
 *
 * <p>Atoms are hashed by their atom-table index, which is node specific; the oracle node's
 * indices of the atoms in the keys are read off probe maps first (the one index for which
 * the model reproduces BEAM's order of 64 keys {@code {Atom, I}}), then used for all cases.
 */
class HashOrderTest {
    /** Fixed so that a failure repeats; -Djinet.hashorder.seed=N explores other case sets. */
    private static final long SEED = Long.getLong("jinet.hashorder.seed", 20250325L);

    private static final Escript ORACLE = Escript.onClassPath(HashOrderTest.class, "/jinet/term/hash_order_oracle.escript");
    private static String skipReason;
    private static final Map<String, List<OtpErlangObject>> cases = new HashMap<>();
    private static final Map<String, Integer> oracleAtoms = new HashMap<>();
    private static ToIntFunction<String> atomIndex;

    @BeforeAll
    static void askBeam() throws Exception {
        skipReason = ORACLE.unavailableReason();
        if (skipReason != null) {
            System.out.println("HashOrderTest skipped: " + skipReason);
            return;
        }
        Path out = Files.createTempFile("hash-order-oracle", ".out");
        ORACLE.run(out, Long.toString(SEED));
        for (String line : Files.readAllLines(out, StandardCharsets.US_ASCII)) {
            int sp = line.indexOf(' ');
            OtpErlangObject term = new OtpInputStream(Base64.getDecoder().decode(line.substring(sp + 1))).read_any();
            cases.computeIfAbsent(line.substring(0, sp), k -> new ArrayList<>()).add(term);
        }
        Files.deleteIfExists(out);
        calibrateAtoms();
        atomIndex = name -> {
            Integer ix = oracleAtoms.get(name);
            return ix != null ? ix : InternalHash.atomIndex(name);
        };
    }

    /** Finds, per probed atom, the one index under which the model orders the probe map as BEAM did. */
    private static void calibrateAtoms() {
        int atomCount = (int) longOf(cases.get("ATOMCOUNT").get(0));
        for (OtpErlangObject c : cases.get("ATOM")) {
            OtpErlangTuple t = (OtpErlangTuple) c;
            String atom = ((OtpErlangAtom) t.elementAt(0)).atomValue();
            List<Long> observed = new ArrayList<>();
            for (OtpErlangObject i : elements(t.elementAt(1))) {
                observed.add(longOf(i));
            }
            List<Integer> found = new ArrayList<>();
            for (int candidate = 0; candidate < atomCount; candidate++) {
                final int ix = candidate;
                ToIntFunction<String> probe = name -> name.equals(atom) ? ix : InternalHash.atomIndex(name);
                // Quick reject: successive keys must descend in nibble-reversed hash.
                long prev = Long.MAX_VALUE;
                boolean plausible = true;
                for (int j = 0; plausible && j < observed.size(); j++) {
                    long h = reversedNibbles(InternalHash.of(probeKey(atom, observed.get(j)), 0, probe));
                    plausible = h <= prev;
                    prev = h;
                }
                if (!plausible) {
                    continue;
                }
                List<Long> is = new ArrayList<>();
                for (long i = 1; i <= 64; i++) {
                    is.add(i);
                }
                if (HashOrder.mapOrder(is, i -> probeKey(atom, i), probe).equals(observed)) {
                    found.add(candidate);
                }
            }
            assertEquals(1, found.size(), "atom-table index candidates for '" + atom + "': " + found);
            oracleAtoms.put(atom, found.get(0));
        }
        System.out.println("HashOrderTest: seed " + SEED + ", oracle node atom indices " + oracleAtoms);
    }

    private static OtpErlangTuple probeKey(String atom, long i) {
        return new OtpErlangTuple(new OtpErlangObject[] {new OtpErlangAtom(atom), new OtpErlangLong(i)});
    }

    private static long reversedNibbles(long h) {
        long rev = 0;
        for (int i = 0; i < 8; i++) {
            rev = (rev << 4) | ((h >>> (4 * i)) & 0xF);
        }
        return rev;
    }

    private static void assumeBeam() {
        Assumptions.assumeTrue(skipReason == null, skipReason);
    }

    @Test
    void etsSetTab2listOrderIsBeams() {
        assumeBeam();
        int sets = 0;
        int objects = 0;
        int mismatches = 0;
        int maxSize = 0;
        StringBuilder firstMismatch = new StringBuilder();
        for (OtpErlangObject c : cases.get("ETS")) {
            OtpErlangTuple t = (OtpErlangTuple) c;
            String kind = ((OtpErlangAtom) t.elementAt(0)).atomValue();
            OtpErlangObject[] ops = elements(t.elementAt(1));
            OtpErlangObject[] beam = elements(t.elementAt(2));
            assertTrue(((OtpErlangAtom) t.elementAt(3)).booleanValue(), "match_object differs from tab2list");
            assertTrue(((OtpErlangAtom) t.elementAt(4)).booleanValue(), "select differs from tab2list");

            HashOrder.EtsSet<OtpErlangObject> set = new HashOrder.EtsSet<>(atomIndex);
            for (OtpErlangObject op : ops) {
                OtpErlangTuple o = (OtpErlangTuple) op;
                if (((OtpErlangAtom) o.elementAt(0)).atomValue().equals("ins")) {
                    set.insert(o.elementAt(1), o.elementAt(2));
                } else {
                    set.delete(o.elementAt(1));
                }
            }
            List<Map.Entry<OtpErlangObject, OtpErlangObject>> mine = set.tab2list();
            boolean same = mine.size() == beam.length;
            for (int i = 0; same && i < beam.length; i++) {
                OtpErlangTuple obj = (OtpErlangTuple) beam[i];
                same = Terms.exactlyEqual(obj.elementAt(0), mine.get(i).getKey())
                        && Terms.exactlyEqual(obj.elementAt(1), mine.get(i).getValue());
            }
            sets++;
            objects += beam.length;
            maxSize = Math.max(maxSize, beam.length);
            if (!same) {
                if (mismatches++ == 0) {
                    firstMismatch.append(kind).append(" table of ").append(beam.length)
                            .append(": BEAM ").append(List.of(beam)).append("\n Java ").append(mine);
                }
            }
        }
        System.out.printf("HashOrderTest: %d ETS set tables (%d objects, largest %d), %d mismatches%n",
                sets, objects, maxSize, mismatches);
        assertTrue(sets >= 300, "too few ETS cases: " + sets);
        assertEquals(0, mismatches, firstMismatch.toString());
    }

    @Test
    void mapKeysValuesToListOrderIsBeams() {
        assumeBeam();
        Map<String, int[]> perKind = new HashMap<>(); // kind -> {sets, mismatches}
        StringBuilder firstMismatch = new StringBuilder();
        int hamts = 0;
        int flat = 0;
        for (OtpErlangObject c : cases.get("MAP")) {
            OtpErlangTuple t = (OtpErlangTuple) c;
            String kind = ((OtpErlangAtom) t.elementAt(0)).atomValue();
            List<OtpErlangTuple> kvs = new ArrayList<>();
            for (OtpErlangObject kv : elements(t.elementAt(1))) {
                kvs.add((OtpErlangTuple) kv);
            }
            OtpErlangObject[] keys = elements(t.elementAt(2));
            OtpErlangObject[] values = elements(t.elementAt(3));
            OtpErlangObject[] toList = elements(t.elementAt(4));
            assertTrue(((OtpErlangAtom) t.elementAt(5)).booleanValue(),
                    "BEAM itself gave another order for another insertion order");

            List<OtpErlangTuple> mine = HashOrder.mapOrder(kvs, kv -> kv.elementAt(0), atomIndex);
            boolean same = mine.size() == keys.length && keys.length == values.length && values.length == toList.length;
            for (int i = 0; same && i < keys.length; i++) {
                same = Terms.exactlyEqual(keys[i], mine.get(i).elementAt(0))
                        && Terms.exactlyEqual(values[i], mine.get(i).elementAt(1))
                        && Terms.exactlyEqual(toList[i], mine.get(i));
            }
            if (keys.length > HashOrder.MAP_SMALL_MAP_LIMIT) {
                hamts++;
            } else {
                flat++;
            }
            int[] counts = perKind.computeIfAbsent(kind, k -> new int[2]);
            counts[0]++;
            if (!same) {
                if (counts[1]++ == 0 && firstMismatch.length() == 0) {
                    firstMismatch.append(kind).append(" map of ").append(keys.length)
                            .append(": BEAM ").append(List.of(keys)).append("\n Java ").append(mine);
                }
            }
        }
        int mismatches = 0;
        for (Map.Entry<String, int[]> e : perKind.entrySet()) {
            System.out.printf("HashOrderTest: %d %s maps, %d mismatches%n", e.getValue()[0], e.getKey(), e.getValue()[1]);
            mismatches += e.getValue()[1];
        }
        System.out.printf("HashOrderTest: %d HAMT maps (>32 keys), %d flatmaps%n", hamts, flat);
        assertTrue(hamts >= 300, "too few HAMT cases: " + hamts);
        assertEquals(0, mismatches, firstMismatch.toString());
    }

    @Test
    void collidingKeysReallyCollide() {
        // The collision cases exercise the depth-1 rehash only if these pairs share all 32 bits.
        long[][] pairs = {{95, 154, 165, 168}, {110, 191, 171, 134}, {221, 62, 81, 154}, {172, 171, 78, 234}};
        for (int i = 0; i < pairs.length; i += 2) {
            assertEquals(InternalHash.of(ints(pairs[i])), InternalHash.of(ints(pairs[i + 1])));
        }
    }

    /**
     * make_internal_hash(T, 0) and (T, make_map_hash's depth-1 salt) of sample terms, as an
     * OTP 25.2.3 node (erts-13.1.5, x86_64) returned them through
     * enif_hash(ERL_NIF_INTERNAL_HASH, T, Salt) from a throwaway NIF. In that node (started
     * erl -noshell) in was atom 322, inet 1083, inet6 1537 and ptr 7060.
     */
    @Test
    void internalHashOfSampleTermsAsBeamComputedThem() throws Exception {
        ToIntFunction<String> node = name -> Map.of("in", 322, "inet", 1083, "inet6", 1537, "ptr", 7060).get(name);
        long depth1 = HashOrder.mapHashSalt(1);
        assertEquals(2265902746L, depth1);
        Object[][] samples = {
            {Terms.NIL, 2464209347L, 2053687919L},
            {new OtpErlangLong(5), 183270848L, 636678801L},
            {new OtpErlangLong(-1), 559702020L, 3681652084L},
            {new OtpErlangTuple(new OtpErlangObject[0]), 904478834L, 1031093219L},
            {new OtpErlangBinary(new byte[0]), 3580844982L, 1415705136L},
            {new OtpErlangDouble(0.0), 2778859731L, 2876124541L},
            {new OtpErlangDouble(-0.0), 2778859731L, 2876124541L},
            {new OtpErlangDouble(1.5), 1817557079L, 3238202760L},
            {new OtpErlangString("big.jinet.test"), 1514384439L, 2113804611L},
            {Terms.tuple(Terms.atom("inet"), ints(new long[] {127, 0, 0, 1})), 2878371266L, 3413877167L},
            {Terms.tuple(Terms.atom("inet6"), ints(new long[] {0, 0, 0, 0, 0, 0, 0, 1})), 2952737103L, 1567879117L},
            {new OtpErlangList(new OtpErlangObject[] {new OtpErlangLong(1)}, new OtpErlangLong(2)), 813403020L, 1871504096L},
            {Terms.list(new OtpErlangLong(300), new OtpErlangLong(1), new OtpErlangLong(2)), 2546643775L, 126996912L},
            {new OtpErlangLong(java.math.BigInteger.ONE.shiftLeft(70)), 1532645093L, 232458350L},
            {new OtpErlangLong(-(1L << 59)), 767231620L, 2352577505L},
            {new OtpErlangBinary(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}), 2553231604L, 3552753143L},
            {new OtpErlangBitstr(new byte[] {(byte) 0xA0}, 5), 1285585474L, 276152312L},
            {Terms.tuple(new OtpErlangString("big.jinet.test"), Terms.atom("in"), Terms.atom("ptr"),
                    new OtpErlangString("1.0.0.10.in-addr.arpa")), 3097560681L, 1118120053L},
        };
        for (Object[] sample : samples) {
            OtpErlangObject term = (OtpErlangObject) sample[0];
            assertEquals((long) sample[1], InternalHash.of(term, 0, node), "salt 0: " + term);
            assertEquals((long) sample[2], InternalHash.of(term, depth1, node), "depth-1 salt: " + term);
        }
    }

    /**
     * The probe jinet runs when an answer first needs the indices finds, from ETS orders alone,
     * the indices the oracle node reports for the atoms whose index is the same on every boot of
     * one installation (they differ between installations, which is why jinet probes).
     */
    @Test
    void probeFindsTheOracleNodesIndices() throws Exception {
        assumeBeam();
        Map<String, Integer> probed = AtomIndexProbe.probe(List.of("inet", "inet6", "in"), 30000);
        for (String atom : List.of("inet", "inet6", "in")) {
            assertEquals(oracleAtoms.get(atom), probed.get(atom), "atom-table index of '" + atom + "'");
        }
        for (String atom : List.of("a", "aaaa", "cname", "ptr")) {
            System.out.printf("HashOrderTest: '%s' is %d in the oracle node, %d by default%n",
                    atom, oracleAtoms.get(atom), InternalHash.atomIndex(atom));
        }
    }

    @Test
    void atomKeysUseTheAtomTextHash() {
        // hashpjw("inet") over its bytes
        long h = 0;
        for (byte b : "inet".getBytes(StandardCharsets.UTF_8)) {
            h = (h << 4) + b;
        }
        assertEquals(h, InternalHash.atomHvalue("inet"));
    }

    // -----------------------------------------------------------------------------------

    private static OtpErlangTuple ints(long[] xs) {
        OtpErlangObject[] e = new OtpErlangObject[xs.length];
        for (int i = 0; i < xs.length; i++) {
            e[i] = new OtpErlangLong(xs[i]);
        }
        return new OtpErlangTuple(e);
    }

    private static long longOf(OtpErlangObject o) {
        return ((OtpErlangLong) o).longValue();
    }

    private static OtpErlangObject[] elements(OtpErlangObject list) {
        if (list instanceof OtpErlangList) {
            return ((OtpErlangList) list).elements();
        }
        OtpErlangObject[] e = Terms.properListElements(list);
        if (e == null) {
            throw new IllegalArgumentException("not a list: " + list);
        }
        return e;
    }
}
