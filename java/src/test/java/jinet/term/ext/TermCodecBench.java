package jinet.term.ext;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpInputStream;
import com.ericsson.otp.erlang.OtpOutputStream;
import java.lang.management.ManagementFactory;

/**
 * Decode plus encode of a typical rpc request and reply, this codec against JInterface's
 * streams: nanoseconds and bytes allocated per round trip. Not a test; run its main:
 * java -cp target/classes:target/test-classes:/usr/share/java/OtpErlang.jar jinet.term.ext.TermCodecBench
 */
public final class TermCodecBench {
    interface Op {
        void run() throws Exception;
    }

    static OtpErlangTuple t(OtpErlangObject... e) {
        return new OtpErlangTuple(e);
    }

    static OtpErlangAtom a(String s) {
        return new OtpErlangAtom(s);
    }

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 2;
        OtpErlangPid pid = new OtpErlangPid("beam@host", 90, 0, 1718000000);
        OtpErlangRef ref = new OtpErlangRef("beam@host", new int[] {167321, 1290043393, 2113929}, 1718000000);
        OtpErlangObject request = t(a("$gen_call"),
                t(pid, new OtpErlangList(new OtpErlangObject[] {a("alias")}, ref)),
                t(a("call"), a("inet"), a("parse_address"),
                        new OtpErlangList(new OtpErlangString("192.168.42.2")), pid));
        OtpErlangObject reply = t(ref, a("return"), t(a("ok"), t(new OtpErlangLong(192), new OtpErlangLong(168),
                new OtpErlangLong(42), new OtpErlangLong(2))));
        for (OtpErlangObject term : new OtpErlangObject[] {request, reply}) {
            TermEncoder e0 = new TermEncoder();
            e0.writeVersionedTerm(term);
            byte[] bytes = e0.toByteArray();
            System.out.println(term + " (" + bytes.length + " bytes)");

            TermDecoder dec = new TermDecoder(bytes);
            TermEncoder enc = new TermEncoder();
            Op ours = () -> {
                dec.reset(bytes, 0, bytes.length);
                OtpErlangObject o = dec.readVersionedTerm();
                enc.reset();
                enc.writeVersionedTerm(o);
            };
            Op oursFresh = () -> {
                OtpErlangObject o = new TermDecoder(bytes).readVersionedTerm();
                TermEncoder e = new TermEncoder();
                e.writeVersionedTerm(o);
            };
            Op jinterface = () -> {
                OtpErlangObject o = new OtpInputStream(bytes).read_any();
                OtpOutputStream os = new OtpOutputStream();
                os.write1(131);
                os.write_any(o);
            };
            measure("  jinet.term.ext (reused decoder/encoder)", ours, seconds);
            if (Boolean.getBoolean("bench.split")) {
                OtpErlangObject decoded = new TermDecoder(bytes).readVersionedTerm();
                measure("    decode only", () -> {
                    dec.reset(bytes, 0, bytes.length);
                    dec.readVersionedTerm();
                }, seconds);
                measure("    encode only", () -> {
                    enc.reset();
                    enc.writeVersionedTerm(decoded);
                }, seconds);
                measure("    JInterface decode only", () -> new OtpInputStream(bytes).read_any(), seconds);
            }
            measure("  jinet.term.ext (fresh decoder/encoder) ", oursFresh, seconds);
            measure("  JInterface OtpInputStream/OtpOutputStream", jinterface, seconds);
        }
    }

    static void measure(String name, Op op, long seconds) throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) { // warm up
            for (int i = 0; i < 1000; i++) {
                op.run();
            }
        }
        long best = Long.MAX_VALUE;
        long allocPerOp = 0;
        for (int round = 0; round < 5; round++) {
            int n = 200_000;
            long a0 = mx.getThreadAllocatedBytes(tid);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                op.run();
            }
            long t1 = System.nanoTime();
            long a1 = mx.getThreadAllocatedBytes(tid);
            best = Math.min(best, (t1 - t0) / n);
            allocPerOp = (a1 - a0) / n;
        }
        System.out.printf("%s: %5d ns/op, %5d bytes allocated/op%n", name, best, allocPerOp);
    }
}
