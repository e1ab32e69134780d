package jinet.dist;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import jinet.term.ext.IncomingAtomCache;
import jinet.term.ext.OutgoingAtomCache;
import jinet.term.ext.TermDecodeException;
import jinet.term.ext.TermEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An established connection to another node: reads frames (pass-through, distribution header
 * and fragments), answers and sends ticks, and sends control messages in the order they were
 * handed to it, from any thread, flushed in batches.
 */
public final class DistConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(DistConnection.class);
    private static final int PASS_THROUGH = 112;
    private static final int VERSION = 131;
    private static final int DIST_HEADER = 'D';
    private static final int FRAGMENT_HEADER = 'E';
    private static final int FRAGMENT_CONT = 'F';
    /** Messages larger than this go out in fragments of this size, so they do not hold up others. */
    static final int FRAGMENT_SIZE = 64 * 1024;
    /** Length prefix, version, 'D' and the atom cache count: what precedes the message's terms. */
    private static final int DIST_HEADER_BYTES = 4 + 3;
    private static final AtomicLong SEQUENCES = new AtomicLong();
    /** Frames below this size are copied into one buffer per flush; larger ones are written as they are. */
    private static final int COALESCE_LIMIT = 4096;
    private static final int BATCH_BUFFER = 8192;
    /** A batch buffer that grew past this (a burst) is not kept. */
    private static final int SPARE_CAPACITY = 256 * 1024;
    /** The largest frame copied into the connection's read buffer rather than an array of its own. */
    private static final int KEPT_READ_BUFFER = 64 * 1024;
    /** net_tickintensity's default: ticks per net_ticktime, and silent periods that take a peer down. */
    private static final int TICKS_PER_TICKTIME = 4;
    /** A header's atom cache section that makes no reference. */
    private static final byte[] NO_ATOM_REFS = {0};
    private static final ByteBuf TICK = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[4]));

    private final DistTransport transport;
    private final Channel channel;
    private final String peer;
    private final long peerFlags;
    private final Queue<ByteBuf> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Runnable drainTask = this::drain;
    /** Frames the I/O thread wrote since the last flush; touched by the I/O thread only. */
    private ByteBuf pending;
    private int pendingFrames;
    /** The last batch's buffer, kept for the next one; touched by the I/O thread only. */
    private ByteBuf spare;
    /** The tick's state; touched by the I/O thread only. */
    private ScheduledFuture<?> ticker;
    private boolean readSinceTick;
    private boolean wroteSinceTick;
    private int silentTicks;
    /** Fragmented messages being put together, by sequence id; touched by the I/O thread only. */
    private final Map<Long, Reassembly> fragments = new HashMap<>();
    /** Frames are copied here to be decoded; one larger than this gets an array of its own. */
    private byte[] readBuffer = new byte[256];
    private final int[] next = new int[1];
    /**
     * The distribution header's atom caches, the sending one only when the peer has it; touched by
     * the I/O thread only.
     */
    private final OutgoingAtomCache atomsOut;
    private final IncomingAtomCache atomsIn;
    /** The atom cache section of the frame being sent; touched by the I/O thread only. */
    private byte[] section = new byte[64];
    private long reassemblyBytes;

    private static final class Reassembly {
        final ByteBuf data = Unpooled.buffer();
        long nextFragment;
        /** The atoms the first fragment's header gave. */
        OtpErlangAtom[] atoms;
    }

    DistConnection(DistTransport transport, Channel channel, String peer, long peerFlags) {
        this.transport = transport;
        this.channel = channel;
        this.peer = peer;
        this.peerFlags = peerFlags;
        boolean atomCache = (peerFlags & DistFlags.DIST_HDR_ATOM_CACHE) != 0;
        this.atomsOut = atomCache ? new OutgoingAtomCache() : null;
        this.atomsIn = new IncomingAtomCache(atomCache);
    }

    public String peer() {
        return peer;
    }

    public long peerFlags() {
        return peerFlags;
    }

    /** The I/O thread of this connection: work handed to it runs without a thread switch. */
    public java.util.concurrent.Executor executor() {
        return channel.eventLoop();
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** False while the peer reads more slowly than this node sends: senders should hold back. */
    public boolean isWritable() {
        return channel.isWritable() && queuedBytes.get() < transport.config().writeHighWaterMark;
    }

    public void close() {
        channel.close();
    }

    // ---- sending -----------------------------------------------------------------------------

    /** Sends a control message with no payload. */
    public void send(OtpErlangTuple control) {
        send(control, null);
    }

    /**
     * A link's exit signal. The reason goes as payload where the peer takes it, as BEAM sends
     * it: a control message must fit in a message's first fragment, and a reason need not.
     */
    public void sendExit(OtpErlangObject from, OtpErlangObject to, OtpErlangObject reason) {
        if ((peerFlags & DistFlags.EXIT_PAYLOAD) != 0) {
            send(Control.payloadExit(from, to), reason);
        } else {
            send(Control.exit(from, to, reason));
        }
    }

    /** A monitor's 'DOWN', its reason as payload where the peer takes it (see {@link #sendExit}). */
    public void sendMonitorExit(OtpErlangObject from, OtpErlangPid to, OtpErlangRef ref, OtpErlangObject reason) {
        if ((peerFlags & DistFlags.EXIT_PAYLOAD) == 0) {
            send(Control.monitorExit(from, to, ref, reason));
            return;
        }
        TermEncoder out = begin();
        try {
            Control.writePayloadMonitorExit(out, from, to, ref);
        } catch (RuntimeException | Error e) {
            abandon(out);
            throw e;
        }
        finish(out, reason);
    }

    /** A spawn request's answer: the new process, or the error atom with flags 0. */
    public void sendSpawnReply(OtpErlangRef reqId, OtpErlangPid to, int flags, OtpErlangObject result) {
        TermEncoder out = begin();
        try {
            Control.writeSpawnReply(out, reqId, to, flags, result);
        } catch (RuntimeException | Error e) {
            abandon(out);
            throw e;
        }
        finish(out, null);
    }

    /**
     * Sends a control message and its payload. Encoding happens on the caller's thread. On the
     * connection's own I/O thread, with nothing queued before it, the frame goes straight into
     * the buffer the next flush writes; from elsewhere it joins the queue, which the I/O thread
     * writes out in order and flushes in one go.
     */
    public void send(OtpErlangTuple control, OtpErlangObject payload) {
        TermEncoder out = begin();
        try {
            out.writeTerm(control);
        } catch (RuntimeException | Error e) {
            abandon(out);
            throw e;
        }
        finish(out, payload);
    }

    /** The thread's encoder, holding the frame's length, 131 'D' and an empty atom cache section. */
    private TermEncoder begin() {
        // A peer that takes fragments expects the distribution header on every frame, not pass-through
        TermEncoder out = Codec.encoder();
        // Atoms go through the cache only where frames leave in the order they are encoded
        out.useAtomCache(channel.eventLoop().inEventLoop() ? atomsOut : null);
        out.write4BE(0);
        out.write1(VERSION);
        out.write1(DIST_HEADER);
        out.write1(0);
        return out;
    }

    /** A message that failed to encode: the peer never sees its header, so its slots stay as they were. */
    private static void abandon(TermEncoder out) {
        if (out.atomCache() != null) {
            out.atomCache().abandon();
            out.useAtomCache(null);
        }
    }

    /** Writes the payload after the control message {@code out} holds, and sends the frame. */
    private void finish(TermEncoder out, OtpErlangObject payload) {
        OutgoingAtomCache atoms = out.atomCache();
        int controlEnd = out.length();
        try {
            if (payload != null) {
                out.writeTerm(payload);
            }
        } catch (RuntimeException | Error e) {
            abandon(out);
            throw e;
        } finally {
            out.useAtomCache(null);
        }
        // The header with the message's atom references, when it made any; else the 0 written above
        int sectionLength = 1;
        if (atoms != null && atoms.refs() > 0) {
            int need = atoms.sectionLength();
            if (section.length < need) {
                section = new byte[Math.max(need, section.length * 2)];
            }
            sectionLength = atoms.writeSection(section, 0);
        }
        int body = out.length() - DIST_HEADER_BYTES;
        if (body > FRAGMENT_SIZE && (peerFlags & DistFlags.FRAGMENTS) != 0) {
            sendFragmented(out, controlEnd, sectionLength == 1 ? NO_ATOM_REFS : section, sectionLength);
            Codec.done(out, true);
            return;
        }
        int n = DIST_HEADER_BYTES - 1 + sectionLength + body;
        boolean small = n < COALESCE_LIMIT;
        if (small && channel.eventLoop().inEventLoop() && outbox.isEmpty()) {
            if (channel.isActive()) {
                if (pending == null) {
                    pending = batchBuffer();
                }
                writeFrame(pending, out, n, sectionLength);
                pendingFrames++;
                scheduleDrain();
            }
            Codec.done(out, false);
            return;
        }
        // A large frame with no atom references takes the encoder's array; any other is copied
        boolean taken = !small && sectionLength == 1;
        byte[] frame;
        if (taken) {
            out.poke4BE(0, n - 4);
            frame = out.array();
        } else {
            frame = new byte[n];
            writeFrame(Unpooled.wrappedBuffer(frame).clear(), out, n, sectionLength);
        }
        enqueue(Unpooled.wrappedBuffer(frame, 0, n));
        Codec.done(out, taken);
    }

    /** The frame of {@code n} bytes: its length, 131 'D', the atom cache section, the terms in {@code out}. */
    private void writeFrame(ByteBuf to, TermEncoder out, int n, int sectionLength) {
        if (sectionLength == 1) {
            out.poke4BE(0, n - 4); // the section is the 0 the encoder holds
            to.writeBytes(out.array(), 0, n);
        } else {
            to.writeInt(n - 4).writeByte(VERSION).writeByte(DIST_HEADER).writeBytes(section, 0, sectionLength)
                    .writeBytes(out.array(), DIST_HEADER_BYTES, out.length() - DIST_HEADER_BYTES);
        }
    }

    /**
     * The message encoded in {@code out} (after its 'D' header) as {@code 131 'E' Seq Frag Section
     * Data}, then {@code 131 'F' Seq Frag Data} down to fragment 1, {@code Section} being the atom
     * cache section of the message's header. The first fragment holds the whole control message,
     * as BEAM reads it from there alone.
     */
    private void sendFragmented(TermEncoder out, int controlEnd, byte[] section, int sectionLength) {
        byte[] data = out.array();
        int from = DIST_HEADER_BYTES;
        int end = out.length();
        int firstLength = Math.max(FRAGMENT_SIZE, controlEnd - from);
        long count = 1 + ((end - from - firstLength) + FRAGMENT_SIZE - 1) / FRAGMENT_SIZE;
        long seq = SEQUENCES.incrementAndGet();
        for (long fragment = count; fragment >= 1; fragment--) {
            boolean first = fragment == count;
            int len = Math.min(first ? firstLength : FRAGMENT_SIZE, end - from);
            int headerLength = 2 + 16 + (first ? sectionLength : 0);
            ByteBuf header = Unpooled.buffer(4 + headerLength);
            header.writeInt(headerLength + len).writeByte(VERSION).writeByte(first ? FRAGMENT_HEADER : FRAGMENT_CONT)
                    .writeLong(seq).writeLong(fragment);
            if (first) {
                header.writeBytes(section, 0, sectionLength);
            }
            enqueue(Unpooled.wrappedBuffer(header, Unpooled.wrappedBuffer(data, from, len)));
            from += len;
        }
    }

    private void enqueue(ByteBuf frame) {
        if (!channel.isActive()) {
            frame.release();
            return; // signals to a node that is gone are dropped, as on BEAM
        }
        queuedBytes.addAndGet(frame.readableBytes());
        outbox.add(frame);
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            // After the loop's tasks: what a read and the turns it started sent (a spawn's reply,
            // then the call's result) leaves in one write, not one per task
            ((SingleThreadEventLoop) channel.eventLoop()).executeAfterEventLoopIteration(drainTask);
        }
    }

    /**
     * Writes what the senders queued: small frames copied into one buffer, so a burst of replies
     * costs one write and one flush; large ones (fragments) go as they are.
     */
    private void drain() {
        drainScheduled.set(false);
        ByteBuf batch = pending;
        int frames = pendingFrames;
        pending = null;
        pendingFrames = 0;
        ByteBuf frame;
        while ((frame = outbox.poll()) != null) {
            int n = frame.readableBytes();
            queuedBytes.addAndGet(-n);
            if (n >= COALESCE_LIMIT) {
                if (batch != null) {
                    writeBatch(batch);
                    batch = null;
                }
                channel.write(frame, channel.voidPromise());
            } else {
                if (batch == null) {
                    batch = batchBuffer();
                }
                batch.writeBytes(frame);
                frame.release();
            }
            frames++;
        }
        if (batch != null) {
            writeBatch(batch);
        }
        if (frames > 0) {
            wroteSinceTick = true;
            channel.flush();
            SpinThenWait.flushed(frames);
        }
    }

    /**
     * The buffer a batch is copied into: the one the last flush wrote, when the socket has
     * written it out and let it go (as it has unless the peer reads slowly), else a new one.
     */
    private ByteBuf batchBuffer() {
        ByteBuf b = spare;
        if (b != null && b.refCnt() == 1) {
            return b.clear();
        }
        if (b != null) {
            b.release();
        }
        spare = b = channel.alloc().ioBuffer(BATCH_BUFFER);
        return b;
    }

    /** The write takes a reference of its own; this connection keeps the buffer unless it grew large. */
    private void writeBatch(ByteBuf batch) {
        if (batch == spare && batch.capacity() <= SPARE_CAPACITY) {
            batch.retain();
        } else if (batch == spare) {
            spare = null;
        }
        channel.write(batch, channel.voidPromise());
    }

    // ---- receiving ---------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        readSinceTick = true;
        try {
            if (frame.readableBytes() == 0) {
                return; // a tick: reading it was the point
            }
            onFrame(frame);
        } catch (ProtocolException | OtpErlangDecodeException e) {
            transport.logLimited(peer, "closing the connection to " + peer + ": " + e.getMessage());
            ctx.close();
        } finally {
            frame.release();
        }
    }

    private void onFrame(ByteBuf frame) throws ProtocolException, OtpErlangDecodeException {
        int first = frame.readUnsignedByte();
        if (first == PASS_THROUGH) {
            dispatch(frame, false);
            return;
        }
        if (first != VERSION || !frame.isReadable()) {
            throw new ProtocolException("not a distribution frame: " + first);
        }
        int kind = frame.readUnsignedByte();
        if (kind == DIST_HEADER) {
            dispatch(frame, true);
        } else if (kind == FRAGMENT_HEADER || kind == FRAGMENT_CONT) {
            onFragment(frame, kind == FRAGMENT_HEADER);
        } else {
            throw new ProtocolException("unknown distribution header " + kind);
        }
    }

    /**
     * The atom cache section of a header at {@code at}: the message's atoms (null for none);
     * {@code atomsIn.position()} is where its terms begin. Read as frames arrive, since each may
     * set slots that the next ones use.
     */
    private OtpErlangAtom[] atomCacheSection(byte[] bytes, int at, int end) throws ProtocolException {
        try {
            return atomsIn.read(bytes, at, end);
        } catch (TermDecodeException e) {
            throw new ProtocolException(e.getMessage());
        }
    }

    private void onFragment(ByteBuf frame, boolean first) throws ProtocolException, OtpErlangDecodeException {
        if (frame.readableBytes() < 16) {
            throw new ProtocolException("short fragment header");
        }
        long seq = frame.readLong();
        long fragment = frame.readLong();
        Reassembly r;
        OtpErlangAtom[] atoms = null;
        if (first) {
            byte[] head = ByteBufUtil.getBytes(frame);
            atoms = atomCacheSection(head, 0, head.length);
            frame.skipBytes(atomsIn.position());
            if (fragment < 1 || fragments.containsKey(seq)
                    || fragments.size() >= transport.config().maxFragmentedMessages) {
                throw new ProtocolException("bad first fragment of sequence " + seq);
            }
            r = new Reassembly();
            r.atoms = atoms;
            fragments.put(seq, r);
        } else {
            r = fragments.get(seq);
            if (r == null || fragment != r.nextFragment) {
                throw new ProtocolException("fragment " + fragment + " of sequence " + seq + " out of place");
            }
        }
        int len = frame.readableBytes();
        reassemblyBytes += len;
        if (reassemblyBytes > transport.config().maxMessageBytes) {
            throw new ProtocolException("fragmented messages beyond " + transport.config().maxMessageBytes + " bytes");
        }
        r.data.writeBytes(frame, len);
        r.nextFragment = fragment - 1;
        if (fragment == 1) {
            fragments.remove(seq);
            reassemblyBytes -= r.data.readableBytes();
            dispatch(r.data.array(), r.data.arrayOffset(), r.data.arrayOffset() + r.data.writerIndex(), false, r.atoms);
        }
    }

    /**
     * The rest of a frame, after its atom cache section if {@code header}, copied off the I/O
     * buffer into this connection's read buffer (a large one into its own array): a payload still
     * encoded after the dispatch gets its own copy.
     */
    private void dispatch(ByteBuf frame, boolean header) throws ProtocolException, OtpErlangDecodeException {
        int n = frame.readableBytes();
        boolean reused = n <= KEPT_READ_BUFFER;
        byte[] bytes;
        if (reused) {
            if (readBuffer.length < n) {
                readBuffer = new byte[Math.min(KEPT_READ_BUFFER, Math.max(n, readBuffer.length * 2))];
            }
            bytes = readBuffer;
            frame.getBytes(frame.readerIndex(), bytes, 0, n);
        } else {
            bytes = ByteBufUtil.getBytes(frame);
        }
        OtpErlangAtom[] atoms = null;
        int from = 0;
        if (header) {
            atoms = atomCacheSection(bytes, 0, n);
            from = atomsIn.position();
        }
        dispatch(bytes, from, n, reused, atoms);
    }

    /**
     * The control message at {@code offset}; what follows it up to {@code end}, if anything, is the
     * payload. {@code reused}: {@code bytes} is the read buffer, which the next frame overwrites.
     */
    private void dispatch(byte[] bytes, int offset, int end, boolean reused, OtpErlangAtom[] atoms)
            throws ProtocolException, OtpErlangDecodeException {
        int[] next = this.next;
        OtpErlangObject control = Codec.decode(bytes, offset, end, atoms, next);
        if (!(control instanceof OtpErlangTuple) || ((OtpErlangTuple) control).arity() == 0
                || !(((OtpErlangTuple) control).elementAt(0) instanceof OtpErlangLong)) {
            throw new ProtocolException("not a control message");
        }
        Payload payload = next[0] < end ? new Payload(bytes, next[0], end, atoms) : null;
        try {
            if (!transport.listener().control(this, (OtpErlangTuple) control, payload)) {
                throw new ProtocolException("a control message this node does not take: "
                        + ((OtpErlangTuple) control).elementAt(0));
            }
        } finally {
            if (payload != null && reused) {
                payload.detach();
            }
        }
    }

    /**
     * Ticks as BEAM's connections tick: every quarter of net_ticktime, a tick goes out if nothing
     * else did, and a peer from which nothing came in four such periods running is down. Flags
     * set by the reads and flushes are all this costs per message.
     */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        long period = Math.max(1, transport.config().tickTimeMillis / TICKS_PER_TICKTIME);
        ticker = ctx.executor().scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (!wroteSinceTick) {
            channel.writeAndFlush(TICK.duplicate(), channel.voidPromise());
        }
        wroteSinceTick = false;
        if (readSinceTick) {
            readSinceTick = false;
            silentTicks = 0;
        } else if (++silentTicks >= TICKS_PER_TICKTIME) {
            log.info("net_tick_timeout: {} sent nothing for net_ticktime", peer);
            channel.close();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        transport.listener().writabilityChanged(this, ctx.channel().isWritable());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ticker != null) {
            ticker.cancel(false);
        }
        pending = null; // the spare buffer, if anything
        if (spare != null) {
            spare.release();
            spare = null;
        }
        ByteBuf frame;
        while ((frame = outbox.poll()) != null) {
            frame.release();
        }
        transport.connectionClosed(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        transport.logLimited(peer, "connection to " + peer + " failed: " + cause);
        ctx.close();
    }

    /** A peer broke the protocol: that one connection goes, never the node. */
    static final class ProtocolException extends Exception {
        ProtocolException(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public String toString() {
        return "connection to " + peer;
    }
}
