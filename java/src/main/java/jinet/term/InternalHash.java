package jinet.term;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBitstr;
import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * The term hash erts uses internally, {@code make_internal_hash(Term, Salt)} of
 * erts/emulator/beam/utils.c, as the 64-bit OTP 25 emulator (erts-13.1.x, checked against
 * OTP 25.2.3) computes it. Large (HAMT) maps place their keys by it
 * ({@code hashmap_make_hash}) and ETS hash tables ({@code set}, {@code bag}, ...) pick a
 * key's bucket by it ({@code MAKE_HASH} of erl_db_hash.c) unless the key is an atom.
 *
 * <p>Ported: Bob Jenkins' 96-bit {@code MIX} over pairs of 32-bit words with the
 * {@code HCONST_n} type constants; immediates (small integers, atoms, {@code []}) hashed
 * as their raw 64-bit {@code Eterm} word; lists with the byte-string shortcut (4 bytes
 * per mix, {@code HCONST_4}/{@code HCONST_22}) and {@code HCONST_17}/{@code HCONST_18}
 * cons markers; tuples ({@code HCONST_9}, elements left to right); bignums
 * ({@code HCONST_10}/{@code HCONST_11}, 64-bit digits); floats ({@code HCONST_12});
 * binaries and bitstrings ({@code block_hash}, {@code HCONST_13}/{@code HCONST_15}).
 * Pids, ports, references, funs and maps are rejected: their hash depends on memory
 * addresses or node entries of the running VM.
 *
 * <p><b>Atoms are hashed by their index in the atom table</b> ({@code Eterm} =
 * {@code index << 6 | 0xB}), not by their text, so a term holding an atom hashes
 * differently in two VMs that created that atom at a different point. Atoms that erts
 * predefines or the preloaded/boot modules create first get the same index on every boot
 * of one OTP build (OTP 25.2.3: {@code inet} 1083, {@code inet6} 1537, {@code in} 322).
 * Others depend on the command line ({@code aaaa} is 7053 for {@code erl -noshell}, 7054
 * with {@code -sname x}) or even on load races ({@code a} is created by parallel module
 * loading at boot and moves between boots of the same command, so BEAM itself orders a
 * large map of {@code a} records differently from boot to boot). The indices used here
 * come from {@link #atomIndex(String)}: built-in values for a node started as
 * {@code erl -sname Name}, overridable by {@link #setAtomIndex} or the system property
 * {@value #OVERRIDE_PROPERTY}; atoms without a known index get a fixed stand-in.
 */
public final class InternalHash {

    /** The OTP release whose hash this class reproduces. */
    public static final int OTP_RELEASE = 25;

    private static final int HCONST = 0x9e3779b9;
    private static final int HCONST_4 = 0x78dde6e4;
    private static final int HCONST_9 = 0x8ff34781;
    private static final int HCONST_10 = 0x2e2ac13a;
    private static final int HCONST_11 = 0xcc623af3;
    private static final int HCONST_12 = 0x6a99b4ac;
    private static final int HCONST_13 = 0x08d12e65;
    private static final int HCONST_15 = 0x454021d7;
    private static final int HCONST_17 = 0x81af1549;
    private static final int HCONST_18 = 0x1fe68f02;
    private static final int HCONST_22 = 0x98c475e6;

    /** Start value xor-ed into the salt, so that the hash differs from phash2's. */
    private static final int INTERNAL_HASH_SALT = (int) 3432918353L;

    /** Raw 64-bit {@code Eterm} of {@code []} (_TAG_IMMED2_NIL). */
    private static final long NIL_ETERM = 0x3BL;
    /** Small integers are 60-bit signed on a 64-bit emulator. */
    private static final long MAX_SMALL = (1L << 59) - 1;
    private static final long MIN_SMALL = -(1L << 59);

    /** Stack marker: hash the cons-cell CDR constant before the non-list tail. */
    private static final Object HASH_CDR = new Object();

    private static final Map<String, Integer> ATOM_INDEX = new ConcurrentHashMap<>();

    /**
     * System property with atom indices to use instead of the built-in ones, as
     * {@code name=index,name=index} (e.g. {@code aaaa=7056,cname=7061,ptr=7063,a=5170} measured
     * on the node jinet should match).
     */
    public static final String OVERRIDE_PROPERTY = "jinet.term.atomIndices";

    static {
        // erts-13.1.5 (OTP 25.2.3), 64-bit: stable on every boot.
        ATOM_INDEX.put("in", 322);
        ATOM_INDEX.put("inet", 1083);
        ATOM_INDEX.put("inet6", 1537);
        ATOM_INDEX.put("false", 0);
        ATOM_INDEX.put("true", 1);
        ATOM_INDEX.put("undefined", 14);
        // Created when kernel's inet modules load at boot, after atoms made from the command
        // line: values of a node started as `erl -sname Name` (a plain `erl -noshell` has one
        // less, escript two less; `-setcookie C` adds one, a peer:start/1 node with
        // -setcookie has 7056/7061/7063).
        ATOM_INDEX.put("aaaa", 7054);
        ATOM_INDEX.put("cname", 7059);
        ATOM_INDEX.put("ptr", 7061);
        // "a" is left out on purpose: parallel module loading at boot creates it at a
        // different index on every boot (seen 4168..6300), so no value is right.
        loadOverrides(System.getProperty(OVERRIDE_PROPERTY));
    }

    private static void loadOverrides(String spec) {
        if (spec == null || spec.isBlank()) {
            return;
        }
        for (String part : spec.split(",")) {
            int eq = part.lastIndexOf('=');
            if (eq <= 0) {
                continue;
            }
            try {
                setAtomIndex(part.substring(0, eq).trim(), Integer.parseInt(part.substring(eq + 1).trim()));
            } catch (IllegalArgumentException e) {
                // ignore a malformed entry; the built-in value stays
            }
        }
    }

    private InternalHash() {
    }

    /** {@code make_internal_hash(Term, 0)}: unsigned 32-bit value in a long. */
    public static long of(OtpErlangObject term) {
        return of(term, 0, InternalHash::atomIndex);
    }

    /** {@code make_internal_hash(Term, Salt)} with the default atom indices. */
    public static long of(OtpErlangObject term, long salt) {
        return of(term, salt, InternalHash::atomIndex);
    }

    /**
     * {@code make_internal_hash(Term, Salt)}, atoms hashed by the index {@code atomIndex}
     * gives for their text.
     */
    public static long of(OtpErlangObject term, long salt, ToIntFunction<String> atomIndex) {
        return new Hasher((int) salt, atomIndex).hash(term) & 0xFFFFFFFFL;
    }

    /**
     * The atom-table index assumed for an atom: a calibrated or built-in one, else a fixed
     * stand-in (8192 plus the atom's hashpjw value modulo 4096), which is as good a guess
     * as any for an atom whose index is not the same on every boot.
     */
    public static int atomIndex(String atom) {
        Integer ix = ATOM_INDEX.get(atom);
        if (ix != null) {
            return ix;
        }
        return 8192 + (int) (atomHvalue(atom) & 0xFFF);
    }

    /** Use {@code index} as the atom-table index of {@code atom} (e.g. from a calibration). */
    public static void setAtomIndex(String atom, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("negative atom index");
        }
        ATOM_INDEX.put(atom, index);
    }

    /**
     * The atom table's hash of the atom text ({@code atom_hash} of atom.c: hashpjw over the
     * UTF-8 bytes, two-byte Latin-1 sequences folded to one byte). ETS uses it for atom
     * keys instead of {@link #of}. Unsigned 32-bit value in a long.
     */
    public static long atomHvalue(String atom) {
        byte[] p = atom.getBytes(StandardCharsets.UTF_8);
        int h = 0;
        int len = p.length;
        int i = 0;
        while (len-- > 0) {
            int v = p[i++] & 0xFF;
            if (len > 0 && (v & 0xFE) == 0xC2 && (p[i] & 0xC0) == 0x80) {
                v = ((v << 6) | (p[i] & 0x3F)) & 0xFF;
                i++;
                len--;
            }
            h = (h << 4) + v;
            int g = h & 0xf0000000;
            if (g != 0) {
                h ^= (g >>> 24);
                h ^= g;
            }
        }
        return h & 0xFFFFFFFFL;
    }

    /** The raw 64-bit {@code Eterm} of an immediate, or null when the term is boxed/a list. */
    static Long immediate(OtpErlangObject term, ToIntFunction<String> atomIndex) {
        if (term instanceof OtpErlangAtom) {
            return ((long) atomIndex.applyAsInt(((OtpErlangAtom) term).atomValue()) << 6) | 0x0BL;
        }
        if (term instanceof OtpErlangLong) {
            OtpErlangLong l = (OtpErlangLong) term;
            if (l.isLong()) {
                long v = l.longValue();
                if (v >= MIN_SMALL && v <= MAX_SMALL) {
                    return (v << 4) | 0xFL;
                }
            }
            return null;
        }
        if (isNil(term)) {
            return NIL_ETERM;
        }
        return null;
    }

    static boolean isNil(OtpErlangObject term) {
        return (term instanceof OtpErlangList && ((OtpErlangList) term).arity() == 0)
                || (term instanceof OtpErlangString && ((OtpErlangString) term).stringValue().isEmpty());
    }

    /** One cons cell view of a non-empty list term: elements plus tail. */
    private static final class Cells {
        final OtpErlangObject[] elems;
        final OtpErlangObject tail; // [] for proper lists
        int pos;

        Cells(OtpErlangObject[] elems, OtpErlangObject tail, int pos) {
            this.elems = elems;
            this.tail = tail;
            this.pos = pos;
        }
    }

    private static Cells cellsOf(OtpErlangObject term) {
        if (term instanceof OtpErlangString) {
            int[] cps = OtpErlangString.stringToCodePoints(((OtpErlangString) term).stringValue());
            OtpErlangObject[] elems = new OtpErlangObject[cps.length];
            for (int i = 0; i < cps.length; i++) {
                elems[i] = new OtpErlangLong(cps[i]);
            }
            return new Cells(elems, new OtpErlangList(), 0);
        }
        OtpErlangList list = (OtpErlangList) term;
        OtpErlangObject tail = list.getLastTail();
        return new Cells(list.elements(), tail == null ? new OtpErlangList() : tail, 0);
    }

    private static final class Hasher {
        private final ToIntFunction<String> atomIndex;
        private int hash;

        Hasher(int salt, ToIntFunction<String> atomIndex) {
            this.atomIndex = Objects.requireNonNull(atomIndex);
            this.hash = salt ^ INTERNAL_HASH_SALT;
        }

        /** UINT32_HASH_2 on the running hash. */
        private void hash2(int x, int y, int c) {
            hash = uint32Hash2(x, y, c, hash);
        }

        private void constHash(int c) {
            hash ^= c;
            hash = Integer.rotateLeft(hash, 17);
        }

        int hash(OtpErlangObject root) {
            Long imm = immediate(root, atomIndex);
            if (imm != null) {
                hash2((int) (long) imm, (int) (imm >>> 32), HCONST);
                return hash;
            }
            ArrayDeque<Object> stack = new ArrayDeque<>();
            Object term = root;
            for (;;) {
                // term is an OtpErlangObject or a Cells (a list from some position on)
                if (term instanceof OtpErlangObject) {
                    OtpErlangObject t = (OtpErlangObject) term;
                    Long raw = immediate(t, atomIndex);
                    if (raw != null) {
                        hash2((int) (long) raw, (int) (raw >>> 32), HCONST);
                        term = null;
                    } else if (t instanceof OtpErlangList || t instanceof OtpErlangString) {
                        term = cellsOf(t);
                        continue;
                    } else if (t instanceof OtpErlangTuple) {
                        OtpErlangTuple tuple = (OtpErlangTuple) t;
                        int arity = tuple.arity();
                        hash2(arity, 0, HCONST_9);
                        if (arity == 0) {
                            term = null;
                        } else {
                            for (int i = arity - 1; i >= 1; i--) {
                                stack.push(tuple.elementAt(i));
                            }
                            term = tuple.elementAt(0);
                            continue;
                        }
                    } else if (t instanceof OtpErlangLong) {
                        bignum(((OtpErlangLong) t).bigIntegerValue());
                        term = null;
                    } else if (t instanceof OtpErlangDouble) { // OtpErlangFloat too
                        double d = ((OtpErlangDouble) t).doubleValue();
                        if (d == 0.0) {
                            d = 0.0; // -0.0 hashes as +0.0
                        }
                        long bits = Double.doubleToRawLongBits(d);
                        hash2((int) bits, (int) (bits >>> 32), HCONST_12);
                        term = null;
                    } else if (t instanceof OtpErlangBitstr) {
                        bitstr((OtpErlangBitstr) t);
                        term = null;
                    } else {
                        throw new IllegalArgumentException(
                                "no VM-independent internal hash for " + t.getClass().getSimpleName());
                    }
                } else {
                    Cells cells = (Cells) term;
                    // TAG_PRIMARY_LIST: bytes 4 at a time while the CARs are 0..255
                    int c = 0;
                    int sh = 0;
                    boolean atCons = true;
                    while (isByte(cells.elems[cells.pos])) {
                        sh = (sh << 8) + (int) ((OtpErlangLong) cells.elems[cells.pos]).longValue();
                        if (c == 3) {
                            hash2(sh, 0, HCONST_4);
                            c = 0;
                            sh = 0;
                        } else {
                            c++;
                        }
                        cells.pos++;
                        if (cells.pos == cells.elems.length) {
                            atCons = false; // CDR is the tail, not a cons
                            break;
                        }
                    }
                    if (c > 0) {
                        hash2(sh, c, HCONST_22);
                    }
                    if (!atCons) {
                        term = cells.tail;
                        continue;
                    }
                    OtpErlangObject car = cells.elems[cells.pos];
                    Object cdr;
                    if (cells.pos + 1 < cells.elems.length) {
                        cdr = new Cells(cells.elems, cells.tail, cells.pos + 1);
                    } else {
                        cdr = cells.tail;
                    }
                    constHash(HCONST_17);
                    stack.push(cdr);
                    if (!(cdr instanceof Cells) && !isNonEmptyList((OtpErlangObject) cdr)) {
                        stack.push(HASH_CDR);
                    }
                    term = car;
                    continue;
                }
                // pop_next
                for (;;) {
                    if (stack.isEmpty()) {
                        return hash;
                    }
                    Object next = stack.pop();
                    if (next == HASH_CDR) {
                        constHash(HCONST_18);
                        continue;
                    }
                    term = next;
                    break;
                }
            }
        }

        private void bignum(BigInteger v) {
            int con = v.signum() < 0 ? HCONST_10 : HCONST_11;
            BigInteger mag = v.abs();
            int bits = mag.bitLength();
            int digits = Math.max(1, (bits + 63) / 64);
            for (int i = 0; i < digits; i++) {
                long d = mag.shiftRight(64 * i).longValue();
                hash2((int) d, (int) (d >>> 32), con);
            }
        }

        private void bitstr(OtpErlangBitstr b) {
            byte[] bytes = b.binaryValue();
            int pad = b.pad_bits();
            int bitsize = pad == 0 ? 0 : 8 - pad;
            int sz = bitsize == 0 ? bytes.length : bytes.length - 1;
            int con = HCONST_13 + hash;
            if (sz == 0 && bitsize == 0) {
                hash = con;
                return;
            }
            hash = blockHash(bytes, sz, con);
            if (bitsize > 0) {
                hash2(bitsize, (bytes[sz] & 0xFF) >>> (8 - bitsize), HCONST_15);
            }
        }
    }

    private static boolean isByte(OtpErlangObject o) {
        if (o instanceof OtpErlangLong) {
            OtpErlangLong l = (OtpErlangLong) o;
            return l.isLong() && l.longValue() >= 0 && l.longValue() <= 255;
        }
        return false;
    }

    private static boolean isNonEmptyList(OtpErlangObject o) {
        return (o instanceof OtpErlangList && ((OtpErlangList) o).arity() > 0)
                || (o instanceof OtpErlangString && !((OtpErlangString) o).stringValue().isEmpty());
    }

    /** {@code block_hash} of utils.c (Jenkins lookup2 over bytes). */
    static int blockHash(byte[] k, int length, int initval) {
        int a = HCONST;
        int b = HCONST;
        int c = initval;
        int len = length;
        int o = 0;
        while (len >= 12) {
            a += (k[o] & 0xFF) + ((k[o + 1] & 0xFF) << 8) + ((k[o + 2] & 0xFF) << 16) + ((k[o + 3] & 0xFF) << 24);
            b += (k[o + 4] & 0xFF) + ((k[o + 5] & 0xFF) << 8) + ((k[o + 6] & 0xFF) << 16) + ((k[o + 7] & 0xFF) << 24);
            c += (k[o + 8] & 0xFF) + ((k[o + 9] & 0xFF) << 8) + ((k[o + 10] & 0xFF) << 16) + ((k[o + 11] & 0xFF) << 24);
            int[] abc = mix(a, b, c);
            a = abc[0];
            b = abc[1];
            c = abc[2];
            o += 12;
            len -= 12;
        }
        c += length;
        switch (len) {
            case 11: c += (k[o + 10] & 0xFF) << 24; // fall through
            case 10: c += (k[o + 9] & 0xFF) << 16; // fall through
            case 9: c += (k[o + 8] & 0xFF) << 8; // fall through
            case 8: b += (k[o + 7] & 0xFF) << 24; // fall through
            case 7: b += (k[o + 6] & 0xFF) << 16; // fall through
            case 6: b += (k[o + 5] & 0xFF) << 8; // fall through
            case 5: b += k[o + 4] & 0xFF; // fall through
            case 4: a += (k[o + 3] & 0xFF) << 24; // fall through
            case 3: a += (k[o + 2] & 0xFF) << 16; // fall through
            case 2: a += (k[o + 1] & 0xFF) << 8; // fall through
            case 1: a += k[o] & 0xFF; // fall through
            default:
                break;
        }
        return mix(a, b, c)[2];
    }

    private static int[] mix(int a, int b, int c) {
        a -= b; a -= c; a ^= (c >>> 13);
        b -= c; b -= a; b ^= (a << 8);
        c -= a; c -= b; c ^= (b >>> 13);
        a -= b; a -= c; a ^= (c >>> 12);
        b -= c; b -= a; b ^= (a << 16);
        c -= a; c -= b; c ^= (b >>> 5);
        a -= b; a -= c; a ^= (c >>> 3);
        b -= c; b -= a; b ^= (a << 10);
        c -= a; c -= b; c ^= (b >>> 15);
        return new int[] {a, b, c};
    }

    /** erts's UINT32_HASH_2: a = C + x, b = C + y, then Bob Jenkins' MIX(a, b, h); the new h. */
    static int uint32Hash2(int x, int y, int c, int h) {
        int a = c + x;
        int b = c + y;
        a -= b; a -= h; a ^= (h >>> 13);
        b -= h; b -= a; b ^= (a << 8);
        h -= a; h -= b; h ^= (b >>> 13);
        a -= b; a -= h; a ^= (h >>> 12);
        b -= h; b -= a; b ^= (a << 16);
        h -= a; h -= b; h ^= (b >>> 5);
        a -= b; a -= h; a ^= (h >>> 3);
        b -= h; b -= a; b ^= (a << 10);
        h -= a; h -= b; h ^= (b >>> 15);
        return h;
    }
}
