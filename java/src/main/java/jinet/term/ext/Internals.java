package jinet.term.ext;

import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangBitstr;
import com.ericsson.otp.erlang.OtpErlangFun;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Fields JInterface keeps private. OtpErlangFun has no accessors at all, so encoding a fun
 * needs them; OtpErlangBinary only has a copying constructor, and a binary decoded from a
 * message would otherwise be copied twice. JInterface sits on the class path (the unnamed
 * module), so the lookups succeed; if some other arrangement ever forbids them, binaries fall
 * back to the copying constructor and funs cannot be encoded.
 */
final class Internals {
    static final VarHandle BITSTR_BIN;
    static final VarHandle FUN_PID;
    static final VarHandle FUN_MODULE;
    static final VarHandle FUN_INDEX;
    static final VarHandle FUN_OLD_INDEX;
    static final VarHandle FUN_UNIQ;
    static final VarHandle FUN_FREE_VARS;
    static final VarHandle FUN_ARITY;
    static final VarHandle FUN_MD5;

    static {
        VarHandle bin = null;
        VarHandle[] fun = new VarHandle[8];
        try {
            MethodHandles.Lookup b = MethodHandles.privateLookupIn(OtpErlangBitstr.class, MethodHandles.lookup());
            bin = b.findVarHandle(OtpErlangBitstr.class, "bin", byte[].class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            bin = null;
        }
        try {
            MethodHandles.Lookup f = MethodHandles.privateLookupIn(OtpErlangFun.class, MethodHandles.lookup());
            fun[0] = f.findVarHandle(OtpErlangFun.class, "pid", OtpErlangPid.class);
            fun[1] = f.findVarHandle(OtpErlangFun.class, "module", String.class);
            fun[2] = f.findVarHandle(OtpErlangFun.class, "index", long.class);
            fun[3] = f.findVarHandle(OtpErlangFun.class, "old_index", long.class);
            fun[4] = f.findVarHandle(OtpErlangFun.class, "uniq", long.class);
            fun[5] = f.findVarHandle(OtpErlangFun.class, "freeVars", OtpErlangObject[].class);
            fun[6] = f.findVarHandle(OtpErlangFun.class, "arity", int.class);
            fun[7] = f.findVarHandle(OtpErlangFun.class, "md5", byte[].class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            fun = new VarHandle[8];
        }
        BITSTR_BIN = bin;
        FUN_PID = fun[0];
        FUN_MODULE = fun[1];
        FUN_INDEX = fun[2];
        FUN_OLD_INDEX = fun[3];
        FUN_UNIQ = fun[4];
        FUN_FREE_VARS = fun[5];
        FUN_ARITY = fun[6];
        FUN_MD5 = fun[7];
    }

    private static final byte[] NO_BYTES = new byte[0];

    private Internals() {}

    /** A binary that owns {@code bytes} (the caller gives it up). */
    static OtpErlangBinary binary(byte[] bytes) {
        if (BITSTR_BIN == null || bytes.length == 0) {
            return new OtpErlangBinary(bytes);
        }
        OtpErlangBinary b = new OtpErlangBinary(NO_BYTES);
        BITSTR_BIN.set((OtpErlangBitstr) b, bytes);
        return b;
    }
}
