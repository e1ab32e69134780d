package jinet.term;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBitstr;
import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;

import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The orders OTP 25 (erts-13.1.x, 64-bit) derives from {@link InternalHash}: the key order of
 * maps ({@code maps:keys/values/to_list}) and the object order of ETS {@code set} tables
 * ({@code ets:tab2list/1}, {@code ets:match_object(T, '_')}, {@code ets:select/2}).
 *
 * <p><b>Maps.</b> Up to 32 keys a map is a flatmap whose keys are kept sorted in term order.
 * Larger maps are HAMTs (erl_map.c): a key's path is the nibbles of
 * {@code make_map_hash(Key, 0) = make_internal_hash(Key, 0)} from the least significant
 * one up; after 8 levels the next 8 come from {@code make_map_hash(Key, 1)}, whose salt is
 * {@code UINT32_HASH_2(1, 1, HCONST_22)} mixed into 0, and so on ({@code hashmap_shift_hash}).
 * Nodes keep children by ascending nibble; {@code hashmap_keys}/{@code hashmap_values}/
 * {@code hashmap_to_list} walk the tree depth first in that order and cons each key on the
 * front of the result, so the lists come out in <em>descending</em> path order. The
 * structure, and so the order, does not depend on insertion order (keys with equal 32-bit
 * hashes are told apart by the next hash level). {@code maps:iterator/1}, {@code maps:fold/3}
 * walk the other way.
 *
 * <p><b>ETS.</b> A hash table starts with 256 active buckets ({@code FIRST_SEGSZ});
 * {@code MAKE_HASH} is the atom's text hash for atom keys and {@code make_internal_hash(Key,
 * 0)} otherwise; the bucket is {@code hash_to_ix} (linear hashing: {@code hval & szm}, folded
 * with {@code szm >> 1} when past {@code nactive}). A new key is linked at the tail of its
 * bucket chain; overwriting a key replaces the object in place; deleting unlinks it (so a
 * deleted and re-inserted key moves to the tail). The table grows by one bucket (split,
 * relative order kept) whenever an insert leaves more objects than active buckets, and only
 * shrinks once it has at least 256 + 2 * 2048 slots. {@code match_traverse} (match_object,
 * select) walks the slots with {@code next_slot}, which steps by the table's number of
 * bucket locks: one for a table without write_concurrency, so slots 0, 1, 2, ...; each chain
 * head to tail; every match is consed on the front of the result, so tab2list is the
 * reverse: highest slot first, and within a slot the most recently linked key first.
 *
 * <p>Both orders depend on the atom-table indices of any atoms inside the keys (see
 * {@link InternalHash}); every method has a variant taking the index function.
 */
public final class HashOrder {

    /** Flatmap limit: maps with more keys are HAMTs. */
    public static final int MAP_SMALL_MAP_LIMIT = 32;

    private HashOrder() {
    }

    /**
     * The order maps:keys/values/to_list give for a map with these keys (any size: <=32 -> term
     * order, else HAMT order). When several items have equal keys the last one is kept, as
     * {@code maps:from_list/1} and successive {@code M#{K => V}} do.
     */
    public static <T> List<T> mapOrder(List<T> items, Function<T, OtpErlangObject> key) {
        return mapOrder(items, key, InternalHash::atomIndex);
    }

    /** {@link #mapOrder(List, Function)} with the given atom-table indices. */
    public static <T> List<T> mapOrder(List<T> items, Function<T, OtpErlangObject> key,
            ToIntFunction<String> atomIndex) {
        Map<Canon, T> byKey = new LinkedHashMap<>();
        Map<Canon, OtpErlangObject> keys = new LinkedHashMap<>();
        for (T item : items) {
            OtpErlangObject k = Objects.requireNonNull(key.apply(item), "key");
            Canon c = new Canon(k);
            byKey.put(c, item);
            keys.put(c, k);
        }
        List<Canon> order = new ArrayList<>(byKey.keySet());
        if (order.size() <= MAP_SMALL_MAP_LIMIT) {
            order.sort((a, b) -> compare(keys.get(a), keys.get(b)));
        } else {
            Map<Canon, HamtPath> paths = new LinkedHashMap<>();
            for (Canon c : order) {
                paths.put(c, new HamtPath(keys.get(c), atomIndex));
            }
            // descending path order
            order.sort((a, b) -> paths.get(b).compareTo(paths.get(a)));
        }
        List<T> out = new ArrayList<>(order.size());
        for (Canon c : order) {
            out.add(byKey.get(c));
        }
        return out;
    }

