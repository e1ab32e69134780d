package jinet.socket;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import jinet.term.Terms;

/**
 * The ten counters of {@code inet:getstat/1,2}, kept as the inet driver keeps them: per read
 * and per send; averages and the deviation as running means (checked against BEAM's figures
 * for reads of 10, 100, 7, 1000, 3 and 50 bytes).
 */
final class Stats {
    static final String[] NAMES = {"recv_oct", "recv_cnt", "recv_max", "recv_avg", "recv_dvi",
        "send_oct", "send_cnt", "send_max", "send_avg", "send_pend"};

    long recvOct;
    long recvCnt;
    long recvMax;
    double recvAvg;
    double recvDvi;
    long sendOct;
    long sendCnt;
    long sendMax;
    double sendAvg;
    long sendPend;

    void received(long n) {
        recvOct += n;
        recvCnt++;
        recvMax = Math.max(recvMax, n);
        recvAvg += (n - recvAvg) / recvCnt;
        // a running mean of the signed deviation from the running mean, shown as its magnitude
        recvDvi += ((n - recvAvg) - recvDvi) / recvCnt;
    }

    void sent(long n) {
        sendOct += n;
        sendCnt++;
        sendMax = Math.max(sendMax, n);
        sendAvg += (n - sendAvg) / sendCnt;
    }

    private long value(String name) {
        switch (name) {
            case "recv_oct": return recvOct;
            case "recv_cnt": return recvCnt;
            case "recv_max": return recvMax;
            case "recv_avg": return (long) recvAvg;
            case "recv_dvi": return (long) Math.abs(recvDvi);
            case "send_oct": return sendOct;
            case "send_cnt": return sendCnt;
            case "send_max": return sendMax;
            case "send_avg": return (long) sendAvg;
            case "send_pend": return sendPend;
            default: return -1;
        }
    }

    /** {@code getstat(S, Names)}: einval for a name that is not a counter. */
    OtpErlangObject get(OtpErlangObject names) {
        OtpErlangObject[] items = Terms.properListElements(names);
        if (items == null) {
            return SocketProcess.EINVAL;
        }
        OtpErlangObject[] out = new OtpErlangObject[items.length];
        for (int i = 0; i < items.length; i++) {
            long v = items[i] instanceof OtpErlangAtom ? value(((OtpErlangAtom) items[i]).atomValue()) : -1;
            if (v < 0) {
                return SocketProcess.EINVAL;
            }
            out[i] = Terms.tuple(items[i], new OtpErlangLong(v));
        }
        return Terms.ok(new OtpErlangList(out));
    }

    OtpErlangObject all() {
        OtpErlangObject[] out = new OtpErlangObject[NAMES.length];
        for (int i = 0; i < NAMES.length; i++) {
            out[i] = Terms.tuple(Terms.atom(NAMES[i]), new OtpErlangLong(value(NAMES[i])));
        }
        return Terms.ok(new OtpErlangList(out));
    }

    OtpErlangObject map() {
        OtpErlangObject[] keys = new OtpErlangObject[NAMES.length];
        OtpErlangObject[] values = new OtpErlangObject[NAMES.length];
        for (int i = 0; i < NAMES.length; i++) {
            keys[i] = Terms.atom(NAMES[i]);
            values[i] = new OtpErlangLong(value(NAMES[i]));
        }
        return new OtpErlangMap(keys, values);
    }
}
