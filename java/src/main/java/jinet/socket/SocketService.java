package jinet.socket;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import jinet.call.GenServer;
import jinet.dist.DistTransport;
import jinet.node.LocalProcess;
import jinet.node.Node;
import jinet.term.ErlangException;
import jinet.term.Exporter;
import jinet.term.Terms;

/**
 * The node's socket service: the registered process {@code jinet_sockets} that makes sockets
 * for jinet's Erlang socket modules (connect, listen), on the node's I/O threads, and the
 * registry of the sockets that are open, for the inet functions served on them by rpc.
 */
public final class SocketService implements GenServer.Callbacks {
    public static final String NAME = "jinet_sockets";
    static final OtpErlangObject BADARG = Terms.tuple(Terms.atom("$jinet_exit"), Terms.atom("badarg"));

    private static final SockOpt NODELAY = new SockOpt(SockOpt.IPPROTO_TCP, 1);
    private static final SockOpt REUSEADDR = new SockOpt(SockOpt.SOL_SOCKET, 2);

    private final Node node;
    private final EventLoopGroup group;
    private final boolean epoll;
    private final Map<OtpErlangPid, SocketProcess> open = new ConcurrentHashMap<>();

    private SocketService(Node node, DistTransport transport) {
        this.node = node;
        this.group = transport.ioGroup();
        this.epoll = transport.isNative();
    }

    /** Starts the service on {@code node} and exports inet's socket functions for its sockets. */
    public static SocketService start(Node node, Exporter exports) {
        SocketService s = new SocketService(node, node.transport());
        node.register(NAME, new GenServer(s));
        SocketModule.exportTo(exports, s);
        return s;
    }

    Node node() {
        return node;
    }

    void opened(SocketProcess s) {
        open.put(s.self.pid(), s);
    }

    void closed(SocketProcess s) {
        open.remove(s.self.pid());
    }

    Collection<SocketProcess> sockets() {
        return open.values();
    }

    /** How many sockets are open: a leak check for tests. */
    public int openCount() {
        return open.size();
    }

    // ---- making sockets ----------------------------------------------------------------------

    @Override
    public void handleCall(LocalProcess self, OtpErlangObject request, OtpErlangPid from,
                           Consumer<OtpErlangObject> reply) {
        try {
            OtpErlangTuple r = (OtpErlangTuple) request;
            OtpErlangAtom module = (OtpErlangAtom) r.elementAt(0);
            OtpErlangTuple what = (OtpErlangTuple) r.elementAt(1);
            String kind = ((OtpErlangAtom) what.elementAt(0)).atomValue();
            String family = ((OtpErlangAtom) what.elementAt(1)).atomValue();
            if (family.equals("local") && !epoll) {
                reply.accept(Terms.error("eafnosupport"));
                return;
            }
            switch (kind) {
                case "connect":
                    connect(module, family, what.elementAt(2), what.elementAt(3), what.elementAt(4),
                            what.elementAt(5), from, reply);
                    return;
                case "listen":
                    listen(module, family, what.elementAt(2), what.elementAt(3), from, reply);
                    return;
                case "open":
                    open(module, family, what.elementAt(2), what.elementAt(3), from, reply);
                    return;
                default:
                    reply.accept(BADARG);
            }
        } catch (ClassCastException | IndexOutOfBoundsException e) {
            reply.accept(BADARG);
        } catch (RuntimeException e) {
            // socket(2) itself failed: out of descriptors (emfile, enfile), an unsupported family
            reply.accept(Terms.error(Posix.reason(e)));
        }
    }

    /** What the create options say beyond the option table: the local address, the backlog. */
    private static final class Setup {
        final String family;
        SocketAddress local;
        InetAddress ip;
        int port;

        Setup(String family) {
            this.family = family;
        }

        /** Where the socket binds before it connects or listens; null when it need not. */
        SocketAddress bindAddress(int portArg) {
            if (family.equals("local")) {
                return local;
            }
            int p = portArg > 0 ? portArg : port;
            if (ip == null && p == 0 && portArg < 0) {
                return null;
            }
            return new InetSocketAddress(ip != null ? ip : Addresses.fromTerm(Terms.atom("any"), family), Math.max(p, 0));
        }

        int backlog = 5;
        /** Not badarg but this answer, when set. */
        OtpErlangObject failure;
        final List<Object[]> options = new ArrayList<>();
    }

