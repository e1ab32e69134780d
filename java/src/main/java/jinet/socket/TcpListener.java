package jinet.socket;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.function.Consumer;
import jinet.term.Terms;

/**
 * A listening stream socket. It accepts from the kernel only while an accept waits, so the
 * backlog stays in the kernel as with inet; an accepted socket inherits the listener's options
 * and belongs to the process that called accept.
 */
final class TcpListener extends SocketProcess {
    private final Channel server;
    private final Waiters accepts = new Waiters();
    private final ArrayDeque<Channel> ready = new ArrayDeque<>(2);

    TcpListener(SocketService service, EventLoop loop, OtpErlangAtom module, Channel server) {
        super(service, loop, module, SocketOption.LISTEN);
        this.server = server;
    }

    void listening() {
        server.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                Channel child = (Channel) msg;
                if (closed) {
                    child.unsafe().closeForcibly();
                    return;
                }
                ready.add(child);
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                serve();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                // EMFILE and friends: the waiting accept gets the error, as inet's accept does
                Waiters.Waiter a = accepts.take();
                if (a != null) {
                    a.reply.accept(Terms.error(Posix.reason(cause)));
                }
            }
        });
    }

    @Override
    void bindChannel(Channel ch) {
        // the listener's channel is fixed at construction
    }

    private static final Map<String, Request> REQUESTS = requests(Map.ofEntries(
            Map.entry("accept", (s, r, from, reply) -> ((TcpListener) s).accept(arg(r, 1), from, reply)),
            Map.entry("send", (s, r, from, reply) -> reply.accept(Terms.error("enotconn"))),
            Map.entry("recv", (s, r, from, reply) -> reply.accept(Terms.error("enotconn"))),
            Map.entry("shutdown", (s, r, from, reply) -> reply.accept(Terms.error("enotconn"))),
            Map.entry("peername", (s, r, from, reply) -> reply.accept(Terms.error("enotconn")))));

    @Override
    Map<String, Request> requestTable() {
        return REQUESTS;
    }

    @Override
    Channel channel() {
        return server;
    }

    private void accept(OtpErlangObject timeout, OtpErlangPid caller, Consumer<OtpErlangObject> reply) {
        if (!(Terms.isAtom(timeout, "infinity") || SocketOption.isIntIn(timeout, 0, Integer.MAX_VALUE))) {
            reply.accept(SocketService.BADARG);
            return;
        }
        accepts.add(new Waiters.Waiter(reply, 0, caller), timeout, loop, null);
        serve();
    }

    private void serve() {
        while (!accepts.isEmpty() && !ready.isEmpty()) {
            Waiters.Waiter a = accepts.take();
            service.adopt(this, ready.poll(), a.caller, a.reply);
        }
        if (!accepts.isEmpty() && !closed) {
            server.read();
        }
    }

    @Override
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        accepts.answerAll(CLOSED);
        Channel c;
        while ((c = ready.poll()) != null) {
            c.unsafe().closeForcibly();
        }
        closeKeepingPath(server);
        end();
    }

    /**
     * Closes the listener. A local one's socket file stays, as it does after BEAM closes one
     * (a connect then meets ECONNREFUSED, not ENOENT): Netty removes it on close, so a second
     * link to it is put back in its place.
     */
    private static void closeKeepingPath(Channel server) {
        java.net.SocketAddress a = server.localAddress();
        if (!(a instanceof io.netty.channel.unix.DomainSocketAddress)) {
            server.close();
            return;
        }
        java.nio.file.Path path = java.nio.file.Path.of(((io.netty.channel.unix.DomainSocketAddress) a).path());
        java.nio.file.Path keep = path.resolveSibling(path.getFileName() + ".jinet-" + System.nanoTime());
        try {
            java.nio.file.Files.createLink(keep, path);
        } catch (java.io.IOException | RuntimeException e) {
            server.close();
            return;
        }
        server.close().addListener(f -> {
            try {
                java.nio.file.Files.move(keep, path);
            } catch (java.io.IOException e) {
                java.nio.file.Files.deleteIfExists(keep);
            }
        });
    }

    @Override
    void pump() {
        serve();
    }

    @Override
    java.util.List<String> states() {
        return java.util.List.of("listen", "open");
    }

    @Override
    String type() {
        return "stream";
    }

    @Override
    OtpErlangAtom passiveTag() {
        return Terms.atom("tcp_passive");
    }
}
