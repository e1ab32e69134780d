package jinet.dist;

import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangObject;
import jinet.term.ext.TermDecodeException;
import jinet.term.ext.TermDecoder;
import jinet.term.ext.TermEncoder;

/** The one place the transport turns terms into bytes and back (jinet's own codec: no recursion, bounded). */
final class Codec {
    private static final int VERSION = 131;

    private Codec() {
    }

    /** One term at {@code offset}, with or without the version byte; the end of it via {@code next[0]}. */
    static OtpErlangObject decode(byte[] buf, int offset, int end, int[] next) throws OtpErlangDecodeException {
        TermDecoder in = new TermDecoder(buf, offset, end);
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

    static OtpErlangObject decode(byte[] buf, int offset, int end) throws OtpErlangDecodeException {
        return decode(buf, offset, end, null);
    }

    /** A growable buffer terms are written into, with room for a frame header. */
    static final class Out {
        private final TermEncoder out = new TermEncoder(128);

        Out write1(int b) {
            out.write1(b);
            return this;
        }

        Out write4(int v) {
            out.write4BE(v);
            return this;
        }

        Out term(OtpErlangObject t) {
            out.writeTerm(t);
            return this;
        }

        void poke4(int pos, int v) {
            out.poke4BE(pos, v);
        }

        int length() {
            return out.length();
        }

        /** The buffer itself, valid up to {@link #length()}: no copy. */
        byte[] array() {
            return out.array();
        }
    }
}
