package jinet.call;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jinet.node.LocalProcess;
import jinet.node.Node;
import jinet.term.Exporter;
import jinet.term.Terms;

/**
 * {@code net_adm:ping/1} as this node runs it: set up a connection if there is none, then ask
 * the peer's net_kernel {@code {is_auth, ThisNode}}, as OTP's net_adm does.
 */
public final class NetAdm {
    private static final OtpErlangAtom PONG = Terms.atom("pong");
    private static final OtpErlangAtom PANG = Terms.atom("pang");
    /** A connected node's net_kernel answers at once, or the monitor fires; this bounds the rest. */
    private static final long ANSWER_MILLIS = 60_000;

    private NetAdm() {
    }

    public static void exportTo(Exporter exports, Node node) {
        exports.exportBlocking("net_adm", "ping", 1, args -> {
            if (!(args[0] instanceof OtpErlangAtom)) {
                throw jinet.term.ErlangException.error("function_clause");
            }
            return ping(node, ((OtpErlangAtom) args[0]).atomValue()) ? PONG : PANG;
        });
    }

    /** Blocks until the peer answers or cannot be reached. */
    public static boolean ping(Node node, String other) {
        if (other.equals(node.name())) {
            return true;
        }
        try {
            node.transport().connect(other).get();
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        OtpErlangRef tag = node.newRef();
        LocalProcess asker = node.spawn((self, message) -> {
            try {
                OtpErlangObject t = message.term();
                if (t instanceof OtpErlangTuple && ((OtpErlangTuple) t).arity() == 2
                        && tag.equals(((OtpErlangTuple) t).elementAt(0))) {
                    answer.complete(Terms.isAtom(((OtpErlangTuple) t).elementAt(1), "yes"));
                } else if (t instanceof OtpErlangTuple && Terms.isAtom(((OtpErlangTuple) t).elementAt(0), "DOWN")) {
                    answer.complete(false); // net_kernel there is gone, or the connection: pang, as gen:call gives
                }
            } catch (OtpErlangDecodeException e) {
                answer.complete(false);
            }
        });
        try {
            asker.monitor("net_kernel", other);
            asker.send("net_kernel", other, Terms.tuple(Terms.atom("$gen_call"), Terms.tuple(asker.pid(), tag),
                    Terms.tuple(Terms.atom("is_auth"), Terms.atom(node.name()))));
            return answer.get(ANSWER_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            asker.exit(Terms.atom("normal"));
        }
    }
}
