package jinet.term;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;

/**
 * An Erlang exception raised by a function jinet serves: its class, its reason, and for errors
 * the stack a caller sees. Call protocols turn it into their reply shape.
 */
public final class ErlangException extends Exception {
    /** Erlang's exception classes. */
    public enum Kind { ERROR, EXIT, THROW }

    private final Kind kind;
    private final OtpErlangObject reason;
    private final OtpErlangList stack;

    private ErlangException(Kind kind, OtpErlangObject reason, OtpErlangList stack) {
        super(kind + ":" + reason, null, false, false);
        this.kind = kind;
        this.reason = reason;
        this.stack = stack;
    }

    /** {@code erlang:error(Reason)}; the stack is filled in by whoever knows the call. */
    public static ErlangException error(OtpErlangObject reason) {
        return new ErlangException(Kind.ERROR, reason, null);
    }

    public static ErlangException error(String reasonAtom) {
        return error(Terms.atom(reasonAtom));
    }

    public static ErlangException exit(OtpErlangObject reason) {
        return new ErlangException(Kind.EXIT, reason, null);
    }

    public static ErlangException thrown(OtpErlangObject value) {
        return new ErlangException(Kind.THROW, value, null);
    }

    /** The same exception with a stack, unless it has one already. */
    public ErlangException withStackIfAbsent(OtpErlangList defaultStack) {
        return stack != null ? this : new ErlangException(kind, reason, defaultStack);
    }

    public Kind kind() {
        return kind;
    }

    public OtpErlangObject reason() {
        return reason;
    }

    /** The stack; an empty list when none was given. */
    public OtpErlangList stack() {
        return stack != null ? stack : Terms.NIL;
    }
}
