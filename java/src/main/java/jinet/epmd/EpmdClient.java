package jinet.epmd;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The two requests a node makes of EPMD: ALIVE2 (register, keeping the connection open for as
 * long as the registration lasts) and PORT_PLEASE2 (where another node listens). Blocking
 * socket I/O: callers keep it off I/O threads.
 */
public final class EpmdClient {
    private static final int ALIVE2_REQ = 120;
    private static final int ALIVE2_RESP = 121;
    private static final int ALIVE2_X_RESP = 118;
    private static final int PORT_PLEASE2_REQ = 122;
    private static final int PORT2_RESP = 119;
    /** 'H': a hidden node, as C nodes and JInterface register. */
    private static final int HIDDEN_NODE = 72;
    private static final int PROTOCOL_TCP_IPV4 = 0;
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    /** A registration: EPMD keeps the name for as long as this stays open. */
    public static final class Registration implements AutoCloseable {
        private final Socket socket;
        private final int creation;

        Registration(Socket socket, int creation) {
            this.socket = socket;
            this.creation = creation;
        }

        /** The creation EPMD gave this incarnation of the node; it goes into every pid and ref. */
        public int creation() {
            return creation;
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** A node's listening port and the highest distribution version it speaks. */
    public static final class PortInfo {
        public final int port;
        public final int highestVersion;

        PortInfo(int port, int highestVersion) {
            this.port = port;
            this.highestVersion = highestVersion;
        }
    }

    private final int epmdPort;

    public EpmdClient(int epmdPort) {
        this.epmdPort = epmdPort;
    }

    /**
     * Registers {@code alive} (the part of the node name before the {@code @}) as listening on
     * {@code port}; fails when the name is taken, as erl does.
     */
    public Registration register(String alive, int port) throws IOException {
        byte[] name = alive.getBytes(StandardCharsets.UTF_8);
        Socket s = connect(InetAddress.getLoopbackAddress());
        try {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeShort(13 + name.length);
            out.writeByte(ALIVE2_REQ);
            out.writeShort(port);
            out.writeByte(HIDDEN_NODE);
            out.writeByte(PROTOCOL_TCP_IPV4);
            out.writeShort(6); // highest version: the OTP 23 handshake
            out.writeShort(5);
            out.writeShort(name.length);
            out.write(name);
            out.writeShort(0); // no extra
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int tag = in.readUnsignedByte();
            int result = in.readUnsignedByte();
            int creation;
            if (tag == ALIVE2_X_RESP) {
                creation = in.readInt();
            } else if (tag == ALIVE2_RESP) {
                creation = in.readUnsignedShort();
            } else {
                throw new IOException("EPMD answered ALIVE2 with " + tag);
            }
            if (result != 0) {
                throw new IOException("the name " + alive + " seems to be in use by another Erlang node");
            }
            return new Registration(s, creation);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** Where {@code alive} listens on {@code host}, or null when EPMD there does not know it. */
    public PortInfo lookup(InetAddress host, String alive) throws IOException {
        byte[] name = alive.getBytes(StandardCharsets.UTF_8);
        try (Socket s = connect(host)) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeShort(1 + name.length);
            out.writeByte(PORT_PLEASE2_REQ);
            out.write(name);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int tag = in.readUnsignedByte();
            if (tag != PORT2_RESP) {
                throw new IOException("EPMD answered PORT_PLEASE2 with " + tag);
            }
            if (in.readUnsignedByte() != 0) {
                return null;
            }
            int port = in.readUnsignedShort();
            in.readUnsignedByte(); // node type
            in.readUnsignedByte(); // protocol
            int highest = in.readUnsignedShort();
            return new PortInfo(port, highest);
        } catch (EOFException e) {
            return null;
        }
    }

    private Socket connect(InetAddress host) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, epmdPort), CONNECT_TIMEOUT_MILLIS);
            s.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
    }
}
