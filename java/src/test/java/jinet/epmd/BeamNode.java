package jinet.epmd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A BEAM node started by a test, registered with the EPMD on a given port (never starting an epmd of its
 * own), that evaluates the Erlang expressions written to it and prints each result on one line.
 */
final class BeamNode implements AutoCloseable {
    private static final String PREFIX = "=> ";
    /** Put in the queue when the node's output ends: no more answers will come. */
    private static final String GONE = new String("gone");
    private static final String DRIVER = String.join("\n",
            "Print = fun(T) -> io:format(\"=> ~s~n\", [io_lib:print(T, 1, 1000000, -1)]) end,",
            "Loop = fun L() ->",
            "  case io:get_line(\"\") of",
            "    eof -> halt();",
            "    Line ->",
            "      R = try",
            "            {ok, Ts, _} = erl_scan:string(Line),",
            "            {ok, Es} = erl_parse:parse_exprs(Ts),",
            "            {value, V, _} = erl_eval:exprs(Es, []),",
            "            V",
            "          catch C:E -> {C, E} end,",
            "      Print(R),",
            "      L()",
            "  end",
            "end,",
            "Print(node()),",
            "Loop().");

    final String node;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> results = new LinkedBlockingQueue<>();
    private final List<String> output = new ArrayList<>();

    private BeamNode(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::pump, "beam-output");
        reader.setDaemon(true);
        reader.start();
        String first;
        try {
            first = results.poll(30, TimeUnit.SECONDS);
            if (first == GONE) {
                first = null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            first = null;
        }
        node = first;
    }

    /** {@code erl -sname NAME -setcookie COOKIE -start_epmd false} with ERL_EPMD_PORT=epmdPort. */
    static BeamNode start(String sname, String cookie, int epmdPort) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("erl", "-sname", sname, "-setcookie", cookie,
                "-start_epmd", "false", "-noshell", "-eval", DRIVER)
                .redirectErrorStream(true);
        pb.environment().put("ERL_EPMD_PORT", Integer.toString(epmdPort));
        pb.environment().remove("ERL_FLAGS");
        pb.environment().remove("ERL_AFLAGS");
        pb.environment().remove("ERL_ZFLAGS");
        BeamNode n = new BeamNode(pb.start());
        if (n.node == null) {
            String out = n.output();
            n.close();
            throw new IOException("erl -sname " + sname + " did not start: " + out);
        }
        return n;
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (output) {
                    output.add(line);
                }
                if (line.startsWith(PREFIX)) {
                    results.add(line.substring(PREFIX.length()));
                }
            }
        } catch (IOException e) {
            // the node is gone
        } finally {
            results.add(GONE);
        }
    }

    /** Evaluates {@code expr} (without the final dot) on the node, the result as {@code io_lib:print} gives it. */
    String eval(String expr) throws IOException, InterruptedException {
        stdin.write(expr.replace('\n', ' ') + ".\n");
        stdin.flush();
        String r = results.poll(20, TimeUnit.SECONDS);
        if (r == null || r == GONE) {
            if (r == GONE) {
                results.add(GONE);
            }
            throw new IOException("no answer from " + node + " to " + expr + "; output: " + output());
        }
        return r;
    }

    boolean alive() {
        return process.isAlive();
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stdin.close();
        } catch (IOException e) {
            // gone already
        }
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
