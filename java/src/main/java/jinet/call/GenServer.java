package jinet.call;

import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.util.function.Consumer;
import jinet.node.LocalProcess;
import jinet.node.Message;
import jinet.node.ProcessHandler;
import jinet.term.Terms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A jinet process that speaks gen_server's protocol, so Erlang code can use
 * {@code gen_server:call({Name, Node}, Request)} and {@code gen_server:cast} on it. OTP 24+
 * callers tag calls with an alias ({@code [alias|Ref]}); the reply goes to the caller's pid,
 * which its receive accepts just the same. Messages are handled one at a time in the process's
 * turn; a callback whose work waits replies later, from wherever that work ran.
 */
public final class GenServer implements ProcessHandler {
    /** The callbacks; {@code reply} may be called later, from another thread, or never ("no reply"). */
    public interface Callbacks {
        void handleCall(LocalProcess self, OtpErlangObject request, OtpErlangPid from,
                        Consumer<OtpErlangObject> reply);

        default void handleCast(LocalProcess self, OtpErlangObject request) {
        }

        default void handleInfo(LocalProcess self, OtpErlangObject message) {
        }
    }

    private static final Logger log = LoggerFactory.getLogger(GenServer.class);

    private final Callbacks callbacks;

    public GenServer(Callbacks callbacks) {
        this.callbacks = callbacks;
    }

    @Override
    public void onMessage(LocalProcess self, Message message) {
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
                OtpErlangObject tag = from.elementAt(1);
                callbacks.handleCall(self, t.elementAt(2), caller, reply -> self.send(caller, Terms.tuple(tag, reply)));
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
