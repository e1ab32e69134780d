package jinet.epmd;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Erlang's {@code epmd -port P}, in the foreground, as a child of the test; never the one on 4369. */
final class RealEpmd implements AutoCloseable {
    final int port;
    private final Process process;

    private RealEpmd(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** Whether an {@code epmd} executable is on the PATH. */
    static boolean available() {
        return executable("epmd");
    }

    static boolean executable(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    static RealEpmd start(int port) throws IOException, InterruptedException {
        if (port == 4369) {
            throw new IllegalArgumentException("never the system's EPMD port");
        }
        ProcessBuilder pb = new ProcessBuilder("epmd", "-port", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // Without -relaxed_command_check, whatever the environment says.
        pb.environment().remove("ERL_EPMD_RELAXED_COMMAND_CHECK");
        pb.environment().remove("ERL_EPMD_ADDRESS");
        Process p = pb.start();
        RealEpmd epmd = new RealEpmd(port, p);
        try {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (true) {
                try (Socket s = Wire.connect(port)) {
                    return epmd;
                } catch (IOException e) {
                    if (!p.isAlive() || System.nanoTime() > deadline) {
                        throw new IOException("epmd -port " + port + " did not start (exit "
                                + (p.isAlive() ? "none" : p.exitValue()) + ")");
                    }
                    Thread.sleep(20);
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            epmd.close();
            throw e;
        }
    }

    boolean exited(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    /** Ends exactly this process. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
