package jinet.dist;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import jinet.epmd.EpmdClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distribution transport: the listening socket, outgoing connections (EPMD lookup, then the
 * handshake as initiator), the registry of established connections by node name, and the event
 * loops that run them. It knows nothing of processes: it hands control messages to its
 * {@link DistListener}.
 */
public final class DistTransport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DistTransport.class);

    /** How an acceptor answers a {@code send_name}. */
    enum Admission { OK, OK_SIMULTANEOUS, ALIVE, NOK }

    /** Puts TLS in front of the handshake; null for plain TCP. */
    public interface Security {
        ChannelHandler serverHandler(Channel channel);

        ChannelHandler clientHandler(Channel channel, String host, int port);
    }

    private final NodeIdentity self;
    private final DistConfig config;
    private final DistListener listener;
    private final EpmdClient epmd;
    private final Security security;
    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> serverChannelClass;
    private final Class<? extends Channel> channelClass;
    private final ExecutorService lookups;
    private final Map<String, DistConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<DistConnection>> dialing = new ConcurrentHashMap<>();
    /**
     * Nodes whose connection to this one is in its handshake here, as net_kernel's pending
     * entries: a send to such a node waits for that connection instead of dialling a second one,
     * which would race it and drop one of the two.
     */
    private final Map<String, Boolean> inbound = new ConcurrentHashMap<>();
    /**
     * Nodes this one told "ok_simultaneous": the peer's attempt wins, so this node's own attempt
     * is dropped, as net_kernel kills its pending setup; the dial's future completes with the
     * peer's connection.
     */
    private final Set<String> yieldedDials = ConcurrentHashMap.newKeySet();
    private final Map<String, Channel> dialledChannels = new ConcurrentHashMap<>();
    /** Connects that wait on an inbound handshake and dial only if it fails. */
    private final Map<String, CompletableFuture<DistConnection>> awaitingInbound = new ConcurrentHashMap<>();
    /** Held while admit decides on a send_name, and while a dial looks for an inbound handshake. */
    private final Object admissions = new Object();
    private final AtomicInteger pendingHandshakes = new AtomicInteger();
    private final AtomicLong logBudgetSecond = new AtomicLong();
    private final AtomicInteger logBudget = new AtomicInteger();
    private volatile Channel serverChannel;

    public DistTransport(NodeIdentity self, DistConfig config, DistListener listener, EpmdClient epmd,
                         Security security, int ioThreads) {
        this.self = self;
        this.config = config;
        this.listener = listener;
        this.epmd = epmd;
        this.security = security;
        ThreadFactory io = daemonThreads("jinet-io-");
        IoHandlerFactory handlers;
        if (Epoll.isAvailable()) {
            handlers = EpollIoHandler.newFactory(0, SpinThenWait.factory(config.spinNanos));
            serverChannelClass = EpollServerSocketChannel.class;
            channelClass = EpollSocketChannel.class;
        } else {
            log.debug("epoll unavailable ({}); using NIO", Epoll.unavailabilityCause().toString());
            handlers = NioIoHandler.newFactory(SelectorProvider.provider(), SpinThenWait.factory(config.spinNanos));
            serverChannelClass = NioServerSocketChannel.class;
            channelClass = NioSocketChannel.class;
        }
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, io, handlers);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemonThreads("jinet-dial-"));
        pool.allowCoreThreadTimeOut(true);
        this.lookups = pool;
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The I/O threads, which the node's other channels (its sockets) share: no thread per socket. */
    public EventLoopGroup ioGroup() {
        return group;
    }

    /** True when the I/O threads run Linux's epoll, false when they fell back to NIO. */
    public boolean isNative() {
        return channelClass == EpollSocketChannel.class;
    }

    DistConfig config() {
        return config;
    }

    DistListener listener() {
        return listener;
    }

    /** Listens on {@code port} (0: any) on all addresses, as erl does; returns the port. */
    public int listen(int port) throws IOException {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(serverChannelClass)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.writeLowWaterMark, config.writeHighWaterMark))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (pendingHandshakes.incrementAndGet() > config.maxPendingHandshakes) {
                            pendingHandshakes.decrementAndGet();
                            logLimited("", "too many connections in their handshake; closing a new one");
                            ch.close();
                            return;
                        }
                        if (security != null) {
                            ch.pipeline().addLast("tls", security.serverHandler(ch));
                        }
                        ch.pipeline().addLast("handshake", new Handshake(DistTransport.this, self, null, handshakeLength()));
                    }
                });
        try {
            serverChannel = b.bind(new InetSocketAddress(port)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding", e);
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    private int handshakeLength() {
        return security == null ? 2 : 4;
    }

    /** The connection to {@code node} if one is up, else null. */
    public DistConnection connection(String node) {
        DistConnection c = connections.get(node);
        return c != null && c.isOpen() ? c : null;
    }

    /**
     * The connection to {@code node}, set up if there is none: as BEAM does on a send to a node it
     * is not connected to. Fails when the node cannot be reached within {@code net_setuptime}.
     */
    public CompletableFuture<DistConnection> connect(String node) {
        DistConnection c = connection(node);
        if (c != null) {
            return CompletableFuture.completedFuture(c);
        }
        if (!Handshake.validNodeName(node) || node.equals(self.name()) || serverChannel == null) {
            return CompletableFuture.failedFuture(new IOException("cannot connect to " + node));
        }
        return dialing.computeIfAbsent(node, n -> {
            CompletableFuture<DistConnection> f = new CompletableFuture<>();
            lookups.execute(() -> dial(n, f));
            group.next().schedule(() -> failDial(n, f, new IOException("not connected within net_setuptime")),
                    config.setupTimeMillis, TimeUnit.MILLISECONDS);
            return f;
        });
    }

    private void dial(String node, CompletableFuture<DistConnection> f) {
        // Inbound first, then the registry: handshakeEnded registers a connection before it
        // forgets the inbound handshake, so one of the two looks always sees it. The look at
        // inbound and admit's look at dialing exclude each other: else a send_name admitted as
        // plain "ok" (no dial yet) and a dial that missed it (not yet admitted) both go on, and
        // two connections come up where the peer keeps one.
        boolean awaiting;
        synchronized (admissions) {
            awaiting = inbound.containsKey(node);
            if (awaiting) {
                awaitingInbound.put(node, f);
            }
        }
        if (awaiting && (inbound.containsKey(node) || !awaitingInbound.remove(node, f))) {
            return; // handshakeEnded takes it from here
        }
        DistConnection up = connection(node);
        if (up != null) {
            if (dialing.remove(node, f)) {
                f.complete(up);
            }
            return;
        }
        String host = node.substring(node.indexOf('@') + 1);
        String alive = node.substring(0, node.indexOf('@'));
        try {
            InetAddress address = InetAddress.getByName(host);
            EpmdClient.PortInfo info = epmd.lookup(address, alive);
            if (info == null) {
                throw new IOException("EPMD on " + host + " does not know " + alive);
            }
            Bootstrap b = new Bootstrap().group(group).channel(channelClass)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.setupTimeMillis)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(config.writeLowWaterMark, config.writeHighWaterMark))
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            if (security != null) {
                                ch.pipeline().addLast("tls", security.clientHandler(ch, host, info.port));
                            }
                            ch.pipeline().addLast("handshake", new Handshake(DistTransport.this, self, node, handshakeLength()));
                        }
                    });
            if (yieldedDials.contains(node)) {
                return;
            }
            ChannelFuture cf = b.connect(address, info.port);
            dialledChannels.put(node, cf.channel());
            if (yieldedDials.contains(node)) {
                cf.channel().close();
            }
            Channel ch = cf.channel();
            cf.addListener(done -> {
                // A connect this node gave up for the peer's own attempt (closed while pending, taken
                // out of dialledChannels by admit) has not failed: the peer's connection completes the dial
                if (!done.isSuccess() && !yieldedDials.contains(node) && dialledChannels.get(node) == ch) {
                    failDial(node, f, done.cause());
                }
            });
        } catch (IOException | RuntimeException e) {
            failDial(node, f, e);
        }
    }

    private void failDial(String node, CompletableFuture<DistConnection> f, Throwable cause) {
        awaitingInbound.remove(node, f);
        yieldedDials.remove(node);
        if (dialing.remove(node, f)) {
            log.debug("could not connect to {}: {}", node, cause.toString());
            f.completeExceptionally(cause);
        }
    }

    // ---- what handshakes report ----------------------------------------------------------------

    Admission admit(String peer, String selfName) {
        synchronized (admissions) {
            return admitLocked(peer, selfName);
        }
    }

    private Admission admitLocked(String peer, String selfName) {
        Admission a;
        if (connection(peer) != null) {
            a = Admission.ALIVE;
        } else if (dialing.containsKey(peer) && !awaitingInbound.containsKey(peer)) {
            // Both sides are connecting: the node with the greater name keeps its own attempt.
            a = selfName.compareTo(peer) > 0 ? Admission.NOK : Admission.OK_SIMULTANEOUS;
        } else {
            a = Admission.OK;
        }
        if (a != Admission.NOK) {
            inbound.put(peer, Boolean.TRUE);
        }
        if (a == Admission.OK_SIMULTANEOUS) {
            yieldedDials.add(peer);
            Channel own = dialledChannels.remove(peer);
            if (own != null && own.pipeline().get(Handshake.class) != null) {
                own.close(); // still in its handshake; an established one is never touched here
            }
        }
        return a;
    }

    /** The peer says its old connection to this node is dead (after "alive"): drop ours. */
    void dropConnection(String peer) {
        DistConnection old = connections.remove(peer);
        if (old != null) {
            old.close();
            listener.disconnected(old);
        }
    }

    void installConnection(ChannelHandlerContext ctx, DistConnection conn) {
        ctx.pipeline().addAfter(ctx.name(), "conn", conn);
        ctx.pipeline().addAfter(ctx.name(), "frames",
                new LengthFieldBasedFrameDecoder(config.maxFrameBytes, 0, 4, 0, 4));
    }

    /**
     * Called once per handshake, with the connection when it succeeded; {@code peer} is the node
     * an initiator dialled or an acceptor admitted, else null.
     */
    void handshakeEnded(boolean initiator, String peer, DistConnection conn, boolean yielded) {
        if (initiator && peer != null) {
            dialledChannels.remove(peer);
            yielded |= yieldedDials.remove(peer) && conn == null;
        }
        if (conn != null) {
            log.debug("connection to {} up, {}", conn.peer(), initiator ? "dialled" : "accepted");
            DistConnection previous = connections.put(conn.peer(), conn);
            if (previous != null && previous != conn) {
                log.debug("a second connection to {} replaces the first", conn.peer());
                previous.close();
                listener.disconnected(previous);
            }
            listener.connected(conn);
            CompletableFuture<DistConnection> f = dialing.remove(conn.peer());
            if (f != null) {
                f.complete(conn);
            }
            yieldedDials.remove(conn.peer());
        } else if (initiator && !yielded) {
            CompletableFuture<DistConnection> f = dialing.get(peer);
            if (f != null) {
                failDial(peer, f, new IOException("handshake with " + peer + " failed"));
            }
        }
        if (!initiator) {
            pendingHandshakes.decrementAndGet();
            if (peer != null) {
                inbound.remove(peer);
                CompletableFuture<DistConnection> waiting = awaitingInbound.remove(peer);
                if (waiting != null) {
                    lookups.execute(() -> dial(peer, waiting)); // finds the connection, or dials after all
                }
            }
        }
    }

    void connectionClosed(DistConnection conn) {
        if (connections.remove(conn.peer(), conn)) {
            listener.disconnected(conn);
        }
    }

    /**
     * Logs what a peer makes happen at most a few times a second, whatever it sends: a peer must
     * not be able to fill the node's log.
     */
    void logLimited(String peer, String message) {
        long second = System.nanoTime() / 1_000_000_000L;
        if (logBudgetSecond.getAndSet(second) != second) {
            int suppressed = 10 - logBudget.getAndSet(10);
            if (suppressed > 10) {
                log.warn("{} more such messages suppressed", suppressed - 10);
            }
        }
        if (logBudget.decrementAndGet() >= 0) {
            log.warn(message);
        }
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
        }
        for (DistConnection c : List.copyOf(connections.values())) {
            c.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        lookups.shutdownNow();
    }
}
