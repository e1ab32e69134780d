package jinet.socket;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import jinet.call.GenServer;
import jinet.node.LocalProcess;
import jinet.term.Terms;

/**
 * A socket as a process, as a port is one on BEAM: an owner it monitors (the owner's exit, or
 * its node's, closes the socket), a pid other processes send requests to, one I/O thread (its
 * channel's) on which its requests and its channel's events run in turn. What every kind of
 * socket answers the same way lives here; each kind adds its requests to the table.
 */
abstract class SocketProcess implements GenServer.Callbacks {
    static final OtpErlangAtom OK = Terms.OK;
    static final OtpErlangObject EINVAL = Terms.error("einval");
    static final OtpErlangObject CLOSED = Terms.error("closed");
    /** An error raised in the caller (a clause inet's own code has not for the arguments). */
    static final OtpErlangObject FUNCTION_CLAUSE = Terms.tuple(Terms.atom("$jinet_error"), Terms.atom("function_clause"));

    /** A request's handler: the socket, the request (an atom or a tuple), its caller, where the answer goes. */
    interface Request {
        void handle(SocketProcess socket, OtpErlangObject request, OtpErlangPid from, Consumer<OtpErlangObject> reply);
    }

    /** Element {@code i} of a tuple request. */
    static OtpErlangObject arg(OtpErlangObject request, int i) {
        return ((OtpErlangTuple) request).elementAt(i);
    }

    /**
     * The requests every socket answers, merged with a kind's own: one table per kind, shared
     * by its sockets (a socket costs its state, not its dispatch).
     */
    static Map<String, Request> requests(Map<String, Request> own) {
        Map<String, Request> m = new HashMap<>(COMMON);
        m.putAll(own);
        return Map.copyOf(m);
    }

    private static final Map<String, Request> COMMON = Map.ofEntries(
            Map.entry("setopts", (s, r, from, reply) -> reply.accept(s.setopts(arg(r, 1)))),
            Map.entry("getopts", (s, r, from, reply) -> reply.accept(s.getopts(arg(r, 1)))),
            Map.entry("getstat", (s, r, from, reply) -> {
                s.stats.sendPend = s.pendingOutput();
                reply.accept(r instanceof OtpErlangTuple ? s.stats.get(arg(r, 1)) : s.stats.all());
            }),
            Map.entry("peername", (s, r, from, reply) -> reply.accept(address(s.channel().remoteAddress(), "enotconn"))),
            Map.entry("sockname", (s, r, from, reply) -> reply.accept(address(s.channel().localAddress(), "einval"))),
            Map.entry("socknames", (s, r, from, reply) -> reply.accept(s.socknames())),
            Map.entry("port", (s, r, from, reply) -> reply.accept(s.port())),
            Map.entry("close", (s, r, from, reply) -> {
                s.close();
                reply.accept(OK);
            }),
            Map.entry("controlling_process", (s, r, from, reply) ->
                    reply.accept(s.controllingProcess(from, (OtpErlangPid) arg(r, 1), Terms.isAtom(arg(r, 2), "true")))),
            Map.entry("resume", (s, r, from, reply) -> {
                for (OtpErlangObject m : Terms.properListElements(arg(r, 1))) {
                    s.self.send(s.owner, m);
                }
                s.endHandover();
                reply.accept(OK);
            }),
            Map.entry("info", (s, r, from, reply) -> reply.accept(s.info())),
            Map.entry("which_packet_type", (s, r, from, reply) -> reply.accept(Terms.ok(Terms.atom("raw")))));

    /** This kind's request table (see {@link #requests}). */
    abstract Map<String, Request> requestTable();