    /** The salt {@code make_map_hash(Key, Depth)} passes to make_internal_hash. */
    static long mapHashSalt(int depth) {
        if (depth == 0) {
            return 0;
        }
        // UINT32_HASH_2(depth, 1, HCONST_22) with hash = 0
        int h = InternalHash.uint32Hash2(depth, 1, 0x98c475e6, 0);
        return h & 0xFFFFFFFFL;
    }

    /** A key's nibble path in the HAMT, computed level by level as needed. */
    private static final class HamtPath implements Comparable<HamtPath> {
        private static final int MAX_DEPTH = 16;
        private final OtpErlangObject key;
        private final ToIntFunction<String> atomIndex;
        private final long[] hashes = new long[MAX_DEPTH];
        private int computed;

        HamtPath(OtpErlangObject key, ToIntFunction<String> atomIndex) {
            this.key = key;
            this.atomIndex = atomIndex;
        }

        /** The hash of one depth with its nibbles reversed, so that unsigned order = path order. */
        long level(int depth) {
            while (computed <= depth) {
                long h = InternalHash.of(key, mapHashSalt(computed), atomIndex);
                long rev = 0;
                for (int i = 0; i < 8; i++) {
                    rev = (rev << 4) | ((h >>> (4 * i)) & 0xF);
                }
                hashes[computed++] = rev;
            }
            return hashes[depth];
        }

        @Override
        public int compareTo(HamtPath o) {
            for (int d = 0; d < MAX_DEPTH; d++) {
                int c = Long.compare(level(d), o.level(d));
                if (c != 0) {
                    return c;
                }
            }
            return compare(key, o.key); // not reached for distinct keys in practice
        }
    }

    /**
     * A model of one ETS set table (default options: {@code [set, protected]}, keypos 1, no
     * write_concurrency, not fixed): insert (overwrite), delete, and tab2list order.
     */
    public static final class EtsSet<V> {
        private static final int FIRST_SEGSZ = 256;
        private static final int EXT_SEGSZ = 2048;
        /**
         * next_slot() steps by the table's lock count; a table without write_concurrency
         * has one (no fine-grained locks), so slots are walked 0, 1, 2, ...
         */
        private static final int NLOCKS = 1;

        private final ToIntFunction<String> atomIndex;
        private final List<List<Obj<V>>> buckets = new ArrayList<>();
        private int nactive;
        private int szm;
        private int nslots;
        private int nitems;

        private static final class Obj<V> {
            final Canon key;
            final OtpErlangObject term;
            final long hvalue;
            V value;

            Obj(Canon key, OtpErlangObject term, long hvalue, V value) {
                this.key = key;
                this.term = term;
                this.hvalue = hvalue;
                this.value = value;
            }
        }

        /** A table with the default atom-table indices. */
        public EtsSet() {
            this(InternalHash::atomIndex);
        }

        /** A table hashing atoms inside keys by these atom-table indices. */
        public EtsSet(ToIntFunction<String> atomIndex) {
            this.atomIndex = Objects.requireNonNull(atomIndex);
            clear();
        }

        /** ets:delete_all_objects/1: back to a fresh table. */
        public void clear() {
            buckets.clear();
            for (int i = 0; i < FIRST_SEGSZ; i++) {
                buckets.add(new ArrayList<>());
            }
            nactive = FIRST_SEGSZ;
            szm = FIRST_SEGSZ - 1;
            nslots = FIRST_SEGSZ;
            nitems = 0;
        }

        public int size() {
            return nitems;
        }

        /** {@code MAKE_HASH} of erl_db_hash.c. */
        long makeHash(OtpErlangObject key) {
            return makeHash(key, atomIndex);
        }

