package jinet.epmd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides where the node's EPMD comes from (see {@link EpmdMode}): an EPMD that already
 * answers on the port, Erlang's {@code epmd -daemon} started as erl starts it, or one served from this JVM
 * ({@link EpmdServer}).
 */
public final class EpmdLauncher {
    private static final Logger log = LoggerFactory.getLogger(EpmdLauncher.class);
    private static final int DEFAULT_PORT = 4369;

    /** What {@link #ensure} sets up; closing it stops the embedded EPMD if one was started, else does nothing. */
    public interface Handle extends AutoCloseable {
        /** The port the EPMD answers on. */
        int port();

        /** Whether this JVM serves it (and closing the handle ends it). */
        boolean embedded();

        @Override
        void close();
    }

    private EpmdLauncher() {
    }

    /** ERL_EPMD_PORT, else 4369, as erl and epmd read it. */
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

    /** Makes sure an EPMD answers on {@link #port()}, as {@code mode} says. */
    public static Handle ensure(EpmdMode mode) throws IOException, InterruptedException {
        return ensure(mode, port());
    }

    /**
     * Makes sure an EPMD answers on {@code port}, as {@code mode} says. An embedded one listens where epmd
     * would: on all interfaces, or on the addresses in ERL_EPMD_ADDRESS and loopback.
     *
     * @throws IOException when no EPMD can be had that way
     */
    public static Handle ensure(EpmdMode mode, int port) throws IOException, InterruptedException {
        switch (mode) {
            case EXTERNAL:
                return external(port);
            case EMBEDDED:
                return embedded(port);
            case AUTO:
                return auto(port);
            default:
                throw new IllegalArgumentException(String.valueOf(mode));
        }
    }

    private static Handle external(int port) throws IOException, InterruptedException {
        if (probe(port) != Probe.NOTHING) {
            log.debug("an EPMD answers on port {}", port);
            return none(port);
        }
        log.info("no EPMD on port {}; starting epmd -daemon", port);
        Process p;
        try {
            p = new ProcessBuilder("epmd", "-port", Integer.toString(port), "-daemon")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("no EPMD answers on port " + port
                    + " and epmd could not be started (is Erlang installed? run bin/setup): " + e.getMessage(), e);
        }
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        p.waitFor();
        for (int i = 0; i < 100; i++) {
            if (probe(port) != Probe.NOTHING) {
                return none(port);
            }
            Thread.sleep(50);
        }
        throw new IOException("epmd -daemon started but nothing answers on port " + port);
    }

    private static Handle embedded(int port) throws IOException {
        try {
            return serve(port);
        } catch (BindException e) {
            String what = probe(port) == Probe.EPMD ? "an EPMD already runs there" : "the port is taken";
            throw new IOException("cannot serve EPMD on port " + port + ": " + what
                    + " (the external or auto EPMD mode would use it)", e);
        }
    }

    private static Handle auto(int port) throws IOException {
        switch (probe(port)) {
            case EPMD:
                log.info("using the EPMD that answers on port {}", port);
                return none(port);
            case OTHER:
                throw new IOException("port " + port + " is taken by something that does not answer as an EPMD");
            default:
                break;
        }
        try {
            return serve(port);
        } catch (BindException e) {
            if (probe(port) == Probe.EPMD) { // one started meanwhile
                log.info("using the EPMD that answers on port {}", port);
                return none(port);
            }
            throw new IOException("cannot serve EPMD on port " + port + ": the port is taken", e);
        }
    }

    private static Handle serve(int port) throws IOException {
        EpmdServer server = EpmdServer.start(port, addresses(), EpmdServer.DEFAULT_MAX_CONNECTIONS);
        return new Handle() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public boolean embedded() {
                return true;
            }

            @Override
            public void close() {
                server.close();
            }

            @Override
            public String toString() {
                return "embedded EPMD on port " + server.port();
            }
        };
    }

    private static Handle none(int port) {
        return new Handle() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public boolean embedded() {
                return false;
            }

            @Override
            public void close() {
                // not ours to stop
            }

            @Override
            public String toString() {
                return "EPMD on port " + port;
            }
        };
    }

    /** ERL_EPMD_ADDRESS as epmd reads it: addresses separated by commas or blanks; none means all interfaces. */
    static List<InetAddress> addresses() throws UnknownHostException {
        List<InetAddress> out = new ArrayList<>();
        String env = System.getenv("ERL_EPMD_ADDRESS");
        if (env != null) {
            for (String token : env.split("[, ]+")) {
                if (token.isEmpty()) {
                    continue;
                }
                // Literals only, as epmd's inet_pton: no name is looked up.
                if (!token.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !token.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
                    throw new UnknownHostException("ERL_EPMD_ADDRESS: cannot parse IP address \"" + token + "\"");
                }
                out.add(InetAddress.getByName(token));
            }
        }
        return out;
    }

    private enum Probe {
        NOTHING, EPMD, OTHER
    }

    /** Who listens on the loopback port: nothing, an EPMD (it answers NAMES_REQ), or something else. */
    private static Probe probe(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            s.setSoTimeout(1000);
            try {
                s.getOutputStream().write(new byte[] {0, 1, 110});
                InputStream in = s.getInputStream();
                return in.readNBytes(4).length == 4 ? Probe.EPMD : Probe.OTHER;
            } catch (IOException e) {
                return Probe.OTHER;
            }
        } catch (IOException e) {
            return Probe.NOTHING;
        }
    }
}