    final SocketService service;
    final EventLoop loop;
    final OtpErlangAtom module;
    final int scope;
    LocalProcess self;
    OtpErlangTuple term;
    OtpErlangPid owner;
    private OtpErlangRef ownerMonitor;
    private OtpErlangRef handoverMonitor;
    /** The options this socket was given; the rest are the defaults, shared by all sockets. */
    private Map<String, OtpErlangObject> kept;
    final Stats stats = new Stats();
    /** Passive recvs waiting for data (a listener has none). */
    final Waiters recvs = new Waiters();
    boolean closed;
    /** Deliveries wait: the owner is handing the socket on. */
    boolean paused;
    private boolean waitingForOwner;
    /**
     * The descriptor is closed but the socket is not: what the inet driver leaves after a passive
     * socket has reported the peer's close with exit_on_close. Until the socket is closed, what
     * asks the descriptor is einval, and making it active delivers the close.
     */
    boolean fdClosed;
    private static final java.util.Set<String> ASKS_THE_DESCRIPTOR = java.util.Set.of("getopts",
            "peername", "sockname", "socknames", "port");
    /** Set while a request is handled: a process that ends in it ends after its answer. */
    private boolean inRequest;
    private boolean endAfterRequest;

    SocketProcess(SocketService service, EventLoop loop, OtpErlangAtom module, int scope) {
        this.service = service;
        this.loop = loop;
        this.module = module;
        this.scope = scope;
    }

    abstract Channel channel();

    /** The channel, before the socket starts: create options are set on it. */
    abstract void bindChannel(Channel ch);

    /** Closes the socket and ends its process; what is queued for the peer still goes out. */
    abstract void close();

    /** Hands on what can go on now (deliveries, answers to recvs), then reads more if that could go on too. */
    abstract void pump();

    /** The owner changes: deliveries wait until {@link #resumeDeliveries()}. */
    final void pauseDeliveries() {
        paused = true;
    }

    final void resumeDeliveries() {
        paused = false;
        pump();
    }

    /** Pumps again once the owner's connection drains: a slow owner stops the socket's reads. */
    final void waitForOwner() {
        if (!waitingForOwner) {
            waitingForOwner = true;
            service.node().whenWritable(owner.node(), () -> loop.execute(() -> {
                waitingForOwner = false;
                pump();
            }));
        }
    }

    /** An option that changes what the socket does (active, watermarks) was set. */
    final void optionsChanged() {
        if (isActive()) {
            recvs.answerAll(EINVAL); // a socket made active fails its waiting recvs, as inet's does
        }
        pump();
    }

    /** buffer changed: a datagram socket reads at most that much of a datagram. */
    void bufferChanged() {
    }

    void waterMarksChanged() {
        SocketOption.applyWaterMark(channel(), keptInt("low_watermark"), keptInt("high_watermark"));
    }

    // ---- delivery modes ----------------------------------------------------------------------

    /** The bytes of iodata to send, or null when it is not iodata. */
    static io.netty.buffer.ByteBuf bytes(OtpErlangObject data) {
        byte[] b = jinet.inet.IoData.bytes(data);
        return b == null ? null : io.netty.buffer.Unpooled.wrappedBuffer(b);
    }

