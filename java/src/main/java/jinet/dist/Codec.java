package jinet.dist;

import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangObject;
import jinet.term.ext.TermDecodeException;
import jinet.term.ext.TermDecoder;

/** How the transport reads terms: jinet's own decoder (no recursion, bounded), failing as JInterface's would. */
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
}
