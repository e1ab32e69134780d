package jinet.dist;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;

/**
 * Runs the function a remote {@code spawn_request} names in a process the runtime created.
 * It must end the process with {@link LocalProcess#exit} when the function is done, with the
 * reason BEAM's process would exit with.
 */
public interface SpawnHandler {
    void spawn(LocalProcess process, OtpErlangAtom module, OtpErlangAtom function, OtpErlangObject[] args);
}
