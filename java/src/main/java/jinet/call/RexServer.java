package jinet.call;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.util.function.Consumer;
import jinet.node.LocalProcess;
import jinet.term.CallContext;
import jinet.term.ErlangException;
import jinet.term.Terms;

/**
 * The {@code rex} server's protocol, as OTP's {@code rpc} module speaks it to a node:
 * {@code rpc:block_call/4,5} (a gen_server call), casts, and the plain-message call OTP keeps
 * for hidden C nodes. Unlike BEAM's rex, block calls do not queue behind each other.
 */
public final class RexServer implements GenServer.Callbacks {
    private static final OtpErlangAtom REX = Terms.atom("rex");

    private final Exports exports;

    public RexServer(Exports exports) {
        this.exports = exports;
    }

    /** {@code {call | block_call, M, F, A, GroupLeader}}; anything else gets no reply, as from rex. */
    @Override
    public void handleCall(LocalProcess self, OtpErlangObject request, OtpErlangPid from,
                           Consumer<OtpErlangObject> reply) {
        OtpErlangTuple call = callRequest(request);
        if (call != null) {
            run(self, call, reply);
        }
    }

    /** Applies the call in rex's turn, or where it may wait when the function waits; replies with the result. */
    private void run(LocalProcess self, OtpErlangTuple call, Consumer<OtpErlangObject> reply) {
        if (exports.isBlocking(call.elementAt(1), call.elementAt(2), call.elementAt(3))) {
            self.node().blockingExecutor().execute(() -> reply.accept(execute(self, call)));
        } else {
            reply.accept(execute(self, call));
        }
    }

    /** {@code {cast, M, F, A, GroupLeader}}. */
    @Override
    public void handleCast(LocalProcess self, OtpErlangObject request) {
        if (request instanceof OtpErlangTuple && ((OtpErlangTuple) request).arity() == 5
                && Terms.isAtom(((OtpErlangTuple) request).elementAt(0), "cast")) {
            run(self, (OtpErlangTuple) request, result -> { });
        }
    }

    /**
     * Plain messages rex answers: {@code {From, {call, M, F, A, GroupLeader}}} (answered
     * {@code {rex, Reply}}), {@code {From, {sbcast, Name, Msg}}} and {@code {From, {send, Name, Msg}}}
     * (rpc:sbcast and rpc:server_call), and {@code {From, features_request}}.
     */
    @Override
    public void handleInfo(LocalProcess self, OtpErlangObject message) {
        if (!(message instanceof OtpErlangTuple) || ((OtpErlangTuple) message).arity() != 2
                || !(((OtpErlangTuple) message).elementAt(0) instanceof OtpErlangPid)) {
            return;
        }
        OtpErlangTuple t = (OtpErlangTuple) message;
        OtpErlangPid from = (OtpErlangPid) t.elementAt(0);
        OtpErlangTuple call = callRequest(t.elementAt(1));
        OtpErlangTuple forward = nameAndMessage(t.elementAt(1));
        OtpErlangAtom node = Terms.atom(self.pid().node());
        if (call != null && Terms.isAtom(call.elementAt(0), "call")) {
            run(self, call, result -> self.send(from, Terms.tuple(REX, result)));
        } else if (forward != null && Terms.isAtom(forward.elementAt(0), "sbcast")) {
            boolean sent = self.sendToRegistered(((OtpErlangAtom) forward.elementAt(1)).atomValue(), forward.elementAt(2));
            self.send(from, Terms.tuple(REX, node,
                    sent ? node : Terms.tuple(Terms.atom("nonexisting_name"), forward.elementAt(1))));
        } else if (forward != null && Terms.isAtom(forward.elementAt(0), "send")) {
            // The server named answers the caller itself; rex only reports a missing name.
            if (!self.sendToRegistered(((OtpErlangAtom) forward.elementAt(1)).atomValue(),
                    Terms.tuple(from, forward.elementAt(2)))) {
                self.send(from, Terms.tuple(REX, node, Terms.tuple(Terms.atom("nonexisting_name"), forward.elementAt(1))));
            }
        } else if (Terms.isAtom(t.elementAt(1), "features_request")) {
            self.send(from, Terms.tuple(Terms.atom("features_reply"), node,
                    Terms.list(Terms.atom("erpc"))));
        }
    }

    /** {@code {sbcast | send, Name, Msg}} with an atom for a name, else null. */
    private static OtpErlangTuple nameAndMessage(OtpErlangObject term) {
        if (term instanceof OtpErlangTuple) {
            OtpErlangTuple t = (OtpErlangTuple) term;
            if (t.arity() == 3 && (Terms.isAtom(t.elementAt(0), "sbcast") || Terms.isAtom(t.elementAt(0), "send"))
                    && t.elementAt(1) instanceof OtpErlangAtom) {
                return t;
            }
        }
        return null;
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
    private OtpErlangObject execute(LocalProcess self, OtpErlangTuple request) {
        OtpErlangPid groupLeader = request.elementAt(4) instanceof OtpErlangPid ? (OtpErlangPid) request.elementAt(4)
                : null;
        try {
            return CallContext.with(new CallContext(self.pid(), groupLeader, self::send),
                    () -> exports.apply(request.elementAt(1), request.elementAt(2), request.elementAt(3)));
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
