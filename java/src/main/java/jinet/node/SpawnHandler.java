package jinet.node;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;

/**
 * Runs the function a remote {@code spawn_request} names in a process the runtime created,
 * called in that process's first turn. It must end the process with {@link LocalProcess#exit}
 * when the function is done, with the reason BEAM's process would exit with; a function that
 * waits or computes long goes to {@link Node#blockingExecutor()}.
 */
public interface SpawnHandler {
    /**
     * {@code argumentBytes}: the encoded size of the arguments, a hint of the work ahead;
     * {@code groupLeader}: where the process's output goes.
     */
    void spawn(LocalProcess process, OtpErlangPid groupLeader, OtpErlangAtom module, OtpErlangAtom function,
               OtpErlangObject[] args, int argumentBytes);
}
