package jinet.example;

import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import jinet.JinetNode;
import jinet.dist.NodeName;
import jinet.term.ErlangException;

/**
 * jinet as a library: a node that serves a module {@code demo} written in Java, the same as
 * this Erlang module (java/src/test/resources/jinet/example/demo.erl) on a BEAM node:
 *
 * <pre>
 * add(A, B) -&gt; A + B.
 * greet(Name) when is_binary(Name) -&gt; &lt;&lt;"Hello, ", Name/binary, "!"&gt;&gt;;
 * greet(_) -&gt; erlang:error(badarg).
 * </pre>
 *
 * Run it from the jar ({@code java -cp target/jinet.jar jinet.example.Example demo secret}),
 * then from any node with the same cookie: {@code rpc:call('demo@HOST', demo, add, [1, 2])}.
 */
public final class Example {
    private Example() {
    }

    /** Starts a node with these options and exports {@code demo:add/2} and {@code demo:greet/1}. */
    public static JinetNode start(JinetNode.Options options) throws IOException {
        JinetNode node = JinetNode.start(options);
        node.export("demo", "add", 2, args -> add(args[0], args[1]));
        node.export("demo", "greet", 1, args -> greet(args[0]));
        return node;
    }

    /** {@code A + B}: integers of any size and floats, else {@code error:badarith}, as BEAM. */
    static OtpErlangObject add(OtpErlangObject a, OtpErlangObject b) throws ErlangException {
        if (a instanceof OtpErlangLong && b instanceof OtpErlangLong) {
            return new OtpErlangLong(((OtpErlangLong) a).bigIntegerValue()
                    .add(((OtpErlangLong) b).bigIntegerValue()));
        }
        if (isNumber(a) && isNumber(b)) {
            double sum = toDouble(a) + toDouble(b);
            if (!Double.isFinite(sum)) {
                throw ErlangException.error("badarith");
            }
            return new OtpErlangDouble(sum);
        }
        throw ErlangException.error("badarith");
    }

    /** {@code <<"Hello, ", Name/binary, "!">>} for a binary, else {@code error:badarg}. */
    static OtpErlangObject greet(OtpErlangObject name) throws ErlangException {
        if (!(name instanceof OtpErlangBinary)) {
            throw ErlangException.error("badarg");
        }
        byte[] prefix = "Hello, ".getBytes(StandardCharsets.US_ASCII);
        byte[] middle = ((OtpErlangBinary) name).binaryValue();
        byte[] out = new byte[prefix.length + middle.length + 1];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(middle, 0, out, prefix.length, middle.length);
        out[out.length - 1] = '!';
        return new OtpErlangBinary(out);
    }

    private static boolean isNumber(OtpErlangObject t) {
        return t instanceof OtpErlangLong || t instanceof OtpErlangDouble;
    }

    /** As BEAM converts an integer operand to a float; one too large for a double is badarith. */
    private static double toDouble(OtpErlangObject t) throws ErlangException {
        if (t instanceof OtpErlangDouble) {
            return ((OtpErlangDouble) t).doubleValue();
        }
        BigInteger i = ((OtpErlangLong) t).bigIntegerValue();
        double d = i.doubleValue();
        if (!Double.isFinite(d)) {
            throw ErlangException.error("badarith");
        }
        return d;
    }

    /** {@code Example [NAME [COOKIE]]}: the node NAME@HOST (default demo), until it is stopped. */
    public static void main(String[] args) throws Exception {
        String name = NodeName.shortName(args.length > 0 ? args[0] : "demo");
        String cookie = args.length > 1 ? args[1] : "secret";
        JinetNode node = start(JinetNode.options(name, cookie));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }));
        System.out.println("demo node " + node.name() + " ready");
        stopped.await();
    }
}
