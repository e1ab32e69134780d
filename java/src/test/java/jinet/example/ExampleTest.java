package jinet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import jinet.JinetNode;
import jinet.dist.NodeName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's example, called from {@code erl}: {@link Example} runs in this JVM on a random
 * name, registered with an {@code epmd} of the test's own on a free port; {@code erl} loads
 * {@code demo.erl} (the same functions in Erlang) on a BEAM peer, calls both nodes through
 * {@code rpc:call} and {@code erpc:call}, and every answer, badarg and badarith included, must be
 * the peer's.
 */
class ExampleTest {
    private static final String RESOURCES = "/jinet/example/";
    private static final int CALLS = 15;
    private static final int PATHS = 2;

    @TempDir
    Path dir;

    @Test
    void erlCallsTheExampleAsItCallsTheSameModuleOnBeam() throws Exception {
        assumeTrue(onPath("erl") && onPath("erlc") && onPath("epmd"), "erl, erlc or epmd not on PATH");
        for (String f : List.of("demo.erl", "demo_client.erl")) {
            try (InputStream in = ExampleTest.class.getResourceAsStream(RESOURCES + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        run(60, List.of("erlc", "-o", dir.toString(), dir.resolve("demo.erl").toString(),
                dir.resolve("demo_client.erl").toString()), null);

        int port = freePort();
        Process epmd = new ProcessBuilder("epmd", "-port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            waitForPort(port, epmd);
            String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(1_000_000));
            String cookie = "example" + suffix;
            try (JinetNode node = Example.start(JinetNode.options(
                    NodeName.shortName("demo_java_" + suffix), cookie).epmdPort(port))) {
                String eval = "try demo_client:main('" + node.name() + "', \"" + dir + "\"), halt(0) "
                        + "catch C:R:S -> io:format(\"crash ~p~n\", [{C, R, S}]), halt(1) end.";
                List<String> out = run(120, List.of("erl", "-sname", "demo_erl_" + suffix, "-setcookie", cookie,
                        "-noshell", "-pa", dir.toString(), "-eval", eval), Integer.toString(port));
                String all = String.join("\n", out);
                List<String> rows = out.stream().filter(l -> l.startsWith("same ") || l.startsWith("differ ")).toList();
                assertEquals(CALLS * PATHS, rows.size(), all);
                assertTrue(rows.stream().allMatch(l -> l.startsWith("same ")), all);
                assertTrue(out.contains("undef_on_beam 0"), all);
                assertTrue(out.contains("done"), all);
            }
        } finally {
            epmd.destroy();
            if (!epmd.waitFor(5, TimeUnit.SECONDS)) {
                epmd.destroyForcibly();
            }
        }
    }

    /** Runs a command (ERL_EPMD_PORT set when epmdPort is not null); its output lines; fails unless it exits 0. */
    private static List<String> run(int seconds, List<String> command, String epmdPort)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("ERL_FLAGS");
        pb.environment().remove("ERL_AFLAGS");
        pb.environment().remove("ERL_ZFLAGS");
        if (epmdPort != null) {
            pb.environment().put("ERL_EPMD_PORT", epmdPort);
        }
        Path log = Files.createTempFile("example", ".out");
        try {
            pb.redirectOutput(log.toFile());
            Process p = pb.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IOException(command.get(0) + " timed out: " + Files.readString(log));
            }
            List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
            assertEquals(0, p.exitValue(), command.get(0) + " failed: " + String.join("\n", lines));
            return lines;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port, Process epmd) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (!epmd.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("epmd -port " + port + " did not start");
                }
                Thread.sleep(20);
            }
        }
    }

    private static boolean onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return true;
            }
        }
        return false;
    }
}
