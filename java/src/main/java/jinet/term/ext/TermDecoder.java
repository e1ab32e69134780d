package jinet.term.ext;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBitstr;
import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangException;
import com.ericsson.otp.erlang.OtpErlangExternalFun;
import com.ericsson.otp.erlang.OtpErlangFun;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangPort;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import jinet.term.Terms;

/**
 * Reads the external term format from a byte range into the JInterface objects that
 * {@code OtpInputStream.read_any()} builds for the same bytes.
 *
 * <p>Containers are kept on an explicit stack, so nesting depth is bounded by the input size
 * only. Every count read from the input is checked against the bytes that remain before
 * anything is sized by it (each element takes at least one byte), and a compressed term may
 * not inflate beyond {@link #MAX_INFLATED} bytes, so no input can make the decoder allocate
 * much more than a small multiple of its own size.
 *
 * <p>Port numbers are the one exception: JInterface sign-extends them (see the port case),
 * this decoder does not.
 *
 * <p>Where BEAM refuses input that JInterface would accept (a version byte inside a term,
 * atoms over 255 characters or not valid UTF-8, compressed terms other than at the top,
 * duplicate map keys, trailing bytes inside a compressed term) this decoder refuses it too;
 * for everything BEAM writes, it gives what JInterface gives. Not thread safe; a connection
 * should keep one and {@link #reset} it per message, which keeps its stacks and allocates
 * nothing beyond the terms themselves.
 */
public final class TermDecoder {
    /** The largest inflated size of a compressed term that is accepted. */
    public static final int MAX_INFLATED = 256 << 20;

    private static final byte K_TUPLE = 0;
    private static final byte K_LIST = 1;
    private static final byte K_LIST_TAIL = 2;
    private static final byte K_MAP = 3;
    private static final byte K_FUN = 4;

    private static final OtpErlangList NIL = new OtpErlangList();
    private static final OtpErlangTuple EMPTY_TUPLE = new OtpErlangTuple(new OtpErlangObject[0]);


    private byte[] buf;
    private int pos;
    private int end;
    private OtpErlangAtom[] atomTable;

    // One entry per open container: its kind, where its elements start on the value stack,
    // how many it has, how many are still to come, and a fun's header.
    private byte[] kind = new byte[8];
    private int[] base = new int[8];
    private int[] size = new int[8];
    private int[] left = new int[8];
    private Object[] extra = new Object[8];
    private int depth;

    private OtpErlangObject[] values = new OtpErlangObject[16];
    private int nvalues;

    public TermDecoder(byte[] buf, int offset, int end) {
        reset(buf, offset, end);
    }

    public TermDecoder(byte[] buf) {
        this(buf, 0, buf.length);
    }

    /** Decodes another range with the same stacks; the atom table is kept. */
    public void reset(byte[] buf, int offset, int end) {
        if (offset < 0 || end < offset || end > buf.length) {
            throw new IndexOutOfBoundsException("range " + offset + ".." + end + " of " + buf.length);
        }
        this.buf = buf;
        this.pos = offset;
        this.end = end;
    }

