package jinet.dist;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangObject;
import java.util.Arrays;

/**
 * The message part of a frame, left encoded: the I/O thread only splits frames, and whoever
 * receives the message pays for decoding it, on its own thread.
 *
 * <p>A payload may start out borrowing the connection's read buffer: most are decoded while
 * their frame is dispatched (a spawned call's arguments), and copying every frame off the I/O
 * buffer was a tenth of what a call allocated. What is still encoded when the dispatch ends is
 * copied then ({@link #detach}).
 */
public final class Payload {
    private byte[] frame;
    private int offset;
    private int end;
    /** The atoms its frame's header gave, which its ATOM_CACHE_REFs index. */
    private OtpErlangAtom[] atoms;
    private OtpErlangObject term;

    Payload(byte[] frame, int offset, int end, OtpErlangAtom[] atoms) {
        this.frame = frame;
        this.offset = offset;
        this.end = end;
        this.atoms = atoms;
    }

    /** Encoded size in bytes: large messages are worth decoding away from an I/O thread. */
    public int size() {
        return end - offset;
    }

    /** The term; decoded once, so a borrowed payload need not keep its bytes afterwards. */
    public synchronized OtpErlangObject decode() throws OtpErlangDecodeException {
        if (term == null) {
            term = Codec.decode(frame, offset, end, atoms);
            frame = null;
            atoms = null;
        }
        return term;
    }

    /** The frame's buffer is about to be reused: keep a copy of what is still to be decoded. */
    synchronized void detach() {
        if (term == null) {
            frame = Arrays.copyOfRange(frame, offset, end);
            offset = 0;
            end = frame.length;
        }
    }
}
