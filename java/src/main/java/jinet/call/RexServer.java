package jinet.call;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.util.concurrent.Executor;
import jinet.dist.LocalProcess;
import jinet.dist.Message;
import jinet.dist.ProcessHandler;
import jinet.term.Terms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code rex} server's protocol, as OTP's {@code rpc} module speaks it to a node:
 * {@code rpc:block_call/4,5} (a gen_server call), the plain-message call OTP keeps for hidden
 * C nodes, and casts. Unlike BEAM's rex, block calls do not queue behind each other: every
 * request runs on the worker pool, so a slow call never delays the others.
 */
public final class RexServer implements ProcessHandler {
    private static final Logger log = LoggerFactory.getLogger(RexServer.class);
    private static final OtpErlangAtom REX = Terms.atom("rex");

    private final Exports exports;
    private final Executor workers;

    public RexServer(Exports exports, Executor workers) {
        this.exports = exports;
        this.workers = workers;
    }

    @Override
    public void onMessage(LocalProcess self, Message message) {
        workers.execute(() -> handle(self, message));
    }

    private void handle(LocalProcess self, Message message) {
        OtpErlangObject request;
        try {
            request = message.term();
        } catch (OtpErlangDecodeException e) {
            log.warn("undecodable message to rex: {}", e.getMessage());
            return;
        }
        OtpErlangTuple t = request instanceof OtpErlangTuple ? (OtpErlangTuple) request : null;
        if (t == null) {
            return;
        }
        // {'$gen_call', {From, Tag}, {call | block_call, M, F, A, GroupLeader}}
        if (t.arity() == 3 && Terms.isAtom(t.elementAt(0), "$gen_call")
                && t.elementAt(1) instanceof OtpErlangTuple) {
            OtpErlangTuple from = (OtpErlangTuple) t.elementAt(1);
            OtpErlangTuple call = callRequest(t.elementAt(2));
            if (call != null && from.arity() == 2 && from.elementAt(0) instanceof OtpErlangPid) {
                // Sent to the pid, not to an alias: the caller's receive matches the tag either way.
                self.send((OtpErlangPid) from.elementAt(0), Terms.tuple(from.elementAt(1), execute(call)));
            }
            return;
        }
        // {'$gen_cast', {cast, M, F, A, GroupLeader}}
        if (t.arity() == 2 && Terms.isAtom(t.elementAt(0), "$gen_cast")) {
            OtpErlangTuple cast = t.elementAt(1) instanceof OtpErlangTuple ? (OtpErlangTuple) t.elementAt(1) : null;
            if (cast != null && cast.arity() == 5 && Terms.isAtom(cast.elementAt(0), "cast")) {
                execute(cast);
            }
            return;
        }
        // {From, {call, M, F, A, GroupLeader}}: OTP's form for hidden C nodes; the reply is {rex, Reply}.
        if (t.arity() == 2 && t.elementAt(0) instanceof OtpErlangPid) {
            OtpErlangPid from = (OtpErlangPid) t.elementAt(0);
            OtpErlangTuple call = callRequest(t.elementAt(1));
            if (call != null && Terms.isAtom(call.elementAt(0), "call")) {
                self.send(from, Terms.tuple(REX, execute(call)));
            } else if (Terms.isAtom(t.elementAt(1), "features_request")) {
                self.send(from, Terms.tuple(Terms.atom("features_reply"), Terms.atom(self.pid().node()),
                        Terms.list(Terms.atom("erpc"))));
            }
        }
    }

    private static OtpErlangTuple callRequest(OtpErlangObject term) {
        if (term instanceof OtpErlangTuple) {
            OtpErlangTuple c = (OtpErlangTuple) term;
            if (c.arity() == 5 && (Terms.isAtom(c.elementAt(0), "call") || Terms.isAtom(c.elementAt(0), "block_call"))) {
                return c;
            }
        }
        return null;
    }

    /** rex's reply for {@code {Kind, M, F, A, GroupLeader}}, shaped like OTP's execute_call/3. */
    private OtpErlangObject execute(OtpErlangTuple request) {
        try {
            return exports.apply(request.elementAt(1), request.elementAt(2), request.elementAt(3));
        } catch (ErlangException e) {
            switch (e.kind()) {
                case THROW:
                    return e.reason();
                case EXIT:
                    return badrpc(e.reason());
                default:
                    return badrpc(Terms.tuple(e.reason(), e.stack()));
            }
        }
    }

    private static OtpErlangTuple badrpc(OtpErlangObject exit) {
        return Terms.tuple(Terms.atom("badrpc"), Terms.tuple(Terms.atom("EXIT"), exit));
    }
}
