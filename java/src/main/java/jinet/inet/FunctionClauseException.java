package jinet.inet;

/**
 * No clause of an OTP function matched. OTP's parser lets this escape to the caller (it only
 * catches {@code badarg}), so jinet must raise {@code error:function_clause} at the same inputs.
 */
public final class FunctionClauseException extends RuntimeException {
    private final String function;

    public FunctionClauseException(String function) {
        super("no function clause matching " + function, null, false, false);
        this.function = function;
    }

    /** The OTP function whose clauses did not match, as {@code module:name/arity}. */
    public String function() {
        return function;
    }
}