    /** Reads create options as inet's con_opt/list_opt do; null (badarg) for one that is not valid. */
    private static Setup setup(OtpErlangObject opts, String family, int scope) {
        OtpErlangObject[] items = Terms.properListElements(opts);
        if (items == null) {
            return null;
        }
        Setup s = new Setup(family);
        List<OtpErlangObject> rest = new ArrayList<>();
        for (OtpErlangObject item : items) {
            OtpErlangTuple t = item instanceof OtpErlangTuple && ((OtpErlangTuple) item).arity() == 2
                    ? (OtpErlangTuple) item : null;
            String key = t != null && t.elementAt(0) instanceof OtpErlangAtom
                    ? ((OtpErlangAtom) t.elementAt(0)).atomValue() : "";
            switch (key) {
                case "ip":
                case "ifaddr":
                    if (family.equals("local")) {
                        s.local = Addresses.local(t.elementAt(1));
                        if (s.local == null) {
                            return null;
                        }
                        break;
                    }
                    s.ip = Addresses.fromTerm(t.elementAt(1), family);
                    if (s.ip == null) {
                        return null;
                    }
                    if (t.elementAt(1) instanceof OtpErlangMap && Addresses.port(t.elementAt(1)) >= 0) {
                        s.port = Addresses.port(t.elementAt(1));
                    }
                    break;
                case "port":
                    if (!SocketOption.isIntIn(t.elementAt(1), 0, 65535)) {
                        return null;
                    }
                    s.port = SocketOption.integer(t.elementAt(1));
                    break;
                case "backlog":
                    if (!(t.elementAt(1) instanceof OtpErlangLong)) {
                        s.failure = SocketProcess.FUNCTION_CLAUSE; // prim_inet has no clause for it
                        return s;
                    }
                    if ((scope & SocketOption.LISTEN) == 0
                            || !SocketOption.isIntIn(t.elementAt(1), Integer.MIN_VALUE, Integer.MAX_VALUE)) {
                        return null;
                    }
                    s.backlog = SocketOption.integer(t.elementAt(1));
                    break;
                default:
                    rest.add(item);
            }
        }
        List<Object[]> parsed = SocketProcess.parse(new com.ericsson.otp.erlang.OtpErlangList(
                rest.toArray(new OtpErlangObject[0])), scope);
        if (parsed == null) {
            return null;
        }
        s.options.addAll(parsed);
        return s;
    }

    private static SocketProtocolFamily protocolFamily(String family) {
        return family.equals("inet6") ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
    }

    private Channel newChannel(String family) {
        if (family.equals("local")) {
            return new EpollDomainSocketChannel();
        }
        if (epoll) {
            return new EpollSocketChannel(protocolFamily(family));
        }
        return new NioSocketChannel();
    }

    private ServerChannel newServerChannel(String family) {
        if (family.equals("local")) {
            return new EpollServerDomainSocketChannel();
        }
        if (epoll) {
            return new EpollServerSocketChannel(protocolFamily(family));
        }
        return new NioServerSocketChannel();
    }

