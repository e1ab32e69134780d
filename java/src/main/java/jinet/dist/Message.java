package jinet.dist;

import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpInputStream;

/**
 * A message for a local process. The payload is decoded on first use, so the connection's
 * reader thread only splits frames and the receiving side pays for decoding.
 */
public final class Message {
    private final OtpErlangPid sender;
    private OtpInputStream payload;
    private OtpErlangObject term;

    Message(OtpErlangPid sender, OtpInputStream payload) {
        this.sender = sender;
        this.payload = payload;
    }

    /** A message made locally, already a term. */
    public static Message of(OtpErlangObject term) {
        Message m = new Message(null, null);
        m.term = term;
        return m;
    }

    /** The sending process where the protocol names it (REG_SEND), else null. */
    public OtpErlangPid sender() {
        return sender;
    }

    public synchronized OtpErlangObject term() throws OtpErlangDecodeException {
        if (term == null) {
            term = payload.read_any();
            payload = null;
        }
        return term;
    }
}
