package jinet.epmd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/** A raw EPMD client for tests: bytes out, bytes back, and whether the server closed. */
final class Wire {
    /** How long a silent, still open connection is watched before it counts as kept open. */
    static final int QUIET_MS = 300;

    private Wire() {
    }

    /** What came back: the bytes, and whether the server closed the connection after them. */
    record Answer(byte[] bytes, boolean closed) {
        String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return hex(bytes) + (closed ? " closed" : " open");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Answer a && Arrays.equals(bytes, a.bytes) && closed == a.closed;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes) * 31 + Boolean.hashCode(closed);
        }
    }

    /** A port nothing listens on now (never EPMD's 4369). */
    static int freePort() throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (s.getLocalPort() != 4369) {
                    return s.getLocalPort();
                }
            }
        }
    }

    static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    /** {@code body} with its 2-byte length in front. */
    static byte[] packet(byte[] body) {
        byte[] p = new byte[body.length + 2];
        p[0] = (byte) (body.length >>> 8);
        p[1] = (byte) body.length;
        System.arraycopy(body, 0, p, 2, body.length);
        return p;
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An ALIVE2_REQ body. */
    static byte[] alive2(byte[] name, int port, int nodeType, int high, int low, byte[] extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(120);
        out.write(port >>> 8);
        out.write(port);
        out.write(nodeType);
        out.write(0);
        out.write(high >>> 8);
        out.write(high);
        out.write(low >>> 8);
        out.write(low);
        out.write(name.length >>> 8);
        out.write(name.length);
        out.writeBytes(name);
        out.write(extra.length >>> 8);
        out.write(extra.length);
        out.writeBytes(extra);
        return out.toByteArray();
    }

    static byte[] alive2(String name, int port) {
        return alive2(utf8(name), port, 77, 6, 5, new byte[0]);
    }

    static byte[] portPlease(String name) {
        return concat(bytes(122), utf8(name));
    }

    /** Sends {@code raw} as it is and reads what comes back; see {@link Answer}. */
    static Answer exchange(int port, byte[] raw) throws IOException {
        try (Socket s = connect(port)) {
            s.getOutputStream().write(raw);
            s.getOutputStream().flush();
            return read(s);
        }
    }

    /** Sends one request (its length put in front). */
    static Answer request(int port, byte[] body) throws IOException {
        return exchange(port, packet(body));
    }

    static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        s.setTcpNoDelay(true);
        return s;
    }

    /** Reads until the server closes, or until it has been silent for {@link #QUIET_MS} (at most 5 s). */
    static Answer read(Socket s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        long deadline = System.nanoTime() + 5_000_000_000L;
        byte[] buf = new byte[4096];
        s.setSoTimeout(QUIET_MS);
        while (System.nanoTime() < deadline) {
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                return new Answer(out.toByteArray(), false);
            } catch (IOException e) { // reset
                return new Answer(out.toByteArray(), true);
            }
            if (n < 0) {
                return new Answer(out.toByteArray(), true);
            }
            out.write(buf, 0, n);
        }
        return new Answer(out.toByteArray(), false);
    }

    /** A registration whose connection stays open until closed. */
    static final class Registration implements AutoCloseable {
        final Socket socket;
        final Answer answer;

        Registration(Socket socket, Answer answer) {
            this.socket = socket;
            this.answer = answer;
        }

        boolean ok() {
            return answer.bytes().length >= 2 && answer.bytes()[1] == 0;
        }

        /** The creation in an ALIVE2_X_RESP (6 bytes) or ALIVE2_RESP (4 bytes). */
        long creation() {
            byte[] b = answer.bytes();
            long c = 0;
            for (int i = 2; i < b.length; i++) {
                c = (c << 8) | (b[i] & 0xFF);
            }
            return c;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static Registration register(int port, byte[] aliveBody) throws IOException {
        Socket s = connect(port);
        try {
            s.getOutputStream().write(packet(aliveBody));
            return new Registration(s, read(s));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Polls {@code condition} every 50 ms for at most {@code millis}. */
    static boolean eventually(long millis, Check condition) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            if (condition.holds()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }
}