    /** Received bytes as the socket's mode hands them on: a binary, or a list of bytes. */
    static OtpErlangObject data(io.netty.buffer.ByteBuf bytes, boolean binary) {
        byte[] b = io.netty.buffer.ByteBufUtil.getBytes(bytes);
        return binary ? new com.ericsson.otp.erlang.OtpErlangBinary(b)
                : new com.ericsson.otp.erlang.OtpErlangString(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    final boolean isActive() {
        OtpErlangObject a = kept("active");
        return !Terms.isAtom(a, "false") && !(a instanceof OtpErlangLong && ((OtpErlangLong) a).longValue() <= 0);
    }

    final boolean binary() {
        return Terms.isAtom(kept("mode"), "binary");
    }

    /**
     * One delivery made in active once or N mode: the count goes down, and at zero the socket
     * is passive; after N deliveries the owner is told with {@code {passiveTag, S}}.
     */
    /** {@code tcp_passive} or {@code udp_passive}. */
    abstract OtpErlangAtom passiveTag();

    final void countDelivery(OtpErlangAtom passiveTag) {
        OtpErlangObject a = kept("active");
        if (Terms.isAtom(a, "once")) {
            keep("active", Terms.FALSE);
        } else if (a instanceof OtpErlangLong) {
            long n = ((OtpErlangLong) a).longValue() - 1;
            keep("active", n <= 0 ? Terms.FALSE : new OtpErlangLong(n));
            if (n <= 0) {
                self.send(owner, Terms.tuple(passiveTag, term));
            }
        }
    }

    /** Starts the process for this socket, owned by {@code owner}; the socket's term names its pid. */
    final void start(OtpErlangPid owner) {
        self = service.node().spawn(new GenServer(this), loop);
        term = Terms.tuple(Terms.atom("$inet"), module, self.pid());
        this.owner = owner;
        ownerMonitor = self.monitor(owner);
        service.opened(this);
        announceMode();
    }

    /**
     * Ends the process: its monitors and the registry forget it. In the middle of a request the
     * end waits for the request's answer, or the caller's monitor would see the end first.
     */
    final void end() {
        if (inRequest) {
            endAfterRequest = true;
            return;
        }
        if (self != null) {
            service.closed(this);
            self.exit(Terms.atom("normal"));
        }
    }

    /**
     * Once the socket has its process: a socket made with an active count of zero or less is
     * passive from the start, and says so as setopts would.
     */
    private void announceMode() {
        OtpErlangObject a = kept("active");
        if (a instanceof OtpErlangLong && ((OtpErlangLong) a).longValue() <= 0) {
            keep("active", Terms.FALSE);
            self.send(owner, Terms.tuple(passiveTag(), term));
        }
    }

    @Override
    public final void handleCall(LocalProcess p, OtpErlangObject request, OtpErlangPid from,
                                 Consumer<OtpErlangObject> reply) {
        String tag = request instanceof OtpErlangAtom ? ((OtpErlangAtom) request).atomValue()
                : request instanceof OtpErlangTuple && ((OtpErlangTuple) request).arity() > 0
                        && ((OtpErlangTuple) request).elementAt(0) instanceof OtpErlangAtom
                        ? ((OtpErlangAtom) ((OtpErlangTuple) request).elementAt(0)).atomValue() : null;
        Request h = tag == null ? null : requestTable().get(tag);
        if (h == null) {
            reply.accept(SocketService.BADARG);
            return;
        }
        if (fdClosed && ASKS_THE_DESCRIPTOR.contains(tag)) {
            reply.accept(EINVAL);
            return;
        }
        inRequest = true;
        try {
            h.handle(this, request, from, reply);
        } catch (ClassCastException | IndexOutOfBoundsException e) {
            reply.accept(SocketService.BADARG); // a request of the wrong shape
        } catch (RuntimeException e) {
            reply.accept(Terms.error(Posix.reason(e))); // what the kernel refused (a setsockopt)
        } finally {
            inRequest = false;
        }
        if (endAfterRequest) {
            endAfterRequest = false;
            end();
        }
    }

    @Override
    public final void handleInfo(LocalProcess p, OtpErlangObject message) {
        // {'DOWN', Ref, process, Owner, Reason}: the owner's end is the socket's
        if (message instanceof OtpErlangTuple && ((OtpErlangTuple) message).arity() == 5
                && Terms.isAtom(((OtpErlangTuple) message).elementAt(0), "DOWN")
                && ((OtpErlangTuple) message).elementAt(1).equals(ownerMonitor)) {
            close();
        } else if (message instanceof OtpErlangTuple && ((OtpErlangTuple) message).arity() == 5
                && ((OtpErlangTuple) message).elementAt(1).equals(handoverMonitor)) {
            handoverMonitor = null;
            resumeDeliveries();
        }
    }

    // ---- ownership ---------------------------------------------------------------------------

    /**
     * The owner hands the socket on: deliveries pause until the old owner has passed on what it
     * already got (the resume request). Should it die first, its monitor resumes them.
     */
    private OtpErlangObject controllingProcess(OtpErlangPid from, OtpErlangPid newOwner, boolean alive) {
        if (!from.equals(owner)) {
            return Terms.error("not_owner");
        }
        if (!alive) {
            // inet made the port passive before port_connect failed, and leaves it so
            keep("active", Terms.FALSE);
            return Terms.error("badarg");
        }
        pauseDeliveries();
        if (handoverMonitor == null) {
            handoverMonitor = self.monitor(from);
        }
        if (!newOwner.equals(owner)) {
            self.demonitor(ownerMonitor);
            owner = newOwner;
            ownerMonitor = self.monitor(newOwner);
        }
        return OK;
    }

    private void endHandover() {
        if (handoverMonitor != null) {
            self.demonitor(handoverMonitor);
            handoverMonitor = null;
        }
        resumeDeliveries();
    }

    // ---- options -----------------------------------------------------------------------------

    final void keep(String name, OtpErlangObject value) {
        if (kept == null) {
            kept = new HashMap<>(4);
        }
        kept.put(name, value);
    }

    /** Every kept option of {@code other}: an accepted socket starts with its listener's. */
    final void keepAll(SocketProcess other) {
        if (other.kept != null) {
            kept = new HashMap<>(other.kept);
        }
    }

    /** Whether this socket was given the option (not only the default). */
    final boolean isKeptHere(String name) {
        return kept != null && kept.containsKey(name);
    }

    final boolean isKept(String name) {
        return kept != null && kept.containsKey(name) || SocketOption.DEFAULTS.containsKey(name);
    }

    final OtpErlangObject kept(String name) {
        OtpErlangObject v = kept == null ? null : kept.get(name);
        return v != null ? v : SocketOption.DEFAULTS.get(name);
    }

    final int keptInt(String name) {
        return SocketOption.integer(kept(name));
    }

    final boolean keptBool(String name) {
        return SocketOption.bool(kept(name));
    }

    /**
     * {@code inet:setopts/2}: every option checked before any is set, as prim_inet encodes the
     * whole list first. {@code {active, N}} adds N to the count, as the inet driver does.
     */
    final OtpErlangObject setopts(OtpErlangObject opts) {
        List<Object[]> parsed = parse(opts, scope);
        if (parsed == null) {
            return EINVAL;
        }
        for (Object[] p : parsed) {
            SocketOption o = (SocketOption) p[0];
            OtpErlangObject v = (OtpErlangObject) p[1];
            if (o.name.equals("active") && v instanceof OtpErlangLong) {
                v = addActive(v);
                if (v == null) {
                    return EINVAL;
                }
                if (((OtpErlangLong) v).longValue() == 0) {
                    // a count that reaches zero makes the socket passive and says so, as a delivery does
                    v = Terms.FALSE;
                    self.send(owner, Terms.tuple(passiveTag(), term));
                }
            }
            if (!fdClosed || isKept(o.name)) {
                o.set.accept(this, v);
            }
        }
        optionsChanged();
        return OK;
    }

    private OtpErlangObject addActive(OtpErlangObject n) {
        OtpErlangObject current = kept("active");
        long base = current instanceof OtpErlangLong ? ((OtpErlangLong) current).longValue() : 0;
        long sum = base + ((OtpErlangLong) n).longValue();
        if (sum > 32767) {
            return null;
        }
        return sum <= 0 ? new OtpErlangLong(0) : new OtpErlangLong(sum);
    }

    /** Options as a list of [option, value] pairs, or null when one is not a valid option here. */
    static List<Object[]> parse(OtpErlangObject opts, int scope) {
        OtpErlangObject[] items = Terms.properListElements(opts);
        if (items == null) {
            return null;
        }
        List<Object[]> out = new ArrayList<>();
        for (OtpErlangObject item : items) {
            OtpErlangObject name;
            OtpErlangObject value;
            if (Terms.isAtom(item, "binary") || Terms.isAtom(item, "list")) {
                name = Terms.atom("mode");
                value = item;
            } else if (item instanceof OtpErlangTuple && ((OtpErlangTuple) item).arity() == 2) {
                name = ((OtpErlangTuple) item).elementAt(0);
                value = ((OtpErlangTuple) item).elementAt(1);
            } else {
                return null;
            }
            SocketOption o = name instanceof OtpErlangAtom ? SocketOption.named(((OtpErlangAtom) name).atomValue())
                    : null;
            if (o == null || (o.scope & scope) == 0 || !o.valid.test(value)) {
                return null;
            }
            out.add(new Object[] {o, value});
        }
        return out;
    }

    final OtpErlangObject getopts(OtpErlangObject opts) {
        OtpErlangObject[] names = Terms.properListElements(opts);
        if (names == null) {
            return EINVAL;
        }
        List<OtpErlangObject> out = new ArrayList<>();
        for (OtpErlangObject n : names) {
            SocketOption o = n instanceof OtpErlangAtom ? SocketOption.named(((OtpErlangAtom) n).atomValue()) : null;
            if (o == null || (o.scope & scope) == 0) {
                return EINVAL;
            }
            OtpErlangObject v;
            try {
                v = o.get.apply(this);
            } catch (RuntimeException e) {
                return Terms.error(Posix.reason(e));
            }
            if (v != null) {
                out.add(Terms.tuple(n, v));
            }
        }
        return Terms.ok(new OtpErlangList(out.toArray(new OtpErlangObject[0])));
    }

    // ---- addresses ---------------------------------------------------------------------------

    static OtpErlangObject address(SocketAddress a, String missing) {
        if (a == null) {
            return Terms.error(missing);
        }
        return Terms.ok(Addresses.toTerm(a));
    }

    private OtpErlangObject socknames() {
        OtpErlangObject one = address(channel().localAddress(), "einval");
        if (one instanceof OtpErlangTuple && Terms.isAtom(((OtpErlangTuple) one).elementAt(0), "ok")) {
            return Terms.ok(Terms.list(((OtpErlangTuple) one).elementAt(1)));
        }
        return one;
    }

    private OtpErlangObject port() {
        SocketAddress a = channel().localAddress();
        if (a == null) {
            return EINVAL;
        }
        return Terms.ok(new OtpErlangLong(a instanceof InetSocketAddress ? ((InetSocketAddress) a).getPort() : 0));
    }

    /** Bytes written and not yet taken by the kernel: the driver queue's size, send_pend. */
    final long pendingOutput() {
        Channel ch = channel();
        io.netty.channel.ChannelOutboundBuffer out = ch == null ? null : ch.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /** The states the inet driver would show for this socket ({@code prim_inet:getstatus/1}). */
    abstract List<String> states();

    /** "stream" or "dgram". */
    abstract String type();

    /**
     * {@code inet:info/1} of a module socket, in the keys inet's own functions read from one
     * (owner, states, type, counters), the states as rstates with no wstates.
     */
    OtpErlangObject info() {
        Map<OtpErlangObject, OtpErlangObject> m = new HashMap<>();
        m.put(Terms.atom("owner"), owner);
        m.put(Terms.atom("active"), kept("active"));
        m.put(Terms.atom("counters"), stats.map());
        m.put(Terms.atom("type"), Terms.atom(type()));
        OtpErlangObject[] states = states().stream().map(Terms::atom).toArray(OtpErlangObject[]::new);
        m.put(Terms.atom("rstates"), new OtpErlangList(states));
        m.put(Terms.atom("wstates"), Terms.NIL);
        m.put(Terms.atom("states"), new OtpErlangList(states));
        return new com.ericsson.otp.erlang.OtpErlangMap(m.keySet().toArray(new OtpErlangObject[0]),
                m.values().toArray(new OtpErlangObject[0]));
    }
}
