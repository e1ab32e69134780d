package jinet.call;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangExit;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpMbox;
import com.ericsson.otp.erlang.OtpMsg;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import jinet.term.Terms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code rex} server's protocol, as OTP's {@code rpc} module speaks it to a node:
 * {@code rpc:block_call/4,5} (a gen_server call), the plain-message call OTP keeps for hidden
 * C nodes, and casts. Unlike BEAM's rex, block calls do not queue behind each other: every
 * request runs on the worker pool, so a slow call never delays the others.
 */
public final class RexServer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RexServer.class);
    private static final OtpErlangAtom REX = Terms.atom("rex");

    private final OtpMbox mbox;
    private final Exports exports;
    private final ExecutorService workers;

    public RexServer(OtpMbox mbox, Exports exports, ExecutorService workers) {
        this.mbox = mbox;
        this.exports = exports;
        this.workers = workers;
    }

    @Override
    public void run() {
        while (true) {
            OtpMsg msg;
            try {
                msg = mbox.receiveMsg();
            } catch (OtpErlangExit e) {
                log.debug("rex mailbox closed: {}", e.reason());
                return;
            }
            if (msg == null) {
                return;
            }
            if (msg.type() != OtpMsg.sendTag && msg.type() != OtpMsg.regSendTag) {
                continue; // links and exits carry no request
            }
            try {
                workers.execute(() -> handle(msg));
            } catch (RejectedExecutionException e) {
                if (workers.isShutdown()) {
                    return;
                }
                log.warn("worker pool full; dropping a rex request");
            }
        }
    }

    private void handle(OtpMsg msg) {
        OtpErlangObject request;
        try {
            request = msg.getMsg();
        } catch (OtpErlangDecodeException e) {
            log.warn("undecodable message to rex: {}", e.getMessage());
            return;
        }
        try {
            dispatch(request);
        } catch (RuntimeException e) {
            log.error("rex request {} failed", request, e);
        }
    }

    private void dispatch(OtpErlangObject request) {
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
                mbox.send((OtpErlangPid) from.elementAt(0), Terms.tuple(from.elementAt(1), execute(call)));
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
                mbox.send(from, Terms.tuple(REX, execute(call)));
            } else if (Terms.isAtom(t.elementAt(1), "features_request")) {
                // No erpc here yet: spawn_request is not served, so claim no features.
                mbox.send(from, Terms.tuple(Terms.atom("features_reply"), Terms.atom(mbox.self().node()), Terms.NIL));
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
