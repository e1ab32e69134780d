package jinet.dist;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTP 23+ connection setup (protocol version 6, and a version 5 {@code send_name} from an
 * initiator that knows the new handshake), as acceptor or initiator. It reads the handshake's
 * 2-byte-length messages itself, so that whatever the peer sends right after its last handshake
 * message is handed, unread, to the connection pipeline that replaces it. It gives up after
 * {@code net_setuptime}, and on any message out of place, with no reply, as BEAM's dist_util does.
 */
final class Handshake extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(Handshake.class);
    /** The longest handshake message: a 255-byte node name and its fixed fields, with room to spare. */
    static final int MAX_MESSAGE = 512;
    private static final int MAX_NODE_NAME = 255;
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State { AWAIT_NAME, AWAIT_ALIVE_ANSWER, AWAIT_REPLY, AWAIT_STATUS, AWAIT_CHALLENGE, AWAIT_ACK, DONE }

    private final DistTransport transport;
    private final NodeIdentity self;
    private final boolean initiator;
    /** For an initiator: the node it means to reach. */
    private final String expectedPeer;
    private State state;
    private String peerName;
    private long peerFlags;
    private int ownChallenge;
    private ScheduledFuture<?> deadline;
    private boolean ended;
    /** An initiator told "nok": the peer's own attempt to reach this node wins. */
    private boolean yielded;
    /** An acceptor that admitted the peer: the transport counts it as that peer's connection in the making. */
    private boolean inbound;
    /** An initiator's send_name is out. */
    private boolean nameSent;

    /** 2 over TCP; over TLS, OTP frames the handshake with 4-byte lengths, as the connection after it. */
    private final int lengthBytes;

    Handshake(DistTransport transport, NodeIdentity self, String expectedPeer, int lengthBytes) {
        this.lengthBytes = lengthBytes;
        this.transport = transport;
        this.self = self;
        this.initiator = expectedPeer != null;
        this.expectedPeer = expectedPeer;
        this.state = initiator ? State.AWAIT_STATUS : State.AWAIT_NAME;
        // Known from the start: a dial closed before it connects must still be reported for its node
        this.peerName = expectedPeer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> fail(ctx, "not set up within net_setuptime"),
                transport.config().setupTimeMillis, TimeUnit.MILLISECONDS);
        if (ctx.channel().isActive()) {
            channelActive(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (initiator && !nameSent) {
            nameSent = true;
            sendName(ctx);
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        deadline.cancel(false);
        end(null);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (state != State.DONE && in.readableBytes() >= lengthBytes) {
            long len = lengthBytes == 2 ? in.getUnsignedShort(in.readerIndex()) : in.getUnsignedInt(in.readerIndex());
            if (len == 0 || len > MAX_MESSAGE) {
                fail(ctx, "handshake message of " + len + " bytes");
                return;
            }
            if (in.readableBytes() < lengthBytes + len) {
                return;
            }
            in.skipBytes(lengthBytes);
            ByteBuf msg = in.readSlice((int) len);
            if (!step(ctx, msg) || ctx.isRemoved()) {
                return;
            }
        }
    }

    /** One handshake message; false when the connection is being closed. */
    private boolean step(ChannelHandlerContext ctx, ByteBuf m) {
        int tag = m.readUnsignedByte();
        switch (state) {
            case AWAIT_NAME:
                return tag == 'N' ? onSendName(ctx, m, true) : tag == 'n' ? onSendName(ctx, m, false)
                        : fail(ctx, "expected send_name, got " + tag);
            case AWAIT_ALIVE_ANSWER:
                return tag == 's' ? onAliveAnswer(ctx, m) : fail(ctx, "expected an answer to alive");
            case AWAIT_REPLY:
                return tag == 'r' && m.readableBytes() == 20 ? onChallengeReply(ctx, m)
                        : fail(ctx, "expected challenge_reply");
            case AWAIT_STATUS:
                return tag == 's' ? onStatus(ctx, m) : fail(ctx, "expected status");
            case AWAIT_CHALLENGE:
                return tag == 'N' ? onChallenge(ctx, m) : fail(ctx, "expected challenge");
            case AWAIT_ACK:
                return tag == 'a' && m.readableBytes() == 16 ? onAck(ctx, m) : fail(ctx, "expected challenge_ack");
            default:
                return fail(ctx, "message after the handshake");
        }
    }

    // ---- acceptor --------------------------------------------------------------------------

    private boolean onSendName(ChannelHandlerContext ctx, ByteBuf m, boolean v6) {
        int nameLength;
        if (v6) {
            if (m.readableBytes() < 14) {
                return fail(ctx, "short send_name");
            }
            peerFlags = DistFlags.expandMandatory(m.readLong());
            m.readInt(); // the peer's creation: this node keeps no pids of earlier incarnations
            nameLength = m.readUnsignedShort();
        } else {
            if (m.readableBytes() < 6) {
                return fail(ctx, "short send_name");
            }
            m.readUnsignedShort(); // version
            peerFlags = DistFlags.expandMandatory(m.readUnsignedInt());
            nameLength = m.readableBytes();
        }
        if (nameLength != m.readableBytes()) {
            return fail(ctx, "send_name's name length does not match");
        }
        String name = m.toString(StandardCharsets.ISO_8859_1);
        if (!validNodeName(name)) {
            return fail(ctx, "not a node name");
        }
        if ((peerFlags & DistFlags.MANDATORY) != DistFlags.MANDATORY) {
            // dist_util's check_dflags tells a connecting node why before it closes
            write(ctx, status(ctx, "not_allowed"));
            return fail(ctx, name + " lacks mandatory distribution flags");
        }
        peerName = name;
        DistTransport.Admission admission = transport.admit(name, self.name());
        inbound = admission != DistTransport.Admission.NOK;
        log.debug("send_name from {}: {}", name, admission);
        switch (admission) {
            case OK:
                return sendStatusThenChallenge(ctx, "ok");
            case OK_SIMULTANEOUS:
                return sendStatusThenChallenge(ctx, "ok_simultaneous");
            case ALIVE:
                write(ctx, status(ctx, "alive"));
                state = State.AWAIT_ALIVE_ANSWER;
                return true;
            default:
                write(ctx, status(ctx, "nok"));
                return close(ctx);
        }
    }

    private boolean onAliveAnswer(ChannelHandlerContext ctx, ByteBuf m) {
        if (!"true".equals(m.toString(StandardCharsets.ISO_8859_1))) {
            return close(ctx);
        }
        transport.dropConnection(peerName);
        sendChallenge(ctx);
        return true;
    }

    private boolean sendStatusThenChallenge(ChannelHandlerContext ctx, String status) {
        ctx.write(status(ctx, status));
        sendChallenge(ctx);
        return true;
    }

    private void sendChallenge(ChannelHandlerContext ctx) {
        ownChallenge = RANDOM.nextInt();
        byte[] name = self.name().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf b = message(ctx, 19 + name.length).writeByte('N').writeLong(DistFlags.OFFERED).writeInt(ownChallenge)
                .writeInt(self.creation()).writeShort(name.length).writeBytes(name);
        write(ctx, b);
        state = State.AWAIT_REPLY;
    }

    private boolean onChallengeReply(ChannelHandlerContext ctx, ByteBuf m) {
        int peerChallenge = m.readInt();
        byte[] digest = new byte[16];
        m.readBytes(digest);
        if (!MessageDigest.isEqual(digest, self.digest(ownChallenge))) {
            log.info("connection attempt from node {} rejected: it cannot authenticate", peerName);
            return close(ctx);
        }
        ByteBuf b = message(ctx, 17).writeByte('a').writeBytes(self.digest(peerChallenge));
        ctx.write(b);
        return established(ctx);
    }

    // ---- initiator -------------------------------------------------------------------------

    private void sendName(ChannelHandlerContext ctx) {
        byte[] name = self.name().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf b = message(ctx, 15 + name.length).writeByte('N').writeLong(DistFlags.OFFERED).writeInt(self.creation())
                .writeShort(name.length).writeBytes(name);
        write(ctx, b);
    }

    private boolean onStatus(ChannelHandlerContext ctx, ByteBuf m) {
        String status = m.toString(StandardCharsets.ISO_8859_1);
        switch (status) {
            case "ok":
            case "ok_simultaneous":
                state = State.AWAIT_CHALLENGE;
                return true;
            case "alive":
                // The peer holds a connection from this node: stale unless one came up here meanwhile.
                if (transport.connection(peerName) != null) {
                    write(ctx, status(ctx, "false"));
                    yielded = true;
                    return close(ctx);
                }
                write(ctx, status(ctx, "true"));
                state = State.AWAIT_CHALLENGE;
                return true;
            case "nok":
                // The peer is connecting to us at the same time and its attempt wins.
                yielded = true;
                return close(ctx);
            default:
                return fail(ctx, "refused by the peer: " + status);
        }
    }

    private boolean onChallenge(ChannelHandlerContext ctx, ByteBuf m) {
        if (m.readableBytes() < 18) {
            return fail(ctx, "short challenge");
        }
        peerFlags = DistFlags.expandMandatory(m.readLong());
        int peerChallenge = m.readInt();
        m.readInt(); // the peer's creation
        int nameLength = m.readUnsignedShort();
        if (nameLength != m.readableBytes()) {
            return fail(ctx, "challenge's name length does not match");
        }
        String name = m.toString(StandardCharsets.ISO_8859_1);
        if (!name.equals(expectedPeer)) {
            return fail(ctx, "reached " + name + " instead of " + expectedPeer);
        }
        if ((peerFlags & DistFlags.MANDATORY) != DistFlags.MANDATORY) {
            return fail(ctx, name + " lacks mandatory distribution flags");
        }
        ownChallenge = RANDOM.nextInt();
        ByteBuf b = message(ctx, 21).writeByte('r').writeInt(ownChallenge).writeBytes(self.digest(peerChallenge));
        write(ctx, b);
        state = State.AWAIT_ACK;
        return true;
    }

    private boolean onAck(ChannelHandlerContext ctx, ByteBuf m) {
        byte[] digest = new byte[16];
        m.readBytes(digest);
        if (!MessageDigest.isEqual(digest, self.digest(ownChallenge))) {
            return fail(ctx, "the peer's cookie differs");
        }
        return established(ctx);
    }

    // ---- common ----------------------------------------------------------------------------

    private boolean established(ChannelHandlerContext ctx) {
        state = State.DONE;
        deadline.cancel(false);
        DistConnection conn = new DistConnection(transport, ctx.channel(), peerName, peerFlags);
        transport.installConnection(ctx, conn);
        ctx.flush();
        end(conn);
        ctx.pipeline().remove(this);
        return true;
    }

    static boolean validNodeName(String name) {
        int at = name.indexOf('@');
        return at > 0 && at < name.length() - 1 && name.length() <= MAX_NODE_NAME && name.indexOf('@', at + 1) < 0;
    }

    /** A buffer for a handshake message of {@code length} bytes, its length prefix written. */
    private ByteBuf message(ChannelHandlerContext ctx, int length) {
        ByteBuf b = ctx.alloc().buffer(lengthBytes + length);
        return lengthBytes == 2 ? b.writeShort(length) : b.writeInt(length);
    }

    private ByteBuf status(ChannelHandlerContext ctx, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return message(ctx, 1 + b.length).writeByte('s').writeBytes(b);
    }

    private static void write(ChannelHandlerContext ctx, ByteBuf b) {
        ctx.writeAndFlush(b);
    }

    private boolean fail(ChannelHandlerContext ctx, String why) {
        log.debug("handshake with {} failed: {}", peerName != null ? peerName : ctx.channel().remoteAddress(), why);
        return close(ctx);
    }

    private boolean close(ChannelHandlerContext ctx) {
        log.debug("handshake with {} closed in state {}", peerName, state);
        state = State.DONE;
        ctx.close();
        end(null);
        return false;
    }

    /** Tells the transport once, whichever way the handshake ended. */
    private void end(DistConnection conn) {
        if (!ended) {
            ended = true;
            transport.handshakeEnded(initiator, initiator || inbound ? peerName : null, conn, yielded);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause.toString());
    }
}
