package jinet.dist;

import com.ericsson.otp.erlang.AbstractConnection;
import com.ericsson.otp.erlang.OtpAuthException;
import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpInputStream;
import com.ericsson.otp.erlang.OtpMsg;
import com.ericsson.otp.erlang.OtpOutputStream;
import com.ericsson.otp.erlang.OtpTransport;
import java.io.IOException;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to another node. JInterface does the handshake (this is an accepting
 * connection); the frame loop is jinet's own, because JInterface's closes the connection on
 * every control message it does not know, and spawn and monitors are among those.
 */
final class DistConnection extends AbstractConnection {
    private static final Logger log = LoggerFactory.getLogger(DistConnection.class);
    private static final byte PASS_THROUGH = 0x70;
    private static final int VERSION = 131;
    private static final byte[] TICK = {0, 0, 0, 0};

    private final DistNode node;
    private final String peerName;

    DistConnection(NodeIdentity self, OtpTransport socket, DistNode node) throws IOException, OtpAuthException {
        super(self, socket);
        this.node = node;
        this.peerName = peer.node();
        setName("dist " + peerName);
    }

    String peerName() {
        return peerName;
    }

    @Override
    public void run() {
        byte[] lengthBytes = new byte[4];
        try {
            while (true) {
                readSock(socket, lengthBytes);
                int len = ((lengthBytes[0] & 0xff) << 24) | ((lengthBytes[1] & 0xff) << 16)
                        | ((lengthBytes[2] & 0xff) << 8) | (lengthBytes[3] & 0xff);
                if (len == 0) {
                    write(TICK); // a tick asks for a sign of life
                    continue;
                }
                if (len < 0) {
                    throw new IOException("frame too large");
                }
                byte[] frame = new byte[len];
                readSock(socket, frame);
                if (frame[0] != PASS_THROUGH) {
                    throw new IOException("not a pass-through frame: " + frame[0]);
                }
                OtpInputStream in = new OtpInputStream(frame, 0);
                in.read1();
                OtpErlangObject control = in.read_any();
                if (!(control instanceof OtpErlangTuple) || ((OtpErlangTuple) control).arity() == 0
                        || !(((OtpErlangTuple) control).elementAt(0) instanceof OtpErlangLong)) {
                    throw new IOException("not a control message: " + control);
                }
                // The payload, if any, follows in the same buffer and is decoded by its receiver.
                node.onControl(this, (OtpErlangTuple) control, in);
            }
        } catch (OtpErlangDecodeException e) {
            log.warn("closing connection to {}: undecodable frame ({})", peerName, e.getMessage());
        } catch (IOException | NullPointerException e) {
            // JInterface's readSock meets a null socket once close() ran on another thread.
            log.debug("connection to {} ended: {}", peerName, e.toString());
        } finally {
            close();
            node.connectionClosed(this);
        }
    }

    /** Sends a control message with no payload. */
    void send(OtpErlangTuple control) {
        send(control, null);
    }

    /** Sends a control message and its payload in one write. */
    void send(OtpErlangTuple control, OtpErlangObject payload) {
        OtpOutputStream out = new OtpOutputStream();
        out.write4BE(0);
        out.write1(PASS_THROUGH);
        out.write1(VERSION);
        out.write_any(control);
        if (payload != null) {
            out.write1(VERSION);
            out.write_any(payload);
        }
        out.poke4BE(0, out.size() - 4);
        try {
            synchronized (this) {
                if (socket == null) {
                    return; // closed: signals to a gone node are dropped, as on BEAM
                }
                OutputStream os = socket.getOutputStream();
                out.writeTo(os);
                os.flush();
            }
        } catch (IOException e) {
            log.debug("send to {} failed: {}", peerName, e.getMessage());
            close();
        }
    }

    private void write(byte[] bytes) throws IOException {
        synchronized (this) {
            if (socket == null) {
                throw new IOException("socket closed");
            }
            OutputStream os = socket.getOutputStream();
            os.write(bytes);
            os.flush();
        }
    }

    // JInterface's own delivery path is not used: run() above dispatches to the node.
    @Override
    public void deliver(Exception e) {
    }

    @Override
    public void deliver(OtpMsg msg) {
    }
}
