package jinet.term;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import java.util.function.BiConsumer;

/**
 * Who an exported function runs for: its process and the group leader its output goes to, as
 * an Erlang function has {@code self()} and {@code group_leader()}. Set by whatever runs the
 * function (the spawn service, rex) on the thread it runs on, for that call only.
 */
public final class CallContext {
    private static final ThreadLocal<CallContext> CURRENT = new ThreadLocal<>();

    private final OtpErlangPid self;
    private final OtpErlangPid groupLeader;
    private final BiConsumer<OtpErlangPid, OtpErlangObject> send;

    public CallContext(OtpErlangPid self, OtpErlangPid groupLeader, BiConsumer<OtpErlangPid, OtpErlangObject> send) {
        this.self = self;
        this.groupLeader = groupLeader;
        this.send = send;
    }

    /** The context of the function running on this thread, or null outside one. */
    public static CallContext current() {
        return CURRENT.get();
    }

    /** Runs {@code body} with {@code context} current. */
    public static <T> T with(CallContext context, ThrowingSupplier<T> body) throws ErlangException {
        CallContext outer = CURRENT.get();
        CURRENT.set(context);
        try {
            return body.get();
        } finally {
            // set, not remove: the thread's entry stays, so the next call finds it in place
            CURRENT.set(outer);
        }
    }

    public interface ThrowingSupplier<T> {
        T get() throws ErlangException;
    }

    public OtpErlangPid self() {
        return self;
    }

    public OtpErlangPid groupLeader() {
        return groupLeader;
    }

    /**
     * Writes {@code chars} through the group leader, as {@code io:put_chars/1} does, without
     * waiting for the reply: the request goes out before the function's result does, over the
     * same connection, so the output is there before the caller goes on.
     */
    public void putChars(String chars) {
        if (groupLeader == null) {
            return;
        }
        send.accept(groupLeader, Terms.tuple(Terms.atom("io_request"), self, Terms.atom("jinet_io"),
                Terms.tuple(Terms.atom("put_chars"), Terms.atom("unicode"),
                        new com.ericsson.otp.erlang.OtpErlangBinary(chars.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
    }
}
