package jinet.socket;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.function.Consumer;
import jinet.term.Terms;

/**
 * A datagram socket: each datagram one {@code {udp, S, IP, Port, Data}} to an active socket's
 * owner or one answer to a passive recv. It reads from the kernel only when a datagram can go
 * on; otherwise the kernel's receive buffer fills and drops, as BEAM's does.
 */
final class UdpSocket extends SocketProcess {
    private static final OtpErlangAtom UDP = Terms.atom("udp");
    private static final OtpErlangAtom UDP_PASSIVE = Terms.atom("udp_passive");

    private final String family;
    private Channel ch;
    private final ArrayDeque<AddressedEnvelope<ByteBuf, ? extends SocketAddress>> inbox = new ArrayDeque<>(2);
    private SocketAddress peer;

    UdpSocket(SocketService service, EventLoop loop, OtpErlangAtom module, String family) {
        super(service, loop, module, SocketOption.UDP);
        this.family = family;
    }

    @Override
    void bindChannel(Channel channel) {
        ch = channel;
    }

    private static final Map<String, Request> REQUESTS = requests(Map.ofEntries(
            Map.entry("send", (s, r, from, reply) -> ((UdpSocket) s).sendConnected(arg(r, 1), reply)),
            Map.entry("sendto", (s, r, from, reply) -> ((UdpSocket) s).sendTo(arg(r, 1), arg(r, 2), reply)),
            Map.entry("connect", (s, r, from, reply) -> ((UdpSocket) s).connect(arg(r, 1), reply)),
            Map.entry("recv", (s, r, from, reply) -> ((UdpSocket) s).recv(arg(r, 1), arg(r, 2), reply))));

    @Override
    Map<String, Request> requestTable() {
        return REQUESTS;
    }

    @Override
    Channel channel() {
        return ch;
    }

