package jinet;

import com.ericsson.otp.erlang.OtpErlangObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jinet.dist.CookieFile;
import jinet.dist.DistConfig;
import jinet.dist.NodeName;
import jinet.dist.tls.TlsDistConfig;
import jinet.dist.tls.TlsDistConfigException;
import jinet.dist.tls.TlsSecurity;
import jinet.epmd.EpmdLauncher;
import jinet.inet.FunctionClauseException;
import jinet.inet.InetModule;
import jinet.socket.SocketService;
import jinet.inet.nativeres.NativeResolver;
import jinet.inet.nativeres.PoolConfig;
import jinet.inet.resolver.InetConfig;
import jinet.inet.resolver.Resolver;
import jinet.inet.resolver.ResolverModule;
import jinet.term.AtomIndices;
import jinet.term.ErlangException;
import jinet.term.TermReader;
import jinet.term.Terms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code bin/jinet}: starts a node that serves inet, prints one "ready" line, stops on SIGTERM. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("jinet: " + e.getMessage());
            System.err.println("usage: bin/jinet (-sname NAME | -name NAME[@HOST]) [-setcookie COOKIE]"
                    + " [-epmd external|embedded|auto] [-kernel KEY VALUE]...");
            System.exit(2);
            return;
        }
        try {
            run(options);
        } catch (IllegalArgumentException e) {
            System.err.println("jinet: " + e.getMessage());
            System.exit(2);
        } catch (CookieFile.Refused e) {
            // erl's words, in its error report's form, and its exit status.
            System.err.printf("=ERROR REPORT==== %s ===%n%s%n",
                    java.time.format.DateTimeFormatter.ofPattern("d-MMM-yyyy::HH:mm:ss.SSSSSS", java.util.Locale.ROOT)
                            .format(java.time.LocalDateTime.now()),
                    e.getMessage());
            System.err.flush();
            System.exit(1);
        } catch (Exception e) {
            log.error("jinet could not start: {}", e.getMessage());
            System.exit(1);
        }
    }

    private static void run(Options options) throws Exception {
        for (String ignored : options.ignored) {
            log.warn("ignoring unknown argument {}", ignored);
        }
        // A distribution protocol jinet does not run is refused, never replaced by plain TCP in silence
        TlsDistConfig tls;
        try {
            tls = TlsDistConfig.fromCommandLine(options.protoDist);
        } catch (TlsDistConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        tls.warnings().forEach(w -> log.warn(w));
        String name = options.shortName != null
                ? NodeName.shortName(options.shortName)
                : NodeName.longName(options.longName);
        String cookie = options.cookie != null
                ? options.cookie
                : CookieFile.find(System.getenv());

        // inet_config's work (files, a host lookup through libc) starts once the node is ready: on two
        // cores it competed with the node's own start; calls that need it wait for it
        CompletableFuture<Resolver> resolver = new CompletableFuture<>();
        EpmdLauncher.Handle epmd = EpmdLauncher.ensure(options.epmd);
        JinetNode node = JinetNode.start(JinetNode.options(name, cookie).epmdPort(epmd.port())
                .dist(distConfig(options)).security(tls.enabled() ? new TlsSecurity(tls) : null));
        // inet is one client of the runtime, exported through the same API as any library's functions
        InetModule.exportTo(node);
        ResolverModule.exportTo(node, resolver::join);
        SocketService.start(node.runtime(), node);

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping {}", node.name());
            node.close();
            epmd.close();
        }, "shutdown"));
        exitZeroOnSigterm();

        log.info("node {} registered with {}", node.name(), epmd);
        System.out.println("jinet " + node.name() + " ready");
        System.out.flush();
        startResolverAsync(options, resolver);
        // Every runtime thread is a daemon; the node lives until a signal ends the JVM.
        new CountDownLatch(1).await();
    }

    /**
     * BEAM treats SIGTERM as init:stop() and exits with 0; the JVM would exit with 143.
     * The shutdown hook still runs, as for any System.exit.
     */
    @SuppressWarnings("restriction")
    private static void exitZeroOnSigterm() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> System.exit(0));
        } catch (IllegalArgumentException | LinkageError e) {
            log.debug("SIGTERM stays the JVM's default: {}", e.toString());
        }
    }

    /** Builds the inet configuration on a thread of its own, completing {@code resolver} with it. */
    private static void startResolverAsync(Options options, CompletableFuture<Resolver> resolver) {
        Thread t = new Thread(() -> {
            try {
                resolver.complete(startResolver(options));
            } catch (Throwable e) {
                resolver.completeExceptionally(e);
            }
        }, "inet-config");
        t.setDaemon(true);
        t.start();
    }

    /** The inet configuration, built as BEAM's inet_config builds it from the same inputs. */
    private static Resolver startResolver(Options options) {
        Map<String, OtpErlangObject> kernel = new HashMap<>();
        Optional<String> inetrc = Optional.empty();
        for (Options.KernelParameter p : options.kernel()) {
            if (p.key.equals("inetrc")) {
                inetrc = Optional.of(p.value);
            }
            try {
                kernel.put(p.key, TermReader.parse(p.value));
            } catch (TermReader.SyntaxException e) {
                log.warn("kernel parameter {} is not a term: {}", p.key, e.getMessage());
            }
        }
        // BEAM orders get_rc's hosts by its atom table; learn this installation's indices
        AtomIndices.probeOnFirstUse(List.of("inet", "inet6", "in"));
        NativeResolver nativeResolver = NativeResolver.get();
        nativeResolver.configure(PoolConfig.fromKernelEnv(kernel, PoolConfig.DEFAULT_RESOLVER_TIMEOUT_MILLIS));
        Resolver resolver = InetConfig.start(
                options.longName != null ? InetConfig.DistMode.LONGNAMES : InetConfig.DistMode.SHORTNAMES,
                inetrc, System.getenv(), new Resolver.NativeLookup() {
                    @Override
                    public OtpErlangObject gethostbyname(OtpErlangObject name, OtpErlangObject type) {
                        return nativeResolver.gethostbyname(name, type);
                    }

                    @Override
                    public OtpErlangObject gethostbyaddr(OtpErlangObject addr) throws ErlangException {
                        try {
                            return nativeResolver.gethostbyaddr(addr);
                        } catch (FunctionClauseException e) {
                            throw ErlangException.error(Terms.atom("function_clause"));
                        }
                    }
                });
        // inet_gethost_native's request timeout is four times the resolver's
        nativeResolver.configure(PoolConfig.fromKernelEnv(kernel, resolver.db().timeout()));
        return resolver;
    }

    /** {@code -kernel net_ticktime T} and {@code -kernel net_setuptime S}, with erl's defaults. */
    private static DistConfig distConfig(Options options) {
        long tick = 60;
        double setup = 7;
        for (Options.KernelParameter p : options.kernel()) {
            try {
                if (p.key.equals("net_ticktime")) {
                    tick = Long.parseLong(p.value.trim());
                } else if (p.key.equals("net_setuptime")) {
                    setup = Double.parseDouble(p.value.trim());
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-kernel " + p.key + " takes a number, not " + p.value);
            }
        }
        if (tick <= 0) {
            throw new IllegalArgumentException("-kernel net_ticktime must be a positive integer");
        }
        return DistConfig.of(tick, setup);
    }
}
