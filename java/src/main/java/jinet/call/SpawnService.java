package jinet.call;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import jinet.node.LocalProcess;
import jinet.node.SpawnHandler;
import jinet.term.CallContext;
import jinet.term.ErlangException;
import jinet.term.Terms;

/**
 * What a spawned process runs. {@code erpc:execute_call/4} and {@code erpc:execute_cast/3} are
 * what {@code rpc:call}, {@code rpc:cast} and every {@code erpc} function spawn since OTP 23;
 * they end the process with the reasons OTP's erpc module uses, which the caller's side turns
 * into results and exceptions. Any other function runs as a process of its own would on BEAM:
 * it exits normally, or with the error as reason ({@code undef} for what jinet does not serve).
 */
public final class SpawnService implements SpawnHandler {
    private static final OtpErlangAtom ERPC = Terms.atom("erpc");
    private static final OtpErlangAtom NORMAL = Terms.atom("normal");
    private static final OtpErlangAtom RETURN = Terms.atom("return");

    private static final int OTHER = 0;
    private static final int ERPC_CALL = 1;
    private static final int ERPC_CAST = 2;

    /** Arguments larger than this are worth computing away from the connection's I/O thread. */
    private static final int LARGE_ARGUMENTS = 64 * 1024;

    private final Exports exports;

    public SpawnService(Exports exports) {
        this.exports = exports;
    }

    @Override
    public void spawn(LocalProcess process, OtpErlangPid groupLeader, OtpErlangAtom module, OtpErlangAtom function,
                      OtpErlangObject[] args, int argumentBytes) {
        CallContext context = new CallContext(process.pid(), groupLeader, process::send);
        int kind = kind(module, function, args);
        if (argumentBytes > LARGE_ARGUMENTS || waits(kind, module, function, args)) {
            process.node().blockingExecutor().execute(() -> process.exit(run(context, kind, module, function, args)));
        } else {
            process.exit(run(context, kind, module, function, args));
        }
    }

    /** What is spawned: erpc's call or cast of a function, or a function of its own. */
    private static int kind(OtpErlangAtom module, OtpErlangAtom function, OtpErlangObject[] args) {
        if (!module.equals(ERPC)) {
            return OTHER;
        }
        if (args.length == 4 && function.atomValue().equals("execute_call")) {
            return ERPC_CALL;
        }
        return args.length == 3 && function.atomValue().equals("execute_cast") ? ERPC_CAST : OTHER;
    }

    private OtpErlangObject run(CallContext context, int kind, OtpErlangAtom module, OtpErlangAtom function,
                                OtpErlangObject[] args) {
        try {
            return CallContext.with(context, () -> run(kind, module, function, args));
        } catch (ErlangException e) {
            return exitReason(e); // run catches what the function raises; this cannot happen
        }
    }

    /** erpc's calls wait when the function they apply does. */
    private boolean waits(int kind, OtpErlangAtom module, OtpErlangAtom function, OtpErlangObject[] args) {
        switch (kind) {
            case ERPC_CALL:
                return exports.isBlocking(args[1], args[2], args[3]);
            case ERPC_CAST:
                return exports.isBlocking(args[0], args[1], args[2]);
            default:
                return exports.isBlocking(module, function, Terms.list(args));
        }
    }

    private OtpErlangObject run(int kind, OtpErlangAtom module, OtpErlangAtom function, OtpErlangObject[] args) {
        if (kind == ERPC_CALL) {
            return executeCall(args[0], args[1], args[2], args[3]);
        }
        if (kind == ERPC_CAST) {
            return executeCast(args[0], args[1], args[2]);
        }
        try {
            exports.apply(module, function, Terms.list(args));
            return NORMAL;
        } catch (ErlangException e) {
            return exitReason(e);
        }
    }

    /** {@code exit({Ref, return | throw | exit, Value})} or {@code exit({Ref, error, Reason, Stack})}. */
    private OtpErlangObject executeCall(OtpErlangObject ref, OtpErlangObject m, OtpErlangObject f, OtpErlangObject a) {
        try {
            return Terms.tuple(ref, RETURN, exports.apply(m, f, a));
        } catch (ErlangException e) {
            switch (e.kind()) {
                case THROW:
                    return Terms.tuple(ref, Terms.atom("throw"), e.reason());
                case EXIT:
                    return Terms.tuple(ref, Terms.atom("exit"), e.reason());
                default:
                    return Terms.tuple(ref, Terms.atom("error"), e.reason(), e.stack());
            }
        }
    }

    /** Exits normally, or with {@code {{exception, {Reason, Stack}}, Stack}} as OTP's does on error. */
    private OtpErlangObject executeCast(OtpErlangObject m, OtpErlangObject f, OtpErlangObject a) {
        try {
            exports.apply(m, f, a);
            return Terms.atom("normal");
        } catch (ErlangException e) {
            if (e.kind() != ErlangException.Kind.ERROR) {
                return exitReason(e);
            }
            return Terms.tuple(Terms.tuple(Terms.atom("exception"), Terms.tuple(e.reason(), e.stack())), e.stack());
        }
    }

    /** The reason a process ends with when an exception escapes it. */
    private static OtpErlangObject exitReason(ErlangException e) {
        switch (e.kind()) {
            case EXIT:
                return e.reason();
            case THROW:
                return Terms.tuple(Terms.tuple(Terms.atom("nocatch"), e.reason()), e.stack());
            default:
                return Terms.tuple(e.reason(), e.stack());
        }
    }
}
