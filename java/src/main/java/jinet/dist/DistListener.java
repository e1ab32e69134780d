package jinet.dist;

import com.ericsson.otp.erlang.OtpErlangTuple;

/** What the transport tells the runtime above it. Called on I/O threads: hand off, never block. */
public interface DistListener {
    /** A connection finished its handshake. */
    void connected(DistConnection connection);

    /** A control message and its still-encoded payload; false for a control message the node does not take. */
    boolean control(DistConnection connection, OtpErlangTuple control, Payload payload);

    /** A connection is gone, however it ended. */
    void disconnected(DistConnection connection);

    /** The peer started or stopped keeping up with what this node sends. */
    default void writabilityChanged(DistConnection connection, boolean writable) {
    }
}
