package jinet.call;

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
 * A jinet process that speaks gen_server's protocol, so Erlang code can use
 * {@code gen_server:call({Name, Node}, Request)} and {@code gen_server:cast} on it. OTP 24+
 * callers tag calls with an alias ({@code [alias|Ref]}); the reply goes to the caller's pid,
 * which its receive accepts just the same. Each message is handled on the worker pool, so
 * requests are served concurrently rather than one at a time as in a BEAM gen_server.
 */
public final class GenServer implements ProcessHandler {
    /** The callbacks; a null reply from {@link #handleCall} means "no reply". */
    public interface Callbacks {
        OtpErlangObject handleCall(LocalProcess self, OtpErlangObject request, OtpErlangPid from);

        default void handleCast(LocalProcess self, OtpErlangObject request) {
        }

        default void handleInfo(LocalProcess self, OtpErlangObject message) {
        }
    }

    private static final Logger log = LoggerFactory.getLogger(GenServer.class);

    private final Callbacks callbacks;
    private final Executor workers;

    public GenServer(Callbacks callbacks, Executor workers) {
        this.callbacks = callbacks;
        this.workers = workers;
    }

    @Override
    public void onMessage(LocalProcess self, Message message) {
        workers.execute(() -> handle(self, message));
    }

    private void handle(LocalProcess self, Message message) {
        OtpErlangObject term;
        try {
            term = message.term();
        } catch (OtpErlangDecodeException e) {
            log.warn("undecodable message to {}: {}", self, e.getMessage());
            return;
        }
        try {
            dispatch(self, term);
        } catch (RuntimeException e) {
            log.error("{} failed on {}", self, term, e);
        }
    }

    private void dispatch(LocalProcess self, OtpErlangObject term) {
        OtpErlangTuple t = term instanceof OtpErlangTuple ? (OtpErlangTuple) term : null;
        // {'$gen_call', {From, Tag}, Request}
        if (t != null && t.arity() == 3 && Terms.isAtom(t.elementAt(0), "$gen_call")
                && t.elementAt(1) instanceof OtpErlangTuple) {
            OtpErlangTuple from = (OtpErlangTuple) t.elementAt(1);
            if (from.arity() == 2 && from.elementAt(0) instanceof OtpErlangPid) {
                OtpErlangPid caller = (OtpErlangPid) from.elementAt(0);
                OtpErlangObject reply = callbacks.handleCall(self, t.elementAt(2), caller);
                if (reply != null) {
                    self.send(caller, Terms.tuple(from.elementAt(1), reply));
                }
                return;
            }
        }
        // {'$gen_cast', Request}
        if (t != null && t.arity() == 2 && Terms.isAtom(t.elementAt(0), "$gen_cast")) {
            callbacks.handleCast(self, t.elementAt(1));
            return;
        }
        callbacks.handleInfo(self, term);
    }
}