        static long makeHash(OtpErlangObject key, ToIntFunction<String> atomIndex) {
            if (key instanceof OtpErlangAtom) {
                return InternalHash.atomHvalue(((OtpErlangAtom) key).atomValue());
            }
            return InternalHash.of(key, 0, atomIndex);
        }

        /**
         * The bucket of a key with this hash in a table that has never grown (at most
         * {@value #FIRST_SEGSZ} objects since it was made or cleared).
         */
        static int bucketBeforeGrowth(long hval) {
            return (int) (hval & (FIRST_SEGSZ - 1));
        }

        private int hashToIx(long hval) {
            int ix = (int) (hval & szm);
            if (ix >= nactive) {
                ix &= szm >>> 1;
            }
            return ix;
        }

        /** ets:insert/2 of one object with this key. */
        public void insert(OtpErlangObject key, V value) {
            Canon c = new Canon(key);
            long hval = makeHash(key);
            List<Obj<V>> chain = buckets.get(hashToIx(hval));
            for (Obj<V> o : chain) {
                if (o.hvalue == hval && o.key.equals(c)) {
                    o.value = value; // replaced in place
                    return;
                }
            }
            chain.add(new Obj<>(c, key, hval, value));
            nitems++;
            if (nitems > nactive) {
                grow();
            }
        }

        /** ets:delete/2 of a key. */
        public void delete(OtpErlangObject key) {
            Canon c = new Canon(key);
            long hval = makeHash(key);
            List<Obj<V>> chain = buckets.get(hashToIx(hval));
            for (int i = 0; i < chain.size(); i++) {
                Obj<V> o = chain.get(i);
                if (o.hvalue == hval && o.key.equals(c)) {
                    chain.remove(i);
                    nitems--;
                    if (nactive > FIRST_SEGSZ && nitems < shrinkLimit()) {
                        shrink();
                    }
                    return;
                }
            }
        }

        /** ets:lookup/2 for a set: the value or null. */
        public V lookup(OtpErlangObject key) {
            Canon c = new Canon(key);
            long hval = makeHash(key);
            for (Obj<V> o : buckets.get(hashToIx(hval))) {
                if (o.hvalue == hval && o.key.equals(c)) {
                    return o.value;
                }
            }
            return null;
        }

        /** ets:tab2list/1 (= ets:match_object(T, '_')) order. */
        public List<Map.Entry<OtpErlangObject, V>> tab2list() {
            List<Map.Entry<OtpErlangObject, V>> walk = new ArrayList<>(nitems);
            for (int start = 0; start < NLOCKS; start++) {
                for (int ix = start; ix < nactive; ix += NLOCKS) {
                    for (Obj<V> o : buckets.get(ix)) {
                        walk.add(new AbstractMap.SimpleImmutableEntry<>(o.term, o.value));
                    }
                }
            }
            Collections.reverse(walk);
            return walk;
        }

        /** grow() of erl_db_hash.c: up to 5 bucket splits while nitems > nactive. */
        private void grow() {
            int loops = 5;
            do {
                if (nactive == nslots) {
                    nslots += EXT_SEGSZ;
                }
                int fromIx;
                if (nactive <= szm) {
                    fromIx = nactive & (szm >>> 1);
                } else {
                    fromIx = 0;
                    szm = (szm << 1) | 1;
                }
                int toIx = nactive;
                nactive++;
                while (buckets.size() < nactive) {
                    buckets.add(new ArrayList<>());
                }
                List<Obj<V>> from = buckets.get(fromIx);
                List<Obj<V>> stay = new ArrayList<>();
                List<Obj<V>> move = new ArrayList<>();
                for (Obj<V> o : from) {
                    if ((int) (o.hvalue & szm) != fromIx) {
                        move.add(o);
                    } else {
                        stay.add(o);
                    }
                }
                buckets.set(fromIx, stay);
                buckets.set(toIx, move);
            } while (--loops > 0 && nitems > nactive);
        }

