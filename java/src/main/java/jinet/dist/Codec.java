package jinet.dist;

import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpInputStream;
import com.ericsson.otp.erlang.OtpOutputStream;

/** The one place the transport turns terms into bytes and back. */
final class Codec {
    private Codec() {
    }

    /** One term at {@code offset}, with or without the version byte; the end of it via {@code next[0]}. */
    static OtpErlangObject decode(byte[] buf, int offset, int end, int[] next) throws OtpErlangDecodeException {
        OtpInputStream in = new OtpInputStream(buf, offset, end - offset, 0);
        OtpErlangObject t;
        try {
            t = in.read_any();
        } catch (StackOverflowError e) {
            throw new OtpErlangDecodeException("term nested too deeply");
        }
        if (next != null) {
            next[0] = in.getPos(); // absolute: the stream starts at offset
        }
        return t;
    }

    static OtpErlangObject decode(byte[] buf, int offset, int end) throws OtpErlangDecodeException {
        return decode(buf, offset, end, null);
    }

    /** A growable buffer terms are written into, with room for a frame header. */
    static final class Out {
        private final OtpOutputStream out = new OtpOutputStream();

        Out write1(int b) {
            out.write1(b);
            return this;
        }

        Out write4(int v) {
            out.write4BE(v);
            return this;
        }

        Out write8(long v) {
            out.write8BE(v);
            return this;
        }

        Out term(OtpErlangObject t) {
            out.write_any(t);
            return this;
        }

        void poke4(int pos, int v) {
            out.poke4BE(pos, v);
        }

        int length() {
            return out.size();
        }

        byte[] array() {
            return out.toByteArray();
        }
    }
}
