package jinet.node;

import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import jinet.dist.Payload;

/**
 * A message for a local process. One from another node stays encoded until its receiver asks
 * for it, on the receiver's thread; only one thread handles a process's message at a time.
 */
public final class Message {
    private final OtpErlangPid sender;
    private Payload payload;
    private OtpErlangObject term;

    Message(OtpErlangPid sender, Payload payload) {
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

    public OtpErlangObject term() throws OtpErlangDecodeException {
        if (term == null) {
            if (payload == null) {
                throw new OtpErlangDecodeException("a message with no payload");
            }
            term = payload.decode();
            payload = null;
        }
        return term;
    }
}
