package jinet.dist;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangObject;
import jinet.term.ext.TermDecodeException;
import jinet.term.ext.TermDecoder;
import jinet.term.ext.TermEncoder;

/**
 * How the transport reads and writes terms: jinet's own codec (no recursion, bounded), failing
 * as JInterface's would. Each thread keeps one decoder and one encoder for small terms, so a
 * call's control messages and arguments cost no codec set-up; large terms get their own, so no
 * thread holds on to a large buffer.
 */
final class Codec {
    private static final int VERSION = 131;
    /** Inputs up to this size use the thread's decoder; its stacks then stay small too. */
    private static final int SMALL_INPUT = 4096;
    /** An encoder whose buffer grew past this is not kept. */
    private static final int KEPT_OUTPUT = 64 * 1024;
    private static final ThreadLocal<TermDecoder> DECODER = ThreadLocal.withInitial(() -> new TermDecoder(new byte[0]));
    private static final ThreadLocal<TermEncoder> ENCODER = ThreadLocal.withInitial(() -> new TermEncoder(512));

    private Codec() {
    }

    /**
     * One term at {@code offset}, with or without the version byte, its ATOM_CACHE_REFs indexing
     * {@code atoms} (its header's); the end of it via {@code next[0]}.
     */
    static OtpErlangObject decode(byte[] buf, int offset, int end, OtpErlangAtom[] atoms, int[] next)
            throws OtpErlangDecodeException {
        TermDecoder in = end - offset <= SMALL_INPUT ? DECODER.get() : new TermDecoder(new byte[0]);
        in.reset(buf, offset, end);
        in.setAtomCache(atoms);
        try {
            OtpErlangObject t = offset < end && (buf[offset] & 0xff) == VERSION ? in.readVersionedTerm() : in.readTerm();
            if (next != null) {
                next[0] = in.position();
            }
            return t;
        } catch (TermDecodeException e) {
            throw new OtpErlangDecodeException(e.getMessage());
        }
    }

    static OtpErlangObject decode(byte[] buf, int offset, int end, OtpErlangAtom[] atoms) throws OtpErlangDecodeException {
        return decode(buf, offset, end, atoms, null);
    }

    /** This thread's encoder, emptied; hand it back with {@link #done} once its bytes are copied or taken. */
    static TermEncoder encoder() {
        TermEncoder out = ENCODER.get();
        out.reset();
        return out;
    }

    /** {@code taken}: the encoder's array now belongs to someone else (a large message being sent). */
    static void done(TermEncoder out, boolean taken) {
        if (taken || out.array().length > KEPT_OUTPUT) {
            ENCODER.set(new TermEncoder(512));
        }
    }
}
