package jinet.inet.dns;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes DNS messages byte by byte, good or bad, for the decode corpus. */
final class Wire {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int rdataLengthAt = -1;

    static Wire header(int id, int flags, int qd, int an, int ns, int ar) {
        return new Wire().u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
    }

    /** Header flags: QR, opcode, AA, TC, RD, RA, PR, the two Z bits, rcode. */
    static int flags(boolean qr, int opcode, boolean aa, boolean tc, boolean rd, boolean ra, boolean pr, int z,
                     int rcode) {
        return (qr ? 0x8000 : 0) | (opcode & 0xF) << 11 | (aa ? 0x400 : 0) | (tc ? 0x200 : 0) | (rd ? 0x100 : 0)
                | (ra ? 0x80 : 0) | (pr ? 0x40 : 0) | (z & 3) << 4 | (rcode & 0xF);
    }

    static final int RESPONSE = flags(true, 0, false, false, true, true, false, 0, 0);
    static final int TRUNCATED = flags(true, 0, false, true, true, true, false, 0, 0);

    int position() {
        return out.size();
    }

    Wire u8(int b) {
        out.write(b);
        return this;
    }

    Wire u16(int v) {
        return u8(v >> 8 & 0xFF).u8(v & 0xFF);
    }

    Wire u32(long v) {
        return u16((int) (v >> 16) & 0xFFFF).u16((int) v & 0xFFFF);
    }

    Wire bytes(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    Wire bytes(int... bytes) {
        for (int b : bytes) {
            u8(b);
        }
        return this;
    }

    /** One label with the given chars as bytes (each char 0..255), no terminator. */
    Wire label(String chars) {
        return u8(chars.length()).bytes(chars.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Labels, then the root label. */
    Wire labels(String... labels) {
        for (String l : labels) {
            label(l);
        }
        return u8(0);
    }

    /** A plain name split at its dots ("" or "." is the root). */
    Wire name(String dotted) {
        if (!dotted.isEmpty() && !dotted.equals(".")) {
            for (String l : dotted.split("\\.")) {
                label(l);
            }
        }
        return u8(0);
    }

    Wire pointer(int offset) {
        return u16(0xC000 | offset);
    }

    /** A character-string: length byte, then the chars as bytes. */
    Wire string(String chars) {
        return label(chars);
    }

    Wire question(String dotted, int type, int cls) {
        return name(dotted).u16(type).u16(cls);
    }

    /** TYPE, CLASS, TTL and an RDLENGTH that {@link #end()} fills in; the owner is already written. */
    Wire rr(int type, int cls, long ttl) {
        u16(type).u16(cls).u32(ttl);
        rdataLengthAt = position();
        return u16(0);
    }

    /** Owner name, TYPE, CLASS, TTL and RDATA. */
    Wire rr(String owner, int type, int cls, long ttl, byte[] rdata) {
        return name(owner).u16(type).u16(cls).u32(ttl).u16(rdata.length).bytes(rdata);
    }

    /** Sets the pending RDLENGTH to what was written since {@link #rr(int, int, long)}. */
    Wire end() {
        return endWithLength(position() - rdataLengthAt - 2);
    }

    /** Sets the pending RDLENGTH to a given, possibly wrong, value. */
    Wire endWithLength(int length) {
        byte[] sofar = out.toByteArray();
        sofar[rdataLengthAt] = (byte) (length >> 8);
        sofar[rdataLengthAt + 1] = (byte) length;
        out.reset();
        out.writeBytes(sofar);
        rdataLengthAt = -1;
        return this;
    }

    byte[] toBytes() {
        return out.toByteArray();
    }
}
