package jinet.dist.tls;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Netty ends for the tests, built as the transport will build them: the SslHandler from a
 * {@link TlsDistConfig} first in the pipeline, then something that records what arrives.
 */
final class TlsNet implements AutoCloseable {
    /** What one connection saw: its handshake's outcome, then the plaintext bytes, then the close. */
    static final class Conn {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        volatile Channel channel;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();

        /** null when the handshake succeeded, else why it failed; waits up to 15 s. */
        Throwable handshake() throws InterruptedException {
            Object o = events.poll(15, TimeUnit.SECONDS);
            if (o == null) {
                return new AssertionError("no handshake outcome in 15 s");
            }
            return o == OK ? null : (Throwable) o;
        }

        /** Waits until at least n plaintext bytes have arrived; all that arrived by then. */
        byte[] read(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            synchronized (received) {
                while (received.size() < n && System.nanoTime() < deadline) {
                    received.wait(100);
                }
                return received.toByteArray();
            }
        }

        void write(byte[] bytes) {
            channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
        }
    }

    private static final Object OK = "ok";

    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    /** Accepting with the config's server side; each accepted connection is put in {@code accepted}. */
    Channel listen(TlsDistConfig config, BlockingQueue<Conn> accepted) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Conn c = new Conn();
                        c.channel = ch;
                        SslHandler ssl = config.newServerHandler(ch.alloc());
                        ch.pipeline().addLast(ssl, recorder(c, ssl));
                        accepted.add(c);
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    static int port(Channel server) {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Connecting with the config's client side to a peer whose node name has host {@code host}. */
    Conn connect(TlsDistConfig config, String host, int port) throws InterruptedException {
        Conn c = new Conn();
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = config.newClientHandler(ch.alloc(), host, port);
                        ch.pipeline().addLast(ssl, recorder(c, ssl));
                    }
                }).connect("127.0.0.1", port).sync().channel();
        c.channel = ch;
        return c;
    }

    private static ChannelInboundHandlerAdapter recorder(Conn c, SslHandler ssl) {
        ssl.handshakeFuture().addListener(f -> c.events.add(f.isSuccess() ? OK : f.cause()));
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                synchronized (c.received) {
                    c.received.writeBytes(ByteBufUtil.getBytes(b));
                    c.received.notifyAll();
                }
                b.release();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        };
    }

    /**
     * The OTP 23+ send_name message as inet_tls_dist frames it: a 4-byte length ({packet,4}
     * from the first handshake message on, where inet_tcp_dist uses 2 bytes), 'N', flags (8 bytes), creation (4), name length
     * (2), name. The flags are those a current hidden node sends, OTP 25's mandatory ones included.
     */
    static byte[] sendName(String node) {
        byte[] name = node.getBytes(StandardCharsets.ISO_8859_1);
        long flags = 0x4L | 0x10 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800 | 0x1000 | 0x2000 | 0x4000
                | 0x10000 | 0x20000 | 0x40000 | 0x80000 | 0x100000 | 0x200000 | 0x1000000 | 0x2000000
                | 0x4000000 | (1L << 34) | (1L << 35);
        int len = 1 + 8 + 4 + 2 + name.length;
        ByteBuf b = Unpooled.buffer();
        b.writeInt(len).writeByte('N').writeLong(flags).writeInt(0x1234).writeShort(name.length).writeBytes(name);
        return ByteBufUtil.getBytes(b);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