    /**
     * The atoms ATOM_CACHE_REF indexes refer to (from a distribution header); null when the
     * terms being decoded must not contain cache references.
     */
    public void setAtomCache(OtpErlangAtom[] table) {
        this.atomTable = table;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    public void skip(int n) throws TermDecodeException {
        need(n);
        pos += n;
    }

    public int read1() throws TermDecodeException {
        if (pos >= end) {
            throw truncated();
        }
        return buf[pos++] & 0xff;
    }

    public int read2BE() throws TermDecodeException {
        need(2);
        int p = pos;
        pos = p + 2;
        return ((buf[p] & 0xff) << 8) | (buf[p + 1] & 0xff);
    }

    public int read4BE() throws TermDecodeException {
        need(4);
        int p = pos;
        pos = p + 4;
        return ((buf[p] & 0xff) << 24) | ((buf[p + 1] & 0xff) << 16) | ((buf[p + 2] & 0xff) << 8) | (buf[p + 3] & 0xff);
    }

    public long read8BE() throws TermDecodeException {
        long hi = read4BE() & 0xffffffffL;
        return (hi << 32) | (read4BE() & 0xffffffffL);
    }

    /** A version byte (131), then a term, possibly compressed. */
    public OtpErlangObject readVersionedTerm() throws TermDecodeException {
        if (read1() != Tags.VERSION) {
            throw new TermDecodeException("no version byte");
        }
        return readTerm();
    }

    /** One term with no version byte before it, as terms follow a distribution header. */
    public OtpErlangObject readTerm() throws TermDecodeException {
        if (pos < end && (buf[pos] & 0xff) == Tags.COMPRESSED) {
            pos++;
            return readCompressed();
        }
        int d0 = depth;
        int v0 = nvalues;
        try {
            return readAny();
        } catch (TermDecodeException e) {
            abandon(d0, v0);
            throw e;
        } catch (IllegalArgumentException | StackOverflowError e) {
            // JInterface's constructors refuse some values, and it hashes map keys by
            // recursion, which a deep enough key overflows; to the caller it is bad input.
            abandon(d0, v0);
            throw new TermDecodeException("term refused: " + e);
        }
    }

    private void abandon(int d0, int v0) {
        Arrays.fill(values, v0, nvalues, null);
        Arrays.fill(extra, d0, depth, null);
        nvalues = v0;
        depth = d0;
    }

    private OtpErlangObject readCompressed() throws TermDecodeException {
        long stated = read4BE() & 0xffffffffL;
        if (stated > MAX_INFLATED) {
            throw new TermDecodeException("compressed term inflates to " + stated + " bytes");
        }
        int size = (int) stated;
        // zlib cannot expand more than about 1032:1; and grow the output only as it fills,
        // so a small input announcing a large size costs little before it fails.
        if (size > 1100L * (end - pos) + 64) {
            throw new TermDecodeException("compressed term cannot inflate to " + size + " bytes");
        }
        byte[] out = new byte[Math.min(size, 1 << 16)];
        int got = 0;
        Inflater inf = new Inflater();
        try {
            inf.setInput(buf, pos, end - pos);
            for (;;) {
                if (got == out.length) {
                    if (got == size) {
                        break;
                    }
                    out = Arrays.copyOf(out, (int) Math.min(size, 2L * out.length));
                }
                int n = inf.inflate(out, got, out.length - got);
                got += n;
                if (n == 0 && (inf.finished() || inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
            }
            // The stream must end exactly there: not short, not longer, not cut off before
            // its checksum (which the inflater only reads on a further call).
            if (got == size && !inf.finished() && inf.inflate(new byte[1]) != 0) {
                got++;
            }
            if (got != size || !inf.finished()) {
                throw new TermDecodeException("compressed term does not inflate to its stated " + size + " bytes");
            }
            pos = end - inf.getRemaining();
        } catch (DataFormatException e) {
            throw new TermDecodeException("compressed term is not zlib data");
        } finally {
            inf.end();
        }
        return decodeInflated(out);
    }

    private OtpErlangObject decodeInflated(byte[] out) throws TermDecodeException {
        TermDecoder inner = new TermDecoder(out, 0, out.length);
        inner.atomTable = atomTable;
        if (out.length > 0 && (out[0] & 0xff) == Tags.COMPRESSED) {
            throw new TermDecodeException("compressed term inside a compressed term");
        }
        OtpErlangObject t = inner.readTerm();
        if (inner.remaining() != 0) {
            throw new TermDecodeException("bytes after the term inside a compressed term");
        }
        return t;
    }

    private void need(int n) throws TermDecodeException {
        if (n < 0 || n > end - pos) {
            throw truncated();
        }
    }

    private static TermDecodeException truncated() {
        return new TermDecodeException("term truncated");
    }

    private int u8() throws TermDecodeException {
        if (pos >= end) {
            throw truncated();
        }
        return buf[pos++] & 0xff;
    }

    /** A count of things that each take at least {@code unit} bytes of what remains. */
    private int count(long n, int unit, int reserve) throws TermDecodeException {
        if (n < 0 || n * unit + reserve > end - pos) {
            throw new TermDecodeException("length " + n + " exceeds the " + (end - pos) + " bytes left");
        }
        return (int) n;
    }

    private void openFrame(byte k, int n, Object x) {
        if (depth == kind.length) {
            int c = depth * 2;
            kind = Arrays.copyOf(kind, c);
            base = Arrays.copyOf(base, c);
            size = Arrays.copyOf(size, c);
            left = Arrays.copyOf(left, c);
            extra = Arrays.copyOf(extra, c);
        }
        kind[depth] = k;
        base[depth] = nvalues;
        size[depth] = n;
        left[depth] = n;
        extra[depth] = x;
        depth++;
    }

    private void pushValue(OtpErlangObject v) {
        if (nvalues == values.length) {
            values = Arrays.copyOf(values, nvalues * 2);
        }
        values[nvalues++] = v;
    }

    private OtpErlangObject readAny() throws TermDecodeException {
        final int floor = depth;
        OtpErlangObject v;
        for (;;) {
            int tag = u8();
            switch (tag) {
                case Tags.SMALL_INTEGER:
                    v = Terms.integer(u8());
                    break;
                case Tags.INTEGER:
                    v = new OtpErlangLong(read4BE());
                    break;
                case Tags.SMALL_BIG:
                case Tags.LARGE_BIG:
                    v = readBig(tag);
                    break;
                case Tags.ATOM:
                case Tags.SMALL_ATOM:
                case Tags.ATOM_UTF8:
                case Tags.SMALL_ATOM_UTF8:
                case Tags.ATOM_CACHE_REF:
                    v = atomAfterTag(tag);
                    break;
                case Tags.NEW_FLOAT:
                    v = new OtpErlangDouble(Double.longBitsToDouble(read8BE()));
                    break;
                case Tags.FLOAT:
                    v = new OtpErlangDouble(oldFloat());
                    break;
                case Tags.SMALL_TUPLE:
                case Tags.LARGE_TUPLE: {
                    int n = tag == Tags.SMALL_TUPLE ? u8() : count(read4BE() & 0xffffffffL, 1, 0);
                    if (n == 0) {
                        v = EMPTY_TUPLE;
                        break;
                    }
                    count(n, 1, 0);
                    openFrame(K_TUPLE, n, null);
                    continue;
                }
                case Tags.NIL:
                    v = NIL;
                    break;
                case Tags.STRING: {
                    int n = read2BE();
                    need(n);
                    v = new OtpErlangString(new String(buf, pos, n, StandardCharsets.ISO_8859_1));
                    pos += n;
                    break;
                }
                case Tags.LIST: {
                    int n = count(read4BE() & 0xffffffffL, 1, 1);
                    if (n == 0) {
                        // As BEAM reads it: no elements, so the term is its tail.
                        continue;
                    }
                    openFrame(K_LIST, n, null);
                    continue;
                }
                case Tags.MAP: {
                    int n = count(read4BE() & 0xffffffffL, 2, 0);
                    if (n == 0) {
                        v = new OtpErlangMap();
                        break;
                    }
                    openFrame(K_MAP, 2 * n, null);
                    continue;
                }
                case Tags.BINARY: {
                    int n = count(read4BE() & 0xffffffffL, 1, 0);
                    v = Internals.binary(Arrays.copyOfRange(buf, pos, pos + n));
                    pos += n;
                    break;
                }
                case Tags.BIT_BINARY: {
                    int n = count(read4BE() & 0xffffffffL, 1, 1);
                    int bits = u8();
                    if (bits < 1 || bits > 7 || n == 0) {
                        throw new TermDecodeException("bad bit count " + bits + " in a bitstring of " + n + " bytes");
                    }
                    v = new OtpErlangBitstr(Arrays.copyOfRange(buf, pos, pos + n), 8 - bits);
                    pos += n;
                    break;
                }
                case Tags.PID:
                case Tags.NEW_PID:
                    v = pidAfterTag(tag);
                    break;
                case Tags.PORT:
                case Tags.NEW_PORT:
                case Tags.V4_PORT: {
                    String node = readAtom().atomValue();
                    // JInterface reads these numbers sign-extended (and V4's low word too, in
                    // read8BE): a port BEAM numbers 0xFFFFFFFF would come out as -1, which is
                    // not the port BEAM meant. Unsigned here.
                    if (tag == Tags.V4_PORT) {
                        long id = read8BE();
                        v = new OtpErlangPort(tag, node, id, read4BE());
                    } else if (tag == Tags.NEW_PORT) {
                        long id = read4BE() & 0xffffffffL;
                        v = new OtpErlangPort(tag, node, id, read4BE());
                    } else {
                        long id = read4BE();
                        v = new OtpErlangPort(tag, node, id, u8());
                    }
                    break;
                }
                case Tags.REFERENCE: {
                    String node = readAtom().atomValue();
                    int id = read4BE();
                    v = new OtpErlangRef(node, id, u8());
                    break;
                }
                case Tags.NEW_REFERENCE:
                case Tags.NEWER_REFERENCE: {
                    int n = read2BE();
                    if (n < 1 || n > 5) {
                        throw new TermDecodeException("reference of " + n + " words");
                    }
                    String node = readAtom().atomValue();
                    int creation = tag == Tags.NEW_REFERENCE ? u8() : read4BE();
                    int[] ids = new int[n];
                    for (int i = 0; i < n; i++) {
                        ids[i] = read4BE();
                    }
                    v = new OtpErlangRef(tag, node, ids, creation);
                    break;
                }
                case Tags.EXPORT: {
                    String module = readAtom().atomValue();
                    String function = readAtom().atomValue();
                    v = new OtpErlangExternalFun(module, function, (int) readLong());
                    break;
                }
                case Tags.NEW_FUN: {
                    FunHead h = new FunHead();
                    need(4 + 1 + 16 + 4 + 4);
                    pos += 4; // total size, which JInterface ignores too
                    h.arity = u8();
                    h.md5 = Arrays.copyOfRange(buf, pos, pos + 16);
                    pos += 16;
                    h.index = read4BE();
                    int nfree = count(read4BE() & 0xffffffffL, 1, 0);
                    h.module = readAtom().atomValue();
                    h.oldIndex = readLong();
                    h.uniq = readLong();
                    h.pid = readPid();
                    if (nfree == 0) {
                        v = h.build(NO_TERMS);
                        break;
                    }
                    count(nfree, 1, 0);
                    openFrame(K_FUN, nfree, h);
                    continue;
                }
                case Tags.FUN: {
                    FunHead h = new FunHead();
                    h.arity = -1;
                    int nfree = count(read4BE() & 0xffffffffL, 1, 0);
                    h.pid = readPid();
                    h.module = readAtom().atomValue();
                    h.index = readLong();
                    h.uniq = readLong();
                    if (nfree == 0) {
                        v = h.build(NO_TERMS);
                        break;
                    }
                    count(nfree, 1, 0);
                    openFrame(K_FUN, nfree, h);
                    continue;
                }
                case Tags.VERSION:
                    throw new TermDecodeException("version byte inside a term");
                case Tags.COMPRESSED:
                    throw new TermDecodeException("compressed term inside a term");
                default:
                    throw new TermDecodeException("unknown tag " + tag);
            }

            // v is complete: hand it to the containers it closes.
            for (;;) {
                if (depth == floor) {
                    return v;
                }
                int d = depth - 1;
                pushValue(v);
                if (--left[d] > 0) {
                    break;
                }
                v = close(d);
                if (v == null) {
                    break;
                }
            }
        }
    }

    private static final OtpErlangObject[] NO_TERMS = new OtpErlangObject[0];

    /** Builds the container at {@code d} from its values, or returns null if a list now wants its tail. */
    private OtpErlangObject close(int d) throws TermDecodeException {
        int b = base[d];
        int n = size[d];
        OtpErlangObject v;
        switch (kind[d]) {
            case K_TUPLE:
                v = new OtpErlangTuple(values, b, n);
                break;
            case K_LIST:
                if (pos < end && (buf[pos] & 0xff) == Tags.NIL) {
                    pos++;
                    v = new OtpErlangList(values, b, n);
                    break;
                }
                kind[d] = K_LIST_TAIL;
                left[d] = 1;
                return null;
            case K_LIST_TAIL: {
                OtpErlangObject tail = values[b + n];
                try {
                    v = new OtpErlangList(Arrays.copyOfRange(values, b, b + n), tail);
                } catch (OtpErlangException e) {
                    throw new TermDecodeException("bad list tail");
                }
                n++;
                break;
            }
            case K_MAP: {
                int pairs = n / 2;
                OtpErlangObject[] ks = new OtpErlangObject[pairs];
                OtpErlangObject[] vs = new OtpErlangObject[pairs];
                for (int i = 0; i < pairs; i++) {
                    ks[i] = values[b + 2 * i];
                    vs[i] = values[b + 2 * i + 1];
                }
                OtpErlangMap m = new OtpErlangMap(ks, vs);
                if (m.arity() != pairs) {
                    throw new TermDecodeException("map with a repeated key");
                }
                v = m;
                break;
            }
            default: {
                FunHead h = (FunHead) extra[d];
                extra[d] = null;
                v = h.build(Arrays.copyOfRange(values, b, b + n));
                break;
            }
        }
        Arrays.fill(values, b, b + n, null);
        nvalues = b;
        depth = d;
        return v;
    }

    private static final class FunHead {
        OtpErlangPid pid;
        String module;
        int arity;
        byte[] md5;
        long index;
        long oldIndex;
        long uniq;

        OtpErlangFun build(OtpErlangObject[] free) {
            if (arity == -1) {
                return new OtpErlangFun(pid, module, index, uniq, free);
            }
            return new OtpErlangFun(pid, module, arity, md5, (int) index, oldIndex, uniq, free);
        }
    }

    private OtpErlangAtom readAtom() throws TermDecodeException {
        return atomAfterTag(u8());
    }

    private OtpErlangAtom atomAfterTag(int tag) throws TermDecodeException {
        int n;
        boolean latin1;
        switch (tag) {
            case Tags.SMALL_ATOM_UTF8:
                n = u8();
                latin1 = false;
                break;
            case Tags.ATOM_UTF8:
                n = read2BE();
                latin1 = false;
                break;
            case Tags.ATOM:
                n = read2BE();
                latin1 = true;
                break;
            case Tags.SMALL_ATOM:
                n = u8();
                latin1 = true;
                break;
            case Tags.ATOM_CACHE_REF: {
                int i = u8();
                OtpErlangAtom[] t = atomTable;
                if (t == null || i >= t.length || t[i] == null) {
                    throw new TermDecodeException("atom cache reference " + i + " not in the table");
                }
                return t[i];
            }
            default:
                throw new TermDecodeException("expected an atom, got tag " + tag);
        }
        need(n);
        OtpErlangAtom a = InternedAtoms.get(buf, pos, n, latin1);
        pos += n;
        return a;
    }

    private OtpErlangPid readPid() throws TermDecodeException {
        int tag = u8();
        if (tag != Tags.PID && tag != Tags.NEW_PID) {
            throw new TermDecodeException("expected a pid, got tag " + tag);
        }
        return pidAfterTag(tag);
    }

    private OtpErlangPid pidAfterTag(int tag) throws TermDecodeException {
        String node = readAtom().atomValue();
        int id = read4BE();
        int serial = read4BE();
        if (tag == Tags.PID) {
            // JInterface keeps only the bits the old format defines.
            return new OtpErlangPid(node, id & 0x7fff, serial & 0x1fff, u8() & 0x3);
        }
        return new OtpErlangPid(node, id, serial, read4BE());
    }

    /** An integer term that must fit a long, where JInterface uses read_long. */
    private long readLong() throws TermDecodeException {
        int tag = u8();
        switch (tag) {
            case Tags.SMALL_INTEGER:
                return u8();
            case Tags.INTEGER:
                return read4BE();
            case Tags.SMALL_BIG:
            case Tags.LARGE_BIG: {
                OtpErlangLong l = readBig(tag);
                if (!l.isLong()) {
                    throw new TermDecodeException("integer does not fit 64 bits");
                }
                return l.longValue();
            }
            default:
                throw new TermDecodeException("expected an integer, got tag " + tag);
        }
    }

    private OtpErlangLong readBig(int tag) throws TermDecodeException {
        int n = tag == Tags.SMALL_BIG ? u8() : count(read4BE() & 0xffffffffL, 1, 1);
        int sign = u8();
        need(n);
        int p = pos;
        pos += n;
        int top = n;
        while (top > 0 && buf[p + top - 1] == 0) {
            top--;
        }
        if (top <= 8) {
            long mag = 0;
            for (int i = top - 1; i >= 0; i--) {
                mag = (mag << 8) | (buf[p + i] & 0xff);
            }
            if (sign == 0) {
                if (mag >= 0) {
                    return new OtpErlangLong(mag);
                }
            } else if (mag >= 0 || mag == Long.MIN_VALUE) {
                return new OtpErlangLong(-mag);
            }
        }
        byte[] be = new byte[top];
        for (int i = 0; i < top; i++) {
            be[i] = buf[p + top - 1 - i];
        }
        return new OtpErlangLong(new BigInteger(sign == 0 ? 1 : -1, be));
    }

    /** FLOAT_EXT: 31 bytes of C-printed text, parsed the way JInterface parses it. */
    private double oldFloat() throws TermDecodeException {
        need(31);
        String str = new String(buf, pos, 31, StandardCharsets.ISO_8859_1);
        pos += 31;
        int epos = str.indexOf('e');
        if (epos < 0) {
            throw new TermDecodeException("bad float text");
        }
        try {
            String estr = str.substring(epos + 1).trim();
            if (estr.startsWith("+")) {
                estr = estr.substring(1);
            }
            int exp = Integer.parseInt(estr);
            return new BigDecimal(str.substring(0, epos)).movePointRight(exp).doubleValue();
        } catch (RuntimeException e) {
            throw new TermDecodeException("bad float text");
        }
    }
}