        /** calc_shrink_limit(): no shrinking until a second extra segment exists. */
        private int shrinkLimit() {
            if (nslots >= FIRST_SEGSZ + 2 * EXT_SEGSZ) {
                return (nslots - EXT_SEGSZ) / 2;
            }
            return 0;
        }

        /** shrink() of erl_db_hash.c: join the top bucket into its buddy, up to 5 times. */
        private void shrink() {
            int loops = 5;
            do {
                int srcIx = nactive - 1;
                int lowSzm = szm >>> 1;
                int dstIx = srcIx & lowSzm;
                nactive = srcIx;
                if (dstIx == 0) {
                    szm = lowSzm;
                }
                if (nslots - srcIx >= EXT_SEGSZ) {
                    nslots -= EXT_SEGSZ;
                }
                List<Obj<V>> joined = new ArrayList<>(buckets.get(srcIx));
                joined.addAll(buckets.get(dstIx)); // "src" list, then the old "dst" list
                buckets.set(dstIx, joined);
                buckets.remove(srcIx);
            } while (--loops > 0 && nitems < shrinkLimit());
        }
    }

    // ----------------------------------------------------------------------------------
    // Term order (only what map keys / ETS keys of jinet need: numbers, atoms, tuples,
    // [] and lists (strings included), binaries).

    /** {@link #compare} as a comparator. */
    public static final Comparator<OtpErlangObject> TERM_ORDER = HashOrder::compare;

    /** Erlang term order (exact for integer vs float ties: the integer first, as map keys). */
    public static int compare(OtpErlangObject a, OtpErlangObject b) {
        int ca = typeClass(a);
        int cb = typeClass(b);
        if (ca != cb) {
            return Integer.compare(ca, cb);
        }
        switch (ca) {
            case 0:
                return compareNumbers(a, b);
            case 1:
                return compareCodePoints(((OtpErlangAtom) a).atomValue(), ((OtpErlangAtom) b).atomValue());
            case 6: {
                OtpErlangTuple ta = (OtpErlangTuple) a;
                OtpErlangTuple tb = (OtpErlangTuple) b;
                if (ta.arity() != tb.arity()) {
                    return Integer.compare(ta.arity(), tb.arity());
                }
                for (int i = 0; i < ta.arity(); i++) {
                    int c = compare(ta.elementAt(i), tb.elementAt(i));
                    if (c != 0) {
                        return c;
                    }
                }
                return 0;
            }
            case 8:
                return 0; // [] vs []
            case 9:
                return compareLists(a, b);
            case 10:
                return compareBitstrs((OtpErlangBitstr) a, (OtpErlangBitstr) b);
            default:
                throw new IllegalArgumentException("no term order here for " + a.getClass().getSimpleName());
        }
    }

    /** number 0 < atom 1 < ref 2 < fun 3 < port 4 < pid 5 < tuple 6 < map 7 < nil 8 < list 9 < bitstring 10. */
    private static int typeClass(OtpErlangObject t) {
        if (t instanceof OtpErlangLong || t instanceof OtpErlangDouble) {
            return 0;
        }
        if (t instanceof OtpErlangAtom) {
            return 1;
        }
        if (t instanceof OtpErlangTuple) {
            return 6;
        }
        if (t instanceof OtpErlangMap) {
            return 7;
        }
        if (InternalHash.isNil(t)) {
            return 8;
        }
        if (t instanceof OtpErlangList || t instanceof OtpErlangString) {
            return 9;
        }
        if (t instanceof OtpErlangBitstr) {
            return 10;
        }
        throw new IllegalArgumentException("no term order here for " + t.getClass().getSimpleName());
    }

