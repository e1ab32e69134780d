package jinet.dist;

import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangObject;

/**
 * The message part of a frame, left encoded: the I/O thread only splits frames, and whoever
 * receives the message pays for decoding it, on its own thread.
 */
public final class Payload {
    private final byte[] frame;
    private final int offset;
    private final int end;

    Payload(byte[] frame, int offset, int end) {
        this.frame = frame;
        this.offset = offset;
        this.end = end;
    }

    /** Encoded size in bytes: large messages are worth decoding away from an I/O thread. */
    public int size() {
        return end - offset;
    }

    public OtpErlangObject decode() throws OtpErlangDecodeException {
        return Codec.decode(frame, offset, end);
    }
}
