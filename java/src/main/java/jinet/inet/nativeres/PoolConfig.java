package jinet.inet.nativeres;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The settings BEAM's native resolver takes when it starts: inet_gethost_native reads the kernel
 * parameters {@code gethost_poolsize} (default 4), {@code gethost_prioritize} ({@code false}
 * adds {@code -ng}) and {@code gethost_extra_args} (split at spaces) into the port program's
 * command line, and its request timeout is four times inet_db's resolver timeout (2000 ms by
 * default). The command line is then read as inet_gethost's main() reads it.
 */
public final class PoolConfig {
    /** inet_db's default {@code timeout} resolver option, in milliseconds. */
    public static final long DEFAULT_RESOLVER_TIMEOUT_MILLIS = 2000;
    private static final int DEFAULT_POOLSIZE = 4;

    final int workers;
    final int greedyThreshold;
    final long requestTimeoutMillis;

    private PoolConfig(int workers, int greedyThreshold, long requestTimeoutMillis) {
        this.workers = workers;
        this.greedyThreshold = greedyThreshold;
        this.requestTimeoutMillis = requestTimeoutMillis;
    }

    /** A node started with no such kernel parameters. */
    public static PoolConfig defaults() {
        return fromKernelEnv(Map.of(), DEFAULT_RESOLVER_TIMEOUT_MILLIS);
    }

    /**
     * @param kernelEnv the kernel application's parameters by key, as terms (absent keys unset)
     * @param resolverTimeoutMillis inet_db's {@code timeout} option when the resolver starts
     */
    public static PoolConfig fromKernelEnv(Map<String, OtpErlangObject> kernelEnv, long resolverTimeoutMillis) {
        List<String> args = new ArrayList<>();
        OtpErlangObject poolsize = kernelEnv.get("gethost_poolsize");
        args.add(poolsize instanceof OtpErlangLong
                ? ((OtpErlangLong) poolsize).bigIntegerValue().toString()
                : Integer.toString(DEFAULT_POOLSIZE));
        OtpErlangObject prioritize = kernelEnv.get("gethost_prioritize");
        if (prioritize instanceof OtpErlangAtom && ((OtpErlangAtom) prioritize).atomValue().equals("false")) {
            args.add("-ng");
        }
        String extra = flatString(kernelEnv.get("gethost_extra_args"));
        if (extra != null) {
            for (String token : extra.split(" ")) {
                if (!token.isEmpty()) {
                    args.add(token);
                }
            }
        }
        return fromPortArgs(args, resolverTimeoutMillis * 4);
    }

    /** inet_gethost's main(): unknown or zero values are reported and otherwise ignored. */
    static PoolConfig fromPortArgs(List<String> args, long requestTimeoutMillis) {
        int workers = 1;
        int greedy = 0;
        boolean disableGreedy = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-d")) {
                continue;
            }
            if (a.equals("-g") && i + 1 < args.size()) {
                int x = atoi(args.get(++i));
                if (x != 0) {
                    greedy = x;
                }
            } else if (a.equals("-ng")) {
                disableGreedy = true;
            } else {
                int x = atoi(a);
                if (x != 0) {
                    workers = x;
                }
            }
        }
        if (greedy == 0) {
            greedy = 3 * workers / 4;
            if (greedy == 0) {
                greedy = workers;
            }
        }
        if (disableGreedy) {
            greedy = workers + 1;
        }
        return new PoolConfig(workers, greedy, requestTimeoutMillis);
    }

    /**
     * A pool of no workers at all: with a negative size the port program cannot allocate its
     * tables and exits at once, every time it is restarted, so nothing is ever answered.
     */
    boolean broken() {
        return workers < 0;
    }

    /** C's atoi as glibc has it: strtol, clamped to long, then cut to int. */
    static int atoi(String s) {
        int i = 0;
        while (i < s.length() && " \t\n\u000b\f\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        BigInteger v = BigInteger.ZERO;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = v.multiply(BigInteger.TEN).add(BigInteger.valueOf(s.charAt(i) - '0'));
            i++;
        }
        if (negative) {
            v = v.negate();
        }
        long l = v.max(BigInteger.valueOf(Long.MIN_VALUE)).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
        return (int) l;
    }

    /** A proper list of characters as a string; null for anything else. */
    private static String flatString(OtpErlangObject t) {
        if (t instanceof OtpErlangString) {
            return ((OtpErlangString) t).stringValue();
        }
        if (!(t instanceof OtpErlangList) || !((OtpErlangList) t).isProper()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (OtpErlangObject e : ((OtpErlangList) t).elements()) {
            if (!(e instanceof OtpErlangLong) || !((OtpErlangLong) e).isLong()) {
                return null;
            }
            long c = ((OtpErlangLong) e).longValue();
            if (c < 0 || c > Character.MAX_CODE_POINT) {
                return null;
            }
            sb.appendCodePoint((int) c);
        }
        return sb.toString();
    }

    public int workers() {
        return workers;
    }

    public long requestTimeoutMillis() {
        return requestTimeoutMillis;
    }

    @Override
    public String toString() {
        return "PoolConfig[workers=" + workers + ", greedyThreshold=" + greedyThreshold
                + ", requestTimeoutMillis=" + requestTimeoutMillis + "]";
    }
}
