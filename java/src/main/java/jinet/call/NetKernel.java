package jinet.call;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.util.function.Consumer;
import jinet.node.LocalProcess;
import jinet.term.Terms;

/**
 * The part of {@code net_kernel} a peer talks to: {@code net_adm:ping/1} asks
 * {@code {is_auth, Node}} and expects {@code yes} from a node that accepted its cookie.
 */
public final class NetKernel implements GenServer.Callbacks {
    @Override
    public void handleCall(LocalProcess self, OtpErlangObject request, OtpErlangPid from,
                           Consumer<OtpErlangObject> reply) {
        if (request instanceof OtpErlangTuple && Terms.isAtom(((OtpErlangTuple) request).elementAt(0), "is_auth")) {
            reply.accept(Terms.atom("yes"));
        }
    }
}
