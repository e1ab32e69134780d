package jinet;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import jinet.call.Exports;
import jinet.call.GenServer;
import jinet.call.NetAdm;
import jinet.call.NetKernel;
import jinet.call.NodeModule;
import jinet.call.RexServer;
import jinet.call.SpawnService;
import jinet.dist.DistConfig;
import jinet.dist.DistTransport;
import jinet.dist.NodeIdentity;
import jinet.epmd.EpmdClient;
import jinet.node.LocalProcess;
import jinet.node.Node;
import jinet.node.ProcessHandler;
import jinet.term.ErlFunction;
import jinet.term.Exporter;

/**
 * A jinet node as a library: start it, export Java functions as Erlang modules (callable with
 * {@code rpc:call}/{@code erpc} from any OTP node), spawn processes, send, monitor, link, ping.
 *
 * <pre>{@code
 * JinetNode node = JinetNode.start(JinetNode.options("demo@localhost", "secret"));
 * node.export("my_mod", "add", 2, args -> new OtpErlangLong(...));
 * }</pre>
 */
public final class JinetNode implements AutoCloseable, Exporter {
    /** How to start a node; everything but the name and cookie has erl's default. */
    public static final class Options {
        final String name;
        final String cookie;
        int epmdPort = defaultEpmdPort();
        DistConfig dist = DistConfig.defaults();
        DistTransport.Security security;
        int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        int schedulers = Math.max(1, Runtime.getRuntime().availableProcessors());

        Options(String name, String cookie) {
            this.name = name;
            this.cookie = cookie;
        }

        public Options epmdPort(int port) {
            this.epmdPort = port;
            return this;
        }

        public Options dist(DistConfig config) {
            this.dist = config;
            return this;
        }

        /** TLS for every connection, as {@code -proto_dist inet_tls}; null for plain TCP. */
        public Options security(DistTransport.Security s) {
            this.security = s;
            return this;
        }
    }

    private final Node node;
    private final DistTransport transport;
    private final EpmdClient.Registration registration;
    private final Exports exports;

    private JinetNode(Node node, DistTransport transport, EpmdClient.Registration registration, Exports exports) {
        this.node = node;
        this.transport = transport;
        this.registration = registration;
        this.exports = exports;
    }

    /** Options for a node with this full name ({@code name@host}) and cookie. */
    public static Options options(String fullName, String cookie) {
        return new Options(fullName, cookie);
    }

    /**
     * Listens, registers with EPMD (failing when the name is taken, as erl does) and starts the
     * node's own servers: {@code net_kernel} (for ping), {@code rex} (rpc), the spawn service
     * (erpc), and the {@code jinet_node} and {@code net_adm:ping/1} functions.
     */
    public static JinetNode start(Options o) throws IOException {
        NodeIdentity identity = new NodeIdentity(o.name, o.cookie);
        Exports exports = new Exports();
        Node node = new Node(identity, new SpawnService(exports), o.schedulers);
        EpmdClient epmd = new EpmdClient(o.epmdPort);
        DistTransport transport = new DistTransport(identity, o.dist, node, epmd, o.security, o.ioThreads);
        node.attach(transport);
        EpmdClient.Registration registration;
        try {
            int port = transport.listen(0);
            registration = epmd.register(identity.alive(), port);
        } catch (IOException | RuntimeException e) {
            transport.close();
            node.close();
            throw e;
        }
        identity.setCreation(registration.creation());
        node.register("net_kernel", new GenServer(new NetKernel()));
        node.register("rex", new GenServer(new RexServer(exports)));
        NodeModule.exportTo(exports, node);
        NetAdm.exportTo(exports, node);
        return new JinetNode(node, transport, registration, exports);
    }

    private static int defaultEpmdPort() {
        String env = System.getenv("ERL_EPMD_PORT");
        try {
            return env != null ? Integer.parseInt(env.trim()) : 4369;
        } catch (NumberFormatException e) {
            return 4369;
        }
    }

    public String name() {
        return node.name();
    }

    /** Exports {@code module:function/arity}; it must compute and return without waiting. */
    @Override
    public void export(String module, String function, int arity, ErlFunction f) {
        exports.export(module, function, arity, f);
    }

    /** Exports a function that may wait (I/O, locks, other nodes); it runs off the I/O threads. */
    @Override
    public void exportBlocking(String module, String function, int arity, ErlFunction f) {
        exports.exportBlocking(module, function, arity, f);
    }

    public LocalProcess spawn(ProcessHandler handler) {
        return node.spawn(handler);
    }

    public LocalProcess register(String name, ProcessHandler handler) {
        return node.register(name, handler);
    }

    /** {@code net_adm:ping(Node) =:= pong}; blocks for at most about {@code net_setuptime}. */
    public boolean ping(String other) {
        return NetAdm.ping(node, other);
    }

    /** Connects to {@code other} if not connected; true once a connection is up. */
    public boolean connect(String other) {
        try {
            transport.connect(other).get();
            return true;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The process runtime, for what this facade does not cover. */
    public Node runtime() {
        return node;
    }

    /** Unregisters from EPMD, closes every connection and ends every process. */
    @Override
    public void close() {
        registration.close();
        transport.close();
        node.close();
    }
}
