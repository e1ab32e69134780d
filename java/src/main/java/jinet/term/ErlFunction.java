package jinet.term;

import com.ericsson.otp.erlang.OtpErlangObject;

/** A function jinet serves as if it were an exported Erlang function. */
@FunctionalInterface
public interface ErlFunction {
    /** Returns the function's value or raises the Erlang exception the BEAM would raise. */
    OtpErlangObject apply(OtpErlangObject[] args) throws ErlangException;
}
