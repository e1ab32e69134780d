package jinet.dist;

import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;
import jinet.term.Terms;
import jinet.term.ext.TermEncoder;

/**
 * Control messages of the distribution protocol: the tags this runtime reads, and the tuples
 * it writes, each built in one place in the protocol's field order. The two every spawned call
 * sends (its spawn's reply, its monitor's exit) are written straight into the encoder instead.
 */
public final class Control {
    public static final int LINK = 1;
    public static final int SEND = 2;
    public static final int EXIT = 3;
    public static final int UNLINK = 4;
    public static final int REG_SEND = 6;
    public static final int GROUP_LEADER = 7;
    public static final int EXIT2 = 8;
    public static final int SEND_TT = 12;
    public static final int EXIT_TT = 13;
    public static final int REG_SEND_TT = 16;
    public static final int EXIT2_TT = 18;
    public static final int MONITOR_P = 19;
    public static final int DEMONITOR_P = 20;
    public static final int MONITOR_P_EXIT = 21;
    public static final int SPAWN_REQUEST = 29;
    public static final int SPAWN_REQUEST_TT = 30;
    public static final int SPAWN_REPLY = 31;
    public static final int ALIAS_SEND = 33;
    public static final int ALIAS_SEND_TT = 34;
    public static final int SEND_SENDER = 22;
    public static final int SEND_SENDER_TT = 23;
    public static final int PAYLOAD_EXIT = 24;
    public static final int PAYLOAD_EXIT_TT = 25;
    public static final int PAYLOAD_EXIT2 = 26;
    public static final int PAYLOAD_EXIT2_TT = 27;
    public static final int PAYLOAD_MONITOR_P_EXIT = 28;
    public static final int SPAWN_REPLY_TT = 32;
    /** One past the highest tag: the size of a dispatch table indexed by tag. */
    public static final int TAGS = 37;
    public static final int UNLINK_ID = 35;
    public static final int UNLINK_ID_ACK = 36;

    /** SPAWN_REPLY flags: what was set up with the new process. */
    public static final int SPAWN_REPLY_LINKED = 1;
    public static final int SPAWN_REPLY_MONITORED = 2;

    private Control() {
    }

    /** {@code {EXIT, FromPid, ToPid, Reason}}: a link broke. */
    public static OtpErlangTuple exit(OtpErlangObject from, OtpErlangObject to, OtpErlangObject reason) {
        return Terms.tuple(tag(EXIT), from, to, reason);
    }

    /** {@code {PAYLOAD_EXIT, FromPid, ToPid}}; the reason follows as the payload. */
    public static OtpErlangTuple payloadExit(OtpErlangObject from, OtpErlangObject to) {
        return Terms.tuple(tag(PAYLOAD_EXIT), from, to);
    }

    /** {@code {PAYLOAD_MONITOR_P_EXIT, FromProc, ToPid, Ref}}; the reason follows as the payload. */
    static void writePayloadMonitorExit(TermEncoder out, OtpErlangObject from, OtpErlangPid to, OtpErlangRef ref) {
        out.writeTupleHeader(4);
        out.writeInteger(PAYLOAD_MONITOR_P_EXIT);
        if (from instanceof OtpErlangPid) {
            out.writePid((OtpErlangPid) from);
        } else {
            out.writeTerm(from);
        }
        out.writePid(to);
        out.writeRef(ref);
    }

    /** {@code {MONITOR_P, FromPid, ToProc, Ref}}. */
    public static OtpErlangTuple monitor(OtpErlangObject from, OtpErlangObject to, OtpErlangObject ref) {
        return Terms.tuple(tag(MONITOR_P), from, to, ref);
    }

    /** {@code {DEMONITOR_P, FromPid, ToProc, Ref}}. */
    public static OtpErlangTuple demonitor(OtpErlangObject from, OtpErlangObject to, OtpErlangObject ref) {
        return Terms.tuple(tag(DEMONITOR_P), from, to, ref);
    }

    /** {@code {MONITOR_P_EXIT, FromProc, ToPid, Ref, Reason}}: a monitored process is gone. */
    public static OtpErlangTuple monitorExit(OtpErlangObject from, OtpErlangObject to, OtpErlangObject ref,
                                      OtpErlangObject reason) {
        return Terms.tuple(tag(MONITOR_P_EXIT), from, to, ref, reason);
    }

    /** {@code {SPAWN_REPLY, ReqId, To, Flags, Result}}: a pid, or the error atom with flags 0. */
    static void writeSpawnReply(TermEncoder out, OtpErlangRef reqId, OtpErlangPid to, int flags,
                                OtpErlangObject result) {
        out.writeTupleHeader(5);
        out.writeInteger(SPAWN_REPLY);
        out.writeRef(reqId);
        out.writePid(to);
        out.writeInteger(flags);
        if (result instanceof OtpErlangPid) {
            out.writePid((OtpErlangPid) result);
        } else {
            out.writeTerm(result);
        }
    }

    /** {@code {REG_SEND, FromPid, Unused, ToName}}; the message follows the tuple. */
    public static OtpErlangTuple regSend(OtpErlangObject from, OtpErlangObject toName) {
        return Terms.tuple(tag(REG_SEND), from, Terms.atom(""), toName);
    }

    /** {@code {LINK, FromPid, ToPid}}. */
    public static OtpErlangTuple link(OtpErlangObject from, OtpErlangObject to) {
        return Terms.tuple(tag(LINK), from, to);
    }

    /** {@code {SEND, Unused, ToPid}}; the message follows the tuple. */
    public static OtpErlangTuple send(OtpErlangObject to) {
        return Terms.tuple(tag(SEND), Terms.atom(""), to);
    }

    /** {@code {UNLINK_ID_ACK, Id, FromPid, ToPid}}. */
    public static OtpErlangTuple unlinkIdAck(OtpErlangObject id, OtpErlangObject from, OtpErlangObject to) {
        return Terms.tuple(tag(UNLINK_ID_ACK), id, from, to);
    }

    private static OtpErlangLong tag(int tag) {
        return Terms.integer(tag);
    }
}
