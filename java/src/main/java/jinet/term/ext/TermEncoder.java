package jinet.term.ext;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBitstr;
import com.ericsson.otp.erlang.OtpErlangDouble;
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
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes JInterface terms in the external term format into a growable byte array, byte for
 * byte as OTP 25 writes them on a distribution connection (and as {@code term_to_binary(T,
 * [{minor_version, 2}])} does): UTF-8 atoms, the smallest integer form, NEW_FLOAT, NEW_PID,
 * NEWER_REFERENCE, NEW_PORT (V4_PORT when the number needs more than 28 bits), STRING_EXT for
 * a proper list of at most 65535 integers in 0..255 (an OtpErlangString or an OtpErlangList),
 * maps in the order the OtpErlangMap iterates them.
 *
 * <p>Containers are walked with an explicit stack, so any depth encodes. A list whose tail is
 * itself a list (or a string) is written as the one flat list it is in Erlang. Not thread safe;
 * reuse it with {@link #reset}.
 */
public final class TermEncoder {
    private static final byte F_TUPLE = 0;
    private static final byte F_LIST = 1;
    private static final byte F_ARRAY = 2;

    private byte[] buf;
    private int len;
    private OutgoingAtomCache atomCache;

    private byte[] kind = new byte[16];
    private Object[] cont = new Object[16];
    private int[] index = new int[16];
    private int[] patch = new int[16];
    private int depth;

    public TermEncoder() {
        this(256);
    }

    public TermEncoder(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /** The backing array; bytes 0 until {@link #length()} are the output. */
    public byte[] array() {
        return buf;
    }

    public int length() {
        return len;
    }

    /** Empties the output; the atom cache is no longer used. */
    public void reset() {
        len = 0;
        atomCache = null;
    }

    /** The cache atoms are now written through, or null. */
    public OutgoingAtomCache atomCache() {
        return atomCache;
    }

    /**
     * Atoms from here on are written as references into {@code cache} where it takes them (a
     * distribution header's atom cache); null writes them in full.
     */
    public void useAtomCache(OutgoingAtomCache cache) {
        atomCache = cache;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            long want = Math.max((long) buf.length * 2, (long) len + n);
            if (want > Integer.MAX_VALUE - 16) {
                if ((long) len + n > Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException("encoded term exceeds 2 GiB");
                }
                want = Integer.MAX_VALUE - 16;
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    public void write1(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    public void write2BE(int v) {
        ensure(2);
        buf[len] = (byte) (v >>> 8);
        buf[len + 1] = (byte) v;
        len += 2;
    }

    public void write4BE(int v) {
        ensure(4);
        put4(len, v);
        len += 4;
    }

    public void write8BE(long v) {
        ensure(8);
        put4(len, (int) (v >>> 32));
        put4(len + 4, (int) v);
        len += 8;
    }

    public void writeBytes(byte[] b) {
        writeBytes(b, 0, b.length);
    }

    public void writeBytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    /** Overwrites four bytes already written, e.g. a length reserved before the term. */
    public void poke4BE(int at, int v) {
        if (at < 0 || at + 4 > len) {
            throw new IndexOutOfBoundsException("poke at " + at + " of " + len);
        }
        put4(at, v);
    }

    private void put4(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    /** 131, then the term, as term_to_binary gives it. */
    public void writeVersionedTerm(OtpErlangObject t) {
        write1(Tags.VERSION);
        writeTerm(t);
    }

    /** The term without a version byte, as terms follow a distribution header. */
    public void writeTerm(OtpErlangObject t) {
        int floor = depth;
        try {
            OtpErlangObject next = t;
            while (next != null) {
                one(next);
                next = following(floor);
            }
        } finally {
            if (depth != floor) {
                Arrays.fill(cont, floor, depth, null);
                depth = floor;
            }
        }
    }

    private void push(byte k, Object c, int patchAt) {
        if (depth == kind.length) {
            int n = depth * 2;
            kind = Arrays.copyOf(kind, n);
            cont = Arrays.copyOf(cont, n);
            index = Arrays.copyOf(index, n);
            patch = Arrays.copyOf(patch, n);
        }
        kind[depth] = k;
        cont[depth] = c;
        index[depth] = 0;
        patch[depth] = patchAt;
        depth++;
    }

    private void pop() {
        depth--;
        cont[depth] = null;
        if (patch[depth] >= 0) {
            // NEW_FUN_EXT's size counts from its own first byte to the end of the free variables.
            put4(patch[depth], len - patch[depth]);
        }
    }

    /** The next term the open containers want, closing those that are done; null when none. */
    private OtpErlangObject following(int floor) {
        while (depth > floor) {
            int d = depth - 1;
            Object c = cont[d];
            switch (kind[d]) {
                case F_TUPLE: {
                    OtpErlangTuple tu = (OtpErlangTuple) c;
                    if (index[d] < tu.arity()) {
                        return tu.elementAt(index[d]++);
                    }
                    pop();
                    break;
                }
                case F_LIST: {
                    OtpErlangList l = (OtpErlangList) c;
                    if (index[d] < l.arity()) {
                        return l.elementAt(index[d]++);
                    }
                    OtpErlangObject tail = l.getLastTail();
                    if (tail instanceof OtpErlangList && ((OtpErlangList) tail).arity() > 0) {
                        cont[d] = tail;
                        index[d] = 0;
                        break;
                    }
                    pop();
                    if (tail == null || tail instanceof OtpErlangList) {
                        write1(Tags.NIL);
                    } else if (tail instanceof OtpErlangString) {
                        String s = ((OtpErlangString) tail).stringValue();
                        for (int i = 0; i < s.length(); ) {
                            int cp = s.codePointAt(i);
                            writeLong(cp);
                            i += Character.charCount(cp);
                        }
                        write1(Tags.NIL);
                    } else {
                        return tail;
                    }
                    break;
                }
                default: {
                    Object[] a = (Object[]) c;
                    if (index[d] < a.length) {
                        return (OtpErlangObject) a[index[d]++];
                    }
                    pop();
                    break;
                }
            }
        }
        return null;
    }

    /** Writes a scalar whole, or a container's header (opening a frame for its elements). */
    private void one(OtpErlangObject t) {
        if (t instanceof OtpErlangAtom) {
            writeAtom(((OtpErlangAtom) t).atomValue());
        } else if (t instanceof OtpErlangLong) {
            OtpErlangLong l = (OtpErlangLong) t;
            if (l.isLong()) {
                writeLong(l.longValue());
            } else {
                writeBig(l.bigIntegerValue());
            }
        } else if (t instanceof OtpErlangTuple) {
            OtpErlangTuple tu = (OtpErlangTuple) t;
            int n = tu.arity();
            writeTupleHeader(n);
            if (n > 0) {
                push(F_TUPLE, tu, -1);
            }
        } else if (t instanceof OtpErlangList) {
            listHeader((OtpErlangList) t);
        } else if (t instanceof OtpErlangString) {
            writeString(((OtpErlangString) t).stringValue());
        } else if (t instanceof OtpErlangBitstr) {
            OtpErlangBitstr b = (OtpErlangBitstr) t;
            byte[] bytes = b.binaryValue();
            int pad = b.pad_bits();
            if (pad == 0) {
                write1(Tags.BINARY);
                write4BE(bytes.length);
            } else {
                write1(Tags.BIT_BINARY);
                write4BE(bytes.length);
                write1(8 - pad);
            }
            writeBytes(bytes);
        } else if (t instanceof OtpErlangPid) {
            writePid((OtpErlangPid) t);
        } else if (t instanceof OtpErlangRef) {
            writeRef((OtpErlangRef) t);
        } else if (t instanceof OtpErlangMap) {
            OtpErlangMap m = (OtpErlangMap) t;
            int n = m.arity();
            write1(Tags.MAP);
            write4BE(n);
            if (n > 0) {
                Object[] kv = new Object[2 * n];
                int i = 0;
                for (Map.Entry<OtpErlangObject, OtpErlangObject> e : m.entrySet()) {
                    kv[i++] = e.getKey();
                    kv[i++] = e.getValue();
                }
                push(F_ARRAY, kv, -1);
            }
        } else if (t instanceof OtpErlangDouble) {
            ensure(9);
            buf[len++] = (byte) Tags.NEW_FLOAT;
            write8BE(Double.doubleToRawLongBits(((OtpErlangDouble) t).doubleValue()));
        } else if (t instanceof OtpErlangPort) {
            OtpErlangPort p = (OtpErlangPort) t;
            long id = p.id();
            // OTP 25 writes NEW_PORT up to the 28 bits a port number had before OTP 24.
            if (id >= 0 && id <= 0x0fffffffL) {
                write1(Tags.NEW_PORT);
                writeAtom(p.node());
                write4BE((int) id);
            } else {
                write1(Tags.V4_PORT);
                writeAtom(p.node());
                write8BE(id);
            }
            write4BE(p.creation());
        } else if (t instanceof OtpErlangExternalFun) {
            OtpErlangExternalFun f = (OtpErlangExternalFun) t;
            write1(Tags.EXPORT);
            writeAtom(f.module);
            writeAtom(f.function);
            writeLong(f.arity);
        } else if (t instanceof OtpErlangFun) {
            writeFun((OtpErlangFun) t);
        } else if (t == null) {
            throw new IllegalArgumentException("null term");
        } else {
            throw new IllegalArgumentException("cannot encode " + t.getClass().getName());
        }
    }

    /*
     * Typed writes, for messages whose shape is known (the distribution's control messages): the
     * same bytes writeTerm gives, without a tuple made to be taken apart again.
     */

    /** A tuple's header; its {@code arity} elements are to follow. */
    public void writeTupleHeader(int arity) {
        if (arity <= 255) {
            ensure(2);
            buf[len++] = (byte) Tags.SMALL_TUPLE;
            buf[len++] = (byte) arity;
        } else {
            write1(Tags.LARGE_TUPLE);
            write4BE(arity);
        }
    }

    public void writeInteger(long v) {
        writeLong(v);
    }

    public void writeRef(OtpErlangRef r) {
        int[] ids = r.ids();
        write1(Tags.NEWER_REFERENCE);
        write2BE(ids.length);
        writeAtom(r.node());
        write4BE(r.creation());
        ensure(4 * ids.length);
        for (int id : ids) {
            put4(len, id);
            len += 4;
        }
    }

    public void writePid(OtpErlangPid p) {
        write1(Tags.NEW_PID);
        writeAtom(p.node());
        ensure(12);
        put4(len, p.id());
        put4(len + 4, p.serial());
        put4(len + 8, p.creation());
        len += 12;
    }

    private void writeFun(OtpErlangFun f) {
        if (Internals.FUN_PID == null) {
            throw new IllegalArgumentException("cannot read the fields of OtpErlangFun");
        }
        OtpErlangPid pid = (OtpErlangPid) Internals.FUN_PID.get(f);
        String module = (String) Internals.FUN_MODULE.get(f);
        long idx = (long) Internals.FUN_INDEX.get(f);
        long uniq = (long) Internals.FUN_UNIQ.get(f);
        OtpErlangObject[] free = (OtpErlangObject[]) Internals.FUN_FREE_VARS.get(f);
        int arity = (int) Internals.FUN_ARITY.get(f);
        int sizeAt = -1;
        if (arity == -1) {
            // JInterface's mark of a fun read from the pre-R8 FUN_EXT.
            write1(Tags.FUN);
            write4BE(free.length);
            writePid(pid);
            writeAtom(module);
            writeLong(idx);
            writeLong(uniq);
        } else {
            write1(Tags.NEW_FUN);
            sizeAt = len;
            write4BE(0);
            write1(arity);
            byte[] md5 = (byte[]) Internals.FUN_MD5.get(f);
            writeBytes(md5, 0, 16);
            write4BE((int) idx);
            write4BE(free.length);
            writeAtom(module);
            writeLong((long) Internals.FUN_OLD_INDEX.get(f));
            writeLong(uniq);
            writePid(pid);
        }
        if (free.length > 0) {
            push(F_ARRAY, free, sizeAt);
        } else if (sizeAt >= 0) {
            put4(sizeAt, len - sizeAt);
        }
    }

    private static boolean isByte(OtpErlangObject o) {
        if (o instanceof OtpErlangLong) {
            OtpErlangLong l = (OtpErlangLong) o;
            if (l.isLong()) {
                long v = l.longValue();
                return v >= 0 && v <= 255;
            }
        }
        return false;
    }

    /**
     * A list's header, counting the elements of any list or string in its tail as its own, or
     * the whole list as STRING_EXT when BEAM would write it so.
     */
    private void listHeader(OtpErlangList l) {
        long total = 0;
        boolean bytes = true;
        boolean proper;
        OtpErlangObject seg = l;
        for (;;) {
            if (seg instanceof OtpErlangList) {
                OtpErlangList sl = (OtpErlangList) seg;
                int n = sl.arity();
                total += n;
                for (int i = 0; bytes && i < n; i++) {
                    bytes = isByte(sl.elementAt(i));
                }
                OtpErlangObject tail = sl.getLastTail();
                if (tail == null) {
                    proper = true;
                    break;
                }
                seg = tail;
            } else if (seg instanceof OtpErlangString) {
                String s = ((OtpErlangString) seg).stringValue();
                for (int i = 0; i < s.length(); ) {
                    int cp = s.codePointAt(i);
                    bytes &= cp <= 255;
                    total++;
                    i += Character.charCount(cp);
                }
                proper = true;
                break;
            } else {
                proper = false;
                break;
            }
        }
        if (total == 0) {
            // An empty list cannot have a tail in JInterface; [] ++ "" is [] too.
            write1(Tags.NIL);
            return;
        }
        if (proper && bytes && total <= 65535) {
            write1(Tags.STRING);
            write2BE((int) total);
            ensure((int) total);
            for (seg = l; seg instanceof OtpErlangList; seg = ((OtpErlangList) seg).getLastTail()) {
                OtpErlangList sl = (OtpErlangList) seg;
                for (int i = 0, n = sl.arity(); i < n; i++) {
                    buf[len++] = (byte) ((OtpErlangLong) sl.elementAt(i)).longValue();
                }
            }
            if (seg instanceof OtpErlangString) {
                String s = ((OtpErlangString) seg).stringValue();
                for (int i = 0; i < s.length(); i++) {
                    buf[len++] = (byte) s.charAt(i);
                }
            }
            return;
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("list too long");
        }
        write1(Tags.LIST);
        write4BE((int) total);
        push(F_LIST, l, -1);
    }

    private void writeString(String s) {
        int n = s.length();
        if (n == 0) {
            write1(Tags.NIL);
            return;
        }
        boolean bytes = n <= 65535;
        for (int i = 0; bytes && i < n; i++) {
            bytes = s.charAt(i) <= 255;
        }
        if (bytes) {
            ensure(3 + n);
            buf[len++] = (byte) Tags.STRING;
            buf[len++] = (byte) (n >>> 8);
            buf[len++] = (byte) n;
            for (int i = 0; i < n; i++) {
                buf[len++] = (byte) s.charAt(i);
            }
            return;
        }
        write1(Tags.LIST);
        write4BE(s.codePointCount(0, n));
        for (int i = 0; i < n; ) {
            int cp = s.codePointAt(i);
            writeLong(cp);
            i += Character.charCount(cp);
        }
        write1(Tags.NIL);
    }

    /**
     * SMALL_ATOM_UTF8, or ATOM_UTF8 past 255 bytes of UTF-8; an ATOM_CACHE_REF instead while a
     * connection's atom cache is in use and takes the atom.
     */
    private void writeAtom(String s) {
        OutgoingAtomCache cache = atomCache;
        if (cache != null) {
            int ref = cache.ref(s);
            if (ref >= 0) {
                ensure(2);
                buf[len++] = (byte) Tags.ATOM_CACHE_REF;
                buf[len++] = (byte) ref;
                return;
            }
        }
        byte[] known = AtomBytes.get(s);
        if (known != null) {
            writeBytes(known);
            return;
        }
        int from = len;
        encodeAtom(s);
        AtomBytes.put(s, buf, from, len - from);
    }

    private void encodeAtom(String s) {
        int utf8 = utf8Length(s);
        ensure(3 + utf8);
        if (utf8 <= 255) {
            buf[len++] = (byte) Tags.SMALL_ATOM_UTF8;
            buf[len++] = (byte) utf8;
        } else {
            buf[len++] = (byte) Tags.ATOM_UTF8;
            buf[len++] = (byte) (utf8 >>> 8);
            buf[len++] = (byte) utf8;
        }
        len += writeUtf8(s, buf, len);
    }

    /** The bytes of {@code s} in UTF-8 (a lone surrogate as three, as it is written). */
    static int utf8Length(String s) {
        int n = s.length();
        int utf8 = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                utf8++;
            } else if (c < 0x800) {
                utf8 += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                utf8 += 4;
                i++;
            } else {
                utf8 += 3;
            }
        }
        return utf8;
    }

    /** Writes {@code s} in UTF-8 at {@code at}, which must have room; returns the bytes written. */
    static int writeUtf8(String s, byte[] out, int at) {
        int start = at;
        int n = s.length();
        for (int i = 0; i < n; ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                out[at++] = (byte) cp;
            } else if (cp < 0x800) {
                out[at++] = (byte) (0xc0 | (cp >>> 6));
                out[at++] = (byte) (0x80 | (cp & 0x3f));
            } else if (cp < 0x10000) {
                out[at++] = (byte) (0xe0 | (cp >>> 12));
                out[at++] = (byte) (0x80 | ((cp >>> 6) & 0x3f));
                out[at++] = (byte) (0x80 | (cp & 0x3f));
            } else {
                out[at++] = (byte) (0xf0 | (cp >>> 18));
                out[at++] = (byte) (0x80 | ((cp >>> 12) & 0x3f));
                out[at++] = (byte) (0x80 | ((cp >>> 6) & 0x3f));
                out[at++] = (byte) (0x80 | (cp & 0x3f));
            }
        }
        return at - start;
    }

    private void writeLong(long v) {
        if (v >= 0 && v <= 255) {
            ensure(2);
            buf[len++] = (byte) Tags.SMALL_INTEGER;
            buf[len++] = (byte) v;
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            ensure(5);
            buf[len++] = (byte) Tags.INTEGER;
            put4(len, (int) v);
            len += 4;
        } else {
            long mag = v < 0 ? -v : v; // Long.MIN_VALUE stays 2^63 read unsigned
            int n = (64 - Long.numberOfLeadingZeros(mag) + 7) / 8;
            ensure(3 + n);
            buf[len++] = (byte) Tags.SMALL_BIG;
            buf[len++] = (byte) n;
            buf[len++] = (byte) (v < 0 ? 1 : 0);
            for (int i = 0; i < n; i++) {
                buf[len++] = (byte) (mag >>> (8 * i));
            }
        }
    }

    private void writeBig(BigInteger v) {
        if (v.bitLength() < 64) {
            writeLong(v.longValue());
            return;
        }
        byte[] be = v.abs().toByteArray();
        int skip = be[0] == 0 ? 1 : 0;
        int n = be.length - skip;
        if (n <= 255) {
            ensure(3 + n);
            buf[len++] = (byte) Tags.SMALL_BIG;
            buf[len++] = (byte) n;
        } else {
            ensure(6 + n);
            buf[len++] = (byte) Tags.LARGE_BIG;
            put4(len, n);
            len += 4;
        }
        buf[len++] = (byte) (v.signum() < 0 ? 1 : 0);
        for (int i = be.length - 1; i >= skip; i--) {
            buf[len++] = be[i];
        }
    }
}
