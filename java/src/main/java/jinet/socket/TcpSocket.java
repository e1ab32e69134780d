package jinet.socket;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.function.Consumer;
import jinet.term.Terms;

/**
 * A connected stream socket (TCP or local), with the inet driver's delivery rules: data in
 * arrival order and always before the close, active true/false/once/N, passive recv with a
 * length and a timeout, sends that wait above the high watermark. The socket reads from the
 * kernel only when what it read can go on: to an owner whose connection keeps up, or to a
 * waiting recv; otherwise the peer meets TCP's own backpressure.
 */
final class TcpSocket extends SocketProcess {
    private static final OtpErlangAtom TCP = Terms.atom("tcp");
    private static final OtpErlangAtom TCP_CLOSED = Terms.atom("tcp_closed");
    private static final OtpErlangAtom TCP_ERROR = Terms.atom("tcp_error");
    private static final OtpErlangAtom TCP_PASSIVE = Terms.atom("tcp_passive");

    private Channel ch;
    private final ArrayDeque<ByteBuf> inbox = new ArrayDeque<>(2);
    private int inboxBytes;
    /** Sends answered once the socket is below its low watermark again. */
    private final Waiters sends = new Waiters();
    /** The peer's end of the stream (FIN, reset, or the channel gone) has been read. */
    private boolean eof;
    private String error;
    /** The end of the stream was answered to a recv (passive) ... */
    private boolean closeReported;
    /** ... or sent as tcp_closed (active): each once, as the driver's flags for them. */
    private boolean closeSent;
    /** shutdown(write) was made: sends are closed. */
    private boolean outputShut;

    TcpSocket(SocketService service, EventLoop loop, OtpErlangAtom module) {
        super(service, loop, module, SocketOption.CONNECT);
    }

    @Override
    void bindChannel(Channel channel) {
        ch = channel;
    }

    /** Takes over the channel once it is connected (or accepted) and registered on {@link #loop}. */
    void attach(Channel channel) {
        ch = channel;
        ch.config().setAutoRead(false);
        waterMarksChanged();
        ch.pipeline().addLast(new Handler());
        pump();
    }

    private static final Map<String, Request> REQUESTS = requests(Map.ofEntries(
            Map.entry("send", (s, r, from, reply) -> ((TcpSocket) s).send(arg(r, 1), reply)),
            Map.entry("recv", (s, r, from, reply) -> ((TcpSocket) s).recv(arg(r, 1), arg(r, 2), reply)),
            Map.entry("unrecv", (s, r, from, reply) -> ((TcpSocket) s).unrecv(arg(r, 1), reply)),
            Map.entry("shutdown", (s, r, from, reply) -> ((TcpSocket) s).shutdown(arg(r, 1), reply)),
            Map.entry("accept", (s, r, from, reply) -> reply.accept(EINVAL))));

    @Override
    Map<String, Request> requestTable() {
        return REQUESTS;
    }

    @Override
    Channel channel() {
        return ch;
    }