    void attach() {
        bufferChanged();
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                @SuppressWarnings("unchecked")
                AddressedEnvelope<ByteBuf, ? extends SocketAddress> p = (AddressedEnvelope<ByteBuf, ? extends SocketAddress>) msg;
                if (closed) {
                    p.release();
                    return;
                }
                stats.received(p.content().readableBytes());
                inbox.add(p);
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                pump();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                // ICMP errors on a connected socket and the like: a datagram socket goes on
            }
        });
        pump();
    }

    /** {@code {IP, Port}}, {@code {Family, {IP, Port}}} or a sockaddr map, in this socket's family. */
    private SocketAddress destination(OtpErlangObject d) {
        if (family.equals("local")) {
            return Addresses.local(d);
        }
        InetAddress ip;
        int port;
        if (d instanceof OtpErlangMap) {
            ip = Addresses.fromTerm(d, family);
            port = Addresses.port(d);
        } else if (d instanceof OtpErlangTuple && ((OtpErlangTuple) d).arity() == 2) {
            OtpErlangTuple t = (OtpErlangTuple) d;
            if (t.elementAt(0) instanceof OtpErlangAtom && t.elementAt(1) instanceof OtpErlangTuple) {
                return Terms.isAtom(t.elementAt(0), family) ? destination(t.elementAt(1)) : null;
            }
            ip = Addresses.fromTerm(t.elementAt(0), family);
            port = SocketOption.isIntIn(t.elementAt(1), 0, 65535) ? SocketOption.integer(t.elementAt(1)) : -1;
        } else {
            return null;
        }
        return ip == null || port < 0 ? null : new InetSocketAddress(ip, port);
    }

    private void sendConnected(OtpErlangObject data, Consumer<OtpErlangObject> reply) {
        if (peer != null) {
            send(peer, data, reply);
            return;
        }
        // sendto with no address: the driver counts the send, the kernel refuses it
        ByteBuf b = bytes(data);
        if (b != null) {
            stats.sent(b.readableBytes());
            b.release();
        }
        reply.accept(EINVAL);
    }

    private void sendTo(OtpErlangObject destination, OtpErlangObject data, Consumer<OtpErlangObject> reply) {
        SocketAddress to = destination(destination);
        if (to == null) {
            reply.accept(FUNCTION_CLAUSE); // inet_udp:send has no clause for it
        } else {
            send(to, data, reply);
        }
    }

    private void connect(OtpErlangObject destination, Consumer<OtpErlangObject> reply) {
        SocketAddress to = destination(destination);
        if (to == null) {
            reply.accept(EINVAL);
            return;
        }
        ch.connect(to).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                peer = to;
                reply.accept(OK);
            } else {
                reply.accept(Terms.error(Posix.reason(f.cause())));
            }
        });
    }

    private void send(SocketAddress to, OtpErlangObject data, Consumer<OtpErlangObject> reply) {
        ByteBuf b = bytes(data);
        if (b == null) {
            reply.accept(EINVAL);
            return;
        }
        stats.sent(b.readableBytes());
        if (!b.isReadable()) {
            b.release();
            String failed = SockOpt.sendEmpty(ch, to.equals(peer) ? null : to);
            reply.accept(failed == null ? OK : Terms.error(failed));
            return;
        }
        Object packet = to instanceof DomainSocketAddress ? new DomainDatagramPacket(b, (DomainSocketAddress) to)
                : new DatagramPacket(b, (InetSocketAddress) to);
        ch.writeAndFlush(packet).addListener((ChannelFutureListener) f ->
                reply.accept(f.isSuccess() ? OK : Terms.error(Posix.reason(f.cause()))));
    }

    private void recv(OtpErlangObject length, OtpErlangObject timeout, Consumer<OtpErlangObject> reply) {
        if (!SocketOption.isIntIn(length, 0, 0xffffffffL)
                || !(Terms.isAtom(timeout, "infinity") || SocketOption.isIntIn(timeout, 0, 0xfffffffeL))) {
            reply.accept(EINVAL); // prim_inet:recvfrom's answer to what it cannot encode
            return;
        }
        if (isActive()) {
            reply.accept(EINVAL);
            return;
        }
        recvs.add(new Waiters.Waiter(reply, 0, null), timeout, loop, null);
        pump();
    }

    /** The sender's address and port as {@code {udp, S, IP, Port, Data}} names them ({@code {local, Path}} and 0 for local). */
    private OtpErlangObject[] parts(AddressedEnvelope<ByteBuf, ? extends SocketAddress> p) {
        OtpErlangTuple from = Addresses.toTerm(p.sender());
        boolean local = p.sender() instanceof DomainSocketAddress || p.sender() == null;
        return new OtpErlangObject[] {local ? from : from.elementAt(0), local ? new OtpErlangLong(0) : from.elementAt(1),
            data(p.content(), binary())};
    }

    @Override
    void pump() {
        if (closed) {
            return;
        }
        if (isActive()) {
            if (paused) {
                return;
            }
            while (!inbox.isEmpty() && isActive()) {
                if (!service.node().isWritableTo(owner.node())) {
                    waitForOwner();
                    return;
                }
                AddressedEnvelope<ByteBuf, ? extends SocketAddress> p = inbox.poll();
                OtpErlangObject[] a = parts(p);
                p.release();
                self.send(owner, Terms.tuple(UDP, term, a[0], a[1], a[2]));
                countDelivery(UDP_PASSIVE);
            }
        } else {
            Waiters.Waiter r;
            while (!inbox.isEmpty() && (r = recvs.take()) != null) {
                AddressedEnvelope<ByteBuf, ? extends SocketAddress> p = inbox.poll();
                OtpErlangObject[] a = parts(p);
                p.release();
                // prim_inet cannot decode a local sender next to binary data: the datagram is
                // taken, and the caller gets its function_clause
                r.reply.accept(family.equals("local") && binary() ? FUNCTION_CLAUSE : Terms.ok(Terms.tuple(a)));
            }
        }
        boolean wants = isActive() ? !paused && inbox.isEmpty() && service.node().isWritableTo(owner.node())
                : !recvs.isEmpty() && inbox.isEmpty();
        if (wants) {
            ch.read();
        } else if (isActive() && !paused && inbox.isEmpty()) {
            waitForOwner(); // the owner's connection is full: read again once it drains
        }
    }

    /** A datagram longer than buffer is cut to it, as the inet driver reads into a buffer that size. */
    @Override
    void bufferChanged() {
        ch.config().setRecvByteBufAllocator(new io.netty.channel.FixedRecvByteBufAllocator(keptInt("buffer")));
    }

    @Override
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        recvs.answerAll(CLOSED);
        inbox.forEach(AddressedEnvelope::release);
        inbox.clear();
        if (ch != null) {
            ch.close();
        }
        end();
    }

    @Override
    java.util.List<String> states() {
        return peer != null ? java.util.List.of("connected", "open") : java.util.List.of("open");
    }

    @Override
    String type() {
        return "dgram";
    }

    @Override
    OtpErlangAtom passiveTag() {
        return UDP_PASSIVE;
    }
}
