package jinet.dist;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes sure an EPMD answers before the node registers, starting Erlang's {@code epmd -daemon} as erl does. */
public final class EpmdLauncher {
    private static final Logger log = LoggerFactory.getLogger(EpmdLauncher.class);
    private static final int DEFAULT_PORT = 4369;

    private EpmdLauncher() {
    }

    public static int port() {
        String env = System.getenv("ERL_EPMD_PORT");
        if (env != null && !env.isBlank()) {
            try {
                return Integer.parseInt(env.trim());
            } catch (NumberFormatException e) {
                log.warn("ignoring ERL_EPMD_PORT={}: not a number", env);
            }
        }
        return DEFAULT_PORT;
    }

    public static void ensureRunning() throws IOException, InterruptedException {
        int port = port();
        if (answers(port)) {
            return;
        }
        log.info("no EPMD on port {}; starting epmd -daemon", port);
        Process p;
        try {
            p = new ProcessBuilder("epmd", "-daemon").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("no EPMD answers on port " + port
                    + " and epmd could not be started (is Erlang installed? run bin/setup): " + e.getMessage(), e);
        }
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        p.waitFor();
        for (int i = 0; i < 100; i++) {
            if (answers(port)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IOException("epmd -daemon started but nothing answers on port " + port);
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