    private void connect(OtpErlangAtom module, String family, OtpErlangObject address, OtpErlangObject port,
                         OtpErlangObject opts, OtpErlangObject timeout, OtpErlangPid owner,
                         Consumer<OtpErlangObject> reply) {
        SocketAddress remote = remote(family, address, port);
        Setup setup = setup(opts, family, SocketOption.CONNECT);
        if (setup != null && setup.failure != null) {
            reply.accept(setup.failure);
            return;
        }
        if (remote == null || setup == null
                || !(Terms.isAtom(timeout, "infinity") || SocketOption.isIntIn(timeout, 0, Integer.MAX_VALUE))) {
            reply.accept(BADARG);
            return;
        }
        EventLoop loop = group.next();
        Channel ch = newChannel(family);
        TcpSocket socket = new TcpSocket(this, loop, module);
        int ms = timeout instanceof OtpErlangLong ? SocketOption.integer(timeout) : 0;
        prepare(loop, ch, socket, setup, setup.bindAddress(-1), reply, () -> {
            ch.config().setOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, ms);
            ch.connect(remote).addListener(guarded(reply, (ChannelFutureListener) c -> {
                if (!c.isSuccess()) {
                    ch.close();
                    reply.accept(Terms.error(ms > 0 && c.cause() instanceof io.netty.channel.ConnectTimeoutException
                            ? "timeout" : Posix.reason(c.cause())));
                    return;
                }
                socket.start(owner);
                socket.attach(ch);
                reply.accept(Terms.ok(socket.term));
            }));
        });
    }

    /**
     * What every new socket goes through on its I/O thread: the channel registered, the create
     * options set, the local address bound (when there is one); then {@code bound} runs. A
     * failure on the way answers the caller with the kernel's error and closes the channel.
     */
    private static void prepare(EventLoop loop, Channel ch, SocketProcess socket, Setup setup, SocketAddress local,
                                Consumer<OtpErlangObject> reply, Runnable bound) {
        loop.register(ch).addListener(guarded(reply, (ChannelFutureListener) reg -> {
            if (!reg.isSuccess()) {
                reply.accept(Terms.error(Posix.reason(reg.cause())));
                return;
            }
            String failed = configure(socket, ch, setup);
            if (failed == null && pathTaken(local)) {
                failed = "eaddrinuse";
            }
            if (failed != null) {
                ch.close();
                reply.accept(Terms.error(failed));
                return;
            }
            ChannelFuture binding = local != null ? ch.bind(local) : ch.newSucceededFuture();
            binding.addListener(guarded(reply, (ChannelFutureListener) b -> {
                if (!b.isSuccess()) {
                    ch.close();
                    reply.accept(Terms.error(Posix.reason(b.cause())));
                    return;
                }
                bound.run();
            }));
        }));
    }

    /**
     * A local socket's path that is already there: bind(2) refuses it (EADDRINUSE), but Netty
     * removes the file first, so the check is made here.
     */
    private static boolean pathTaken(SocketAddress a) {
        return a instanceof io.netty.channel.unix.DomainSocketAddress && java.nio.file.Files.exists(
                java.nio.file.Path.of(((io.netty.channel.unix.DomainSocketAddress) a).path()),
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /** Where a connect goes: an address and port, a sockaddr map, or {@code {local, Path}}. */
    private static SocketAddress remote(String family, OtpErlangObject address, OtpErlangObject port) {
        if (family.equals("local")) {
            return Addresses.local(address);
        }
        InetAddress ip = Addresses.fromTerm(address, family);
        int p = address instanceof OtpErlangMap ? Addresses.port(address)
                : SocketOption.isIntIn(port, 0, 65535) ? SocketOption.integer(port) : -1;
        return ip == null || p < 0 ? null : new InetSocketAddress(ip, p);
    }

    /**
     * A listener whose failure answers the caller (and closes the channel) instead of leaving it
     * waiting: a socket being made has no process yet that could end instead.
     */
    private static ChannelFutureListener guarded(Consumer<OtpErlangObject> reply, ChannelFutureListener body) {
        return f -> {
            try {
                body.operationComplete(f);
            } catch (RuntimeException e) {
                f.channel().close();
                reply.accept(Terms.error(Posix.reason(e)));
            }
        };
    }

    /** Applies the create options to a registered channel; the reason when the kernel refuses one. */
    private static String configure(SocketProcess socket, Channel ch, Setup setup) {
        try {
            socket.bindChannel(ch);
            if (ch instanceof io.netty.channel.socket.DuplexChannel) {
                ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            }
            ch.config().setAutoRead(false);
            // The kernel's defaults, as BEAM's sockets start with them: Netty turns on TCP_NODELAY
            // for new connections and SO_REUSEADDR for listeners
            if (ch instanceof io.netty.channel.socket.SocketChannel) {
                NODELAY.set(ch, 0);
            }
            if (ch instanceof ServerChannel && !(ch instanceof io.netty.channel.unix.ServerDomainSocketChannel)) {
                REUSEADDR.set(ch, 0);
            }
            if (ch instanceof ServerChannel) {
                ch.config().setOption(ChannelOption.SO_BACKLOG, setup.backlog); // taken at bind
            }
            for (Object[] o : setup.options) {
                SocketOption opt = (SocketOption) o[0];
                opt.set.accept(socket, (OtpErlangObject) o[1]);
            }
            return null;
        } catch (RuntimeException e) {
            return Posix.reason(e);
        }
    }

    private void listen(OtpErlangAtom module, String family, OtpErlangObject port, OtpErlangObject opts,
                        OtpErlangPid owner, Consumer<OtpErlangObject> reply) {
        Setup setup = setup(opts, family, SocketOption.LISTEN);
        if (setup != null && setup.failure != null) {
            reply.accept(setup.failure);
            return;
        }
        if (setup == null || !SocketOption.isIntIn(port, 0, 65535)) {
            reply.accept(BADARG);
            return;
        }
        SocketAddress local = setup.bindAddress(SocketOption.integer(port));
        if (local == null) {
            reply.accept(BADARG);
            return;
        }
        EventLoop loop = group.next();
        ServerChannel ch = newServerChannel(family);
        TcpListener listener = new TcpListener(this, loop, module, ch);
        prepare(loop, ch, listener, setup, local, reply, () -> {
            listener.start(owner);
            listener.listening();
            reply.accept(Terms.ok(listener.term));
        });
    }

    private void open(OtpErlangAtom module, String family, OtpErlangObject port, OtpErlangObject opts,
                      OtpErlangPid owner, Consumer<OtpErlangObject> reply) {
        Setup setup = setup(opts, family, SocketOption.UDP);
        if (setup != null && family.equals("inet") && setup.options.stream()
                .noneMatch(o -> ((SocketOption) o[0]).name.equals("recbuf"))) {
            // inet_udp opens with {recbuf, 8192} unless given one (and buffer follows it)
            setup.options.add(0, new Object[] {SocketOption.named("recbuf"), new OtpErlangLong(8192)});
        }
        if (setup == null || !SocketOption.isIntIn(port, 0, 65535)) {
            reply.accept(BADARG);
            return;
        }
        SocketAddress local = setup.bindAddress(SocketOption.integer(port));
        EventLoop loop = group.next();
        Channel ch = family.equals("local") ? new EpollDomainDatagramChannel()
                : epoll ? new EpollDatagramChannel(protocolFamily(family)) : new NioDatagramChannel();
        UdpSocket socket = new UdpSocket(this, loop, module, family);
        prepare(loop, ch, socket, setup, local, reply, () -> {
            socket.start(owner);
            socket.attach();
            reply.accept(Terms.ok(socket.term));
        });
    }

    /** A connection {@code listener} accepted, for {@code caller}: a socket of its own, on an I/O thread of its own. */
    void adopt(TcpListener listener, Channel child, OtpErlangPid caller, Consumer<OtpErlangObject> reply) {
        EventLoop loop = group.next();
        TcpSocket socket = new TcpSocket(this, loop, listener.module);
        socket.keepAll(listener);
        loop.register(child).addListener(guarded(reply, (ChannelFutureListener) reg -> {
            if (!reg.isSuccess()) {
                child.unsafe().closeForcibly();
                reply.accept(Terms.error(Posix.reason(reg.cause())));
                return;
            }
            socket.bindChannel(child);
            child.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            if (child instanceof io.netty.channel.socket.SocketChannel) {
                // what the kernel would have inherited from the listener, had Netty not set it
                Integer nodelay = NODELAY.get(listener.channel());
                NODELAY.set(child, nodelay == null ? 0 : nodelay);
            }
            socket.start(caller);
            socket.attach(child);
            reply.accept(Terms.ok(socket.term));
        }));
    }

    // ---- requests from rpc -------------------------------------------------------------------

    /**
     * A request to socket {@code s} from a function served by rpc: it runs in the socket's turn
     * and this waits for the answer. Null when {@code s} is not an open socket of this node.
     */
    OtpErlangObject request(OtpErlangObject s, OtpErlangObject request, OtpErlangPid caller)
            throws ErlangException {
        SocketProcess p = socketOf(s);
        if (p == null) {
            return null;
        }
        CompletableFuture<OtpErlangObject> answer = new CompletableFuture<>();
        p.loop.execute(() -> {
            if (p.closed) {
                answer.complete(null);
            } else {
                p.handleCall(p.self, request, caller, answer::complete);
            }
        });
        try {
            OtpErlangObject a = answer.get();
            if (a instanceof OtpErlangTuple && ((OtpErlangTuple) a).arity() == 2
                    && Terms.isAtom(((OtpErlangTuple) a).elementAt(0), "$jinet_exit")) {
                throw ErlangException.exit(((OtpErlangTuple) a).elementAt(1));
            }
            return a;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }

    /** The process of a socket term {@code {'$inet', Module, Pid}}, or null when it is not one. */
    static OtpErlangPid pidOf(OtpErlangObject s) {
        if (s instanceof OtpErlangTuple && ((OtpErlangTuple) s).arity() == 3
                && Terms.isAtom(((OtpErlangTuple) s).elementAt(0), "$inet")
                && ((OtpErlangTuple) s).elementAt(2) instanceof OtpErlangPid) {
            return (OtpErlangPid) ((OtpErlangTuple) s).elementAt(2);
        }
        return null;
    }

    /** The open socket of this node that {@code s} names, or null. */
    SocketProcess socketOf(OtpErlangObject s) {
        OtpErlangPid pid = pidOf(s);
        return pid == null ? null : open.get(pid);
    }
}
