package jinet.dist;

import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import jinet.term.Terms;

/**
 * Control messages of the distribution protocol: the tags this runtime reads, and the tuples
 * it writes, each built in one place in the protocol's field order.
 */
final class Control {
    static final int LINK = 1;
    static final int SEND = 2;
    static final int EXIT = 3;
    static final int UNLINK = 4;
    static final int REG_SEND = 6;
    static final int GROUP_LEADER = 7;
    static final int EXIT2 = 8;
    static final int SEND_TT = 12;
    static final int EXIT_TT = 13;
    static final int REG_SEND_TT = 16;
    static final int EXIT2_TT = 18;
    static final int MONITOR_P = 19;
    static final int DEMONITOR_P = 20;
    static final int MONITOR_P_EXIT = 21;
    static final int SPAWN_REQUEST = 29;
    static final int SPAWN_REQUEST_TT = 30;
    static final int SPAWN_REPLY = 31;
    static final int ALIAS_SEND = 33;
    static final int ALIAS_SEND_TT = 34;
    static final int UNLINK_ID = 35;
    static final int UNLINK_ID_ACK = 36;

    /** SPAWN_REPLY flags: what was set up with the new process. */
    static final int SPAWN_REPLY_LINKED = 1;
    static final int SPAWN_REPLY_MONITORED = 2;

    private Control() {
    }

    /** {@code {EXIT, FromPid, ToPid, Reason}}: a link broke. */
    static OtpErlangTuple exit(OtpErlangObject from, OtpErlangObject to, OtpErlangObject reason) {
        return Terms.tuple(tag(EXIT), from, to, reason);
    }

    /** {@code {MONITOR_P, FromPid, ToProc, Ref}}. */
    static OtpErlangTuple monitor(OtpErlangObject from, OtpErlangObject to, OtpErlangObject ref) {
        return Terms.tuple(tag(MONITOR_P), from, to, ref);
    }

    /** {@code {DEMONITOR_P, FromPid, ToProc, Ref}}. */
    static OtpErlangTuple demonitor(OtpErlangObject from, OtpErlangObject to, OtpErlangObject ref) {
        return Terms.tuple(tag(DEMONITOR_P), from, to, ref);
    }

    /** {@code {MONITOR_P_EXIT, FromProc, ToPid, Ref, Reason}}: a monitored process is gone. */
    static OtpErlangTuple monitorExit(OtpErlangObject from, OtpErlangObject to, OtpErlangObject ref,
                                      OtpErlangObject reason) {
        return Terms.tuple(tag(MONITOR_P_EXIT), from, to, ref, reason);
    }

    /** {@code {SPAWN_REPLY, ReqId, To, Flags, Result}}: a pid, or the error atom with flags 0. */
    static OtpErlangTuple spawnReply(OtpErlangObject reqId, OtpErlangObject to, int flags,
                                     OtpErlangObject result) {
        return Terms.tuple(tag(SPAWN_REPLY), reqId, to, new OtpErlangLong(flags), result);
    }

    /** {@code {SEND, Unused, ToPid}}; the message follows the tuple. */
    static OtpErlangTuple send(OtpErlangObject to) {
        return Terms.tuple(tag(SEND), Terms.atom(""), to);
    }

    /** {@code {UNLINK_ID_ACK, Id, FromPid, ToPid}}. */
    static OtpErlangTuple unlinkIdAck(OtpErlangObject id, OtpErlangObject from, OtpErlangObject to) {
        return Terms.tuple(tag(UNLINK_ID_ACK), id, from, to);
    }

    private static OtpErlangLong tag(int tag) {
        return new OtpErlangLong(tag);
    }
}
