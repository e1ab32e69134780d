package jinet.node;

import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import jinet.term.Terms;

/**
 * The part of {@code net_kernel} a peer talks to: {@code net_adm:ping/1} asks
 * {@code {is_auth, Node}} and expects {@code yes} from a node that accepted its cookie.
 */
public final class NetKernel implements ProcessHandler {
    @Override
    public void onMessage(LocalProcess self, Message message) {
        OtpErlangObject term;
        try {
            term = message.term();
        } catch (OtpErlangDecodeException e) {
            return;
        }
        // {'$gen_call', {From, Tag}, {is_auth, Node}}
        if (term instanceof OtpErlangTuple && ((OtpErlangTuple) term).arity() == 3) {
            OtpErlangTuple t = (OtpErlangTuple) term;
            if (Terms.isAtom(t.elementAt(0), "$gen_call") && t.elementAt(1) instanceof OtpErlangTuple
                    && t.elementAt(2) instanceof OtpErlangTuple
                    && Terms.isAtom(((OtpErlangTuple) t.elementAt(2)).elementAt(0), "is_auth")) {
                OtpErlangTuple from = (OtpErlangTuple) t.elementAt(1);
                if (from.arity() == 2 && from.elementAt(0) instanceof OtpErlangPid) {
                    self.send((OtpErlangPid) from.elementAt(0), Terms.tuple(from.elementAt(1), Terms.atom("yes")));
                }
            }
        }
    }
}