    private static int compareNumbers(OtpErlangObject a, OtpErlangObject b) {
        boolean ia = a instanceof OtpErlangLong;
        boolean ib = b instanceof OtpErlangLong;
        if (ia && ib) {
            return ((OtpErlangLong) a).bigIntegerValue().compareTo(((OtpErlangLong) b).bigIntegerValue());
        }
        if (!ia && !ib) {
            return Double.compare(((OtpErlangDouble) a).doubleValue() + 0.0, ((OtpErlangDouble) b).doubleValue() + 0.0);
        }
        java.math.BigDecimal da = ia ? new java.math.BigDecimal(((OtpErlangLong) a).bigIntegerValue())
                : new java.math.BigDecimal(((OtpErlangDouble) a).doubleValue());
        java.math.BigDecimal db = ib ? new java.math.BigDecimal(((OtpErlangLong) b).bigIntegerValue())
                : new java.math.BigDecimal(((OtpErlangDouble) b).doubleValue());
        int c = da.compareTo(db);
        if (c != 0) {
            return c;
        }
        return ia ? -1 : 1;
    }

    private static int compareCodePoints(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        return Arrays.compare(x, y);
    }

    private static int compareLists(OtpErlangObject a, OtpErlangObject b) {
        OtpErlangObject[] ea = Terms.listElements(a);
        OtpErlangObject[] eb = Terms.listElements(b);
        int n = Math.min(ea.length, eb.length);
        for (int i = 0; i < n; i++) {
            int c = compare(ea[i], eb[i]);
            if (c != 0) {
                return c;
            }
        }
        if (ea.length != eb.length) {
            // the shorter list's tail against the longer list's remainder
            OtpErlangObject ta = ea.length == n ? Terms.listTail(a) : null;
            OtpErlangObject tb = eb.length == n ? Terms.listTail(b) : null;
            if (ta != null) {
                return compare(ta, rest(b, n));
            }
            return compare(rest(a, n), tb);
        }
        return compare(Terms.listTail(a), Terms.listTail(b));
    }

    private static OtpErlangObject rest(OtpErlangObject l, int from) {
        OtpErlangObject[] e = Terms.listElements(l);
        OtpErlangObject t = Terms.listTail(l);
        if (InternalHash.isNil(t)) {
            return new OtpErlangList(Arrays.copyOfRange(e, from, e.length));
        }
        try {
            return new OtpErlangList(Arrays.copyOfRange(e, from, e.length), t);
        } catch (com.ericsson.otp.erlang.OtpErlangException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static int compareBitstrs(OtpErlangBitstr a, OtpErlangBitstr b) {
        byte[] x = a.binaryValue();
        byte[] y = b.binaryValue();
        long bitsA = (long) x.length * 8 - a.pad_bits();
        long bitsB = (long) y.length * 8 - b.pad_bits();
        long common = Math.min(bitsA, bitsB);
        for (long i = 0; i < common; i++) {
            int ba = (x[(int) (i / 8)] >>> (7 - (int) (i % 8))) & 1;
            int bb = (y[(int) (i / 8)] >>> (7 - (int) (i % 8))) & 1;
            if (ba != bb) {
                return Integer.compare(ba, bb);
            }
        }
        return Long.compare(bitsA, bitsB);
    }

    /**
     * A key under exact term equality ({@code =:=}), strings and char lists alike: the
     * identity ETS and maps use.
     */
    static final class Canon {
        private final OtpErlangObject term;
        private final int hash;

        Canon(OtpErlangObject term) {
            this.term = term;
            this.hash = canonHash(term);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Canon && Terms.exactlyEqual(term, ((Canon) o).term);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static int canonHash(OtpErlangObject t) {
        if (t instanceof OtpErlangTuple) {
            int h = 7;
            for (OtpErlangObject e : ((OtpErlangTuple) t).elements()) {
                h = h * 31 + canonHash(e);
            }
            return h;
        }
        if (t instanceof OtpErlangList || t instanceof OtpErlangString) {
            if (InternalHash.isNil(t)) {
                return 3;
            }
            int h = 5;
            for (OtpErlangObject e : Terms.listElements(t)) {
                h = h * 31 + canonHash(e);
            }
            return h * 31 + canonHash(Terms.listTail(t));
        }
        if (t instanceof OtpErlangLong) {
            return ((OtpErlangLong) t).bigIntegerValue().hashCode();
        }
        if (t instanceof OtpErlangDouble) {
            return Double.hashCode(((OtpErlangDouble) t).doubleValue() + 0.0) * 17;
        }
        return t.hashCode();
    }
}