    // ---- channel events ----------------------------------------------------------------------

    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            if (closed) {
                b.release();
                return;
            }
            stats.received(b.readableBytes());
            inbox.add(b);
            inboxBytes += b.readableBytes();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            pump();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                eof = true;
                pump();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            eof = true;
            pump();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            String reason = Posix.reason(cause);
            if (error == null && !reason.equals("closed")) {
                error = reason;
            }
            eof = true;
            pump();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                sends.answerAll(OK);
            }
        }
    }

    // ---- delivery ----------------------------------------------------------------------------

    /** Hands on what can go on now, then reads more if it could go on too. */
    @Override
    void pump() {
        if (closed) {
            return;
        }
        if (fdClosed) {
            if (isActive() && !paused) {
                self.send(owner, Terms.tuple(TCP_CLOSED, term));
                close();
            }
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
                ByteBuf b = takeAll();
                self.send(owner, Terms.tuple(TCP, term, data(b, binary())));
                b.release();
                countDelivery(TCP_PASSIVE);
            }
            if (eof && inbox.isEmpty() && isActive() && !closeSent) {
                reportClose();
                return;
            }
        } else {
            serveRecvs();
        }
        if (closed) {
            return;
        }
        if (!eof && wantsData()) {
            ch.read();
        } else if (!eof && isActive() && !paused && inbox.isEmpty()) {
            // All delivered, but the owner's connection is full: read again once it drains
            // (nothing else would wake the socket: no data is waiting to go on)
            waitForOwner();
        }
    }

    private boolean wantsData() {
        if (isActive()) {
            return !paused && inbox.isEmpty() && service.node().isWritableTo(owner.node());
        }
        Waiters.Waiter r = recvs.peek();
        return r != null && (r.length == 0 ? inboxBytes == 0 : inboxBytes < r.length);
    }

    /** The end of the stream, to an active socket's owner: an error first if the socket shows it. */
    private void reportClose() {
        closeSent = true;
        closeReported = true;
        if (error != null && !error.equals("econnreset") || error != null && keptBool("show_econnreset")) {
            self.send(owner, Terms.tuple(TCP_ERROR, term, Terms.atom(error)));
        }
        self.send(owner, Terms.tuple(TCP_CLOSED, term));
        if (keptBool("exit_on_close")) {
            close();
        }
    }

    private void serveRecvs() {
        Waiters.Waiter r;
        while ((r = recvs.peek()) != null) {
            if (r.length == 0 ? inboxBytes > 0 : inboxBytes >= r.length) {
                recvs.take();
                ByteBuf b = r.length == 0 ? takeAll() : take(r.length);
                r.reply.accept(Terms.ok(data(b, binary())));
                b.release();
            } else if (eof) {
                recvs.take();
                r.reply.accept(closedAnswer());
            } else {
                return;
            }
        }
    }

    /**
     * A passive socket's answer at the end of the stream: {@code closed} once (or the reset, where
     * the socket shows resets), {@code enotconn} after; with exit_on_close the descriptor closes then.
     */
    private OtpErlangObject closedAnswer() {
        if (closeReported && fdClosed) {
            return Terms.error("enotconn");
        }
        if (closeReported) {
            return CLOSED; // without exit_on_close the socket stays, and says closed each time
        }
        closeReported = true;
        OtpErlangObject answer = error != null && keptBool("show_econnreset") && error.equals("econnreset")
                ? Terms.error("econnreset") : CLOSED;
        if (keptBool("exit_on_close")) {
            fdClosed = true;
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        return answer;
    }

    private ByteBuf takeAll() {
        ByteBuf out = inbox.size() == 1 ? inbox.poll() : Unpooled.wrappedBuffer(inbox.size(), drain());
        inboxBytes = 0;
        return out;
    }

    private ByteBuf[] drain() {
        ByteBuf[] parts = inbox.toArray(new ByteBuf[0]);
        inbox.clear();
        return parts;
    }

    private ByteBuf take(int n) {
        ByteBuf out = Unpooled.buffer(n);
        while (out.writableBytes() > 0) {
            ByteBuf head = inbox.peek();
            int k = Math.min(head.readableBytes(), out.writableBytes());
            out.writeBytes(head, k);
            if (!head.isReadable()) {
                inbox.poll().release();
            }
        }
        inboxBytes -= n;
        return out;
    }

    // ---- requests ----------------------------------------------------------------------------

    private void unrecv(OtpErlangObject data, Consumer<OtpErlangObject> reply) {
        ByteBuf b = bytes(data);
        if (b == null) {
            reply.accept(EINVAL);
            return;
        }
        inbox.addFirst(b);
        inboxBytes += b.readableBytes();
        reply.accept(OK);
        pump();
    }

    private void recv(OtpErlangObject length, OtpErlangObject timeout, Consumer<OtpErlangObject> reply) {
        if (!SocketOption.isIntIn(length, 0, Integer.MAX_VALUE)
                || !(Terms.isAtom(timeout, "infinity") || SocketOption.isIntIn(timeout, 0, Integer.MAX_VALUE))) {
            reply.accept(SocketService.BADARG);
            return;
        }
        if (isActive()) {
            reply.accept(EINVAL);
            return;
        }
        if (fdClosed) {
            reply.accept(Terms.error("enotconn"));
            return;
        }
        recvs.add(new Waiters.Waiter(reply, SocketOption.integer(length), null), timeout, loop, null);
        pump();
    }

    private void send(OtpErlangObject data, Consumer<OtpErlangObject> reply) {
        ByteBuf b = bytes(data);
        if (b == null) {
            reply.accept(EINVAL); // the port refuses what is not iodata
            return;
        }
        if (fdClosed || !ch.isActive() || outputShut) {
            b.release();
            // after a reset the descriptor is no longer connected; after a close, or its own shutdown, it is closed
            reply.accept(fdClosed && "econnreset".equals(error) ? Terms.error("enotconn") : CLOSED);
            return;
        }
        int n = b.readableBytes();
        stats.sent(n);
        ch.writeAndFlush(b).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess() && error == null) {
                error = Posix.reason(f.cause());
            }
        });
        if (ch.isWritable()) {
            reply.accept(OK);
            return;
        }
        sends.add(new Waiters.Waiter(reply, 0, null), kept("send_timeout"), loop, () -> {
            if (keptBool("send_timeout_close")) {
                close();
            }
        });
    }

    private void shutdown(OtpErlangObject how, Consumer<OtpErlangObject> reply) {
        if (fdClosed || !ch.isOpen()) {
            reply.accept(Terms.error("enotconn"));
            return;
        }
        int h = Terms.isAtom(how, "read") ? 0 : Terms.isAtom(how, "write") ? 1 : 2;
        String failed = SockOpt.shutdown(ch, h);
        if (failed != null) {
            reply.accept(Terms.error(failed));
            return;
        }
        reply.accept(OK);
        if (h != 0) {
            outputShut = true;
        }
        if (h != 1) {
            eof = true; // nothing more comes in: an active socket says closed, a recv gets closed
            pump();
        }
    }

    // ---- ownership and the end ---------------------------------------------------------------

    @Override
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        recvs.answerAll(CLOSED);
        sends.answerAll(CLOSED);
        for (ByteBuf b : inbox) {
            b.release();
        }
        inbox.clear();
        inboxBytes = 0;
        if (ch != null) {
            // What was sent still goes out before the close, as prim_inet:close waits for it
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        end();
    }

    @Override
    java.util.List<String> states() {
        return ch != null && ch.isActive() ? java.util.List.of("connected", "open") : java.util.List.of("open");
    }

    @Override
    String type() {
        return "stream";
    }

    @Override
    OtpErlangAtom passiveTag() {
        return TCP_PASSIVE;
    }
}
