package jinet.dist.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jinet's contexts against OTP 25's inet_tls_dist: BEAM nodes started with -proto_dist inet_tls
 * and an option file, on an EPMD of this test's own, accept jinet's client side and connect to
 * jinet's server side. The first bytes inside TLS are the distribution handshake, so a send_name
 * answered by a status, or a send_name arriving decrypted, shows the TLS layer works.
 */
class TlsBeamInteropTest {
    @TempDir
    static Path tmp;
    static TestPki pki;
    static TlsNet net;
    static Process epmd;
    static int epmdPort;
    static final String RUN = Long.toString(ProcessHandle.current().pid(), 36)
            + Long.toString(System.nanoTime() % 100000, 36);
    static int seq;

    final List<Process> beams = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        Assumptions.assumeTrue(TestPki.available(), "openssl is not installed");
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/usr/lib/erlang/lib")) || onPath("erl"), "no erl");
        pki = TestPki.create(tmp);
        net = new TlsNet();
        try (ServerSocket s = new ServerSocket(0)) {
            epmdPort = s.getLocalPort();
        }
        epmd = new ProcessBuilder("epmd", "-port", Integer.toString(epmdPort))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", epmdPort)) {
                break;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    static boolean onPath(String exe) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, exe)));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (net != null) {
            net.close();
        }
        if (epmd != null) {
            epmd.destroy();
            epmd.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stopBeams() throws Exception {
        for (Process p : beams) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    static String uniq(String prefix) {
        return prefix + RUN + "x" + seq++;
    }

    /** erl with TLS distribution on this test's EPMD; extra words go after the flags. */
    Process beam(String sname, String optfile, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("erl", "-sname", sname, "-proto_dist", "inet_tls",
                "-ssl_dist_optfile", optfile, "-setcookie", "tlscookie", "-start_epmd", "false", "-noshell"));
        cmd.addAll(Arrays.asList(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(sname + ".log").toFile());
        pb.environment().put("ERL_EPMD_PORT", Integer.toString(epmdPort));
        pb.environment().remove("ERL_FLAGS");
        pb.environment().remove("ERL_AFLAGS");
        pb.environment().remove("ERL_ZFLAGS");
        Process p = pb.start();
        beams.add(p);
        return p;
    }

    String log(String sname) throws IOException {
        Path f = tmp.resolve(sname + ".log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    /** PORT_PLEASE2 until the name is registered: its port. */
    static int waitPort(String name, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", epmdPort)) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
                out.writeShort(1 + n.length);
                out.writeByte(122);
                out.write(n);
                out.flush();
                DataInputStream in = new DataInputStream(s.getInputStream());
                if (in.readUnsignedByte() == 119 && in.readUnsignedByte() == 0) {
                    return in.readUnsignedShort();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " never registered with EPMD");
    }

    /** ALIVE2 for a listener of ours; the socket holds the registration. */
    static Socket register(String name, int port) throws IOException {
        Socket s = new Socket("127.0.0.1", epmdPort);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        out.writeShort(13 + n.length);
        out.writeByte(120);
        out.writeShort(port);
        out.writeByte(72);
        out.writeByte(0);
        out.writeShort(6);
        out.writeShort(5);
        out.writeShort(n.length);
        out.write(n);
        out.writeShort(0);
        out.flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        int tag = in.readUnsignedByte();
        int result = in.readUnsignedByte();
        assertTrue((tag == 118 || tag == 121) && result == 0, "ALIVE2 refused: " + tag + "/" + result);
        return s;
    }

    static TlsDistConfig jinet(String server, String client) throws Exception {
        String f = pki.optfile("j" + seq++ + ".conf", "[{server,[" + server + "]},{client,[" + client + "]}].");
        return TlsDistConfig.fromCommandLine(List.of("-sname", "j", "-proto_dist", "inet_tls",
                "-ssl_dist_optfile", f));
    }

    String strictServer() {
        return pki.certAndKey("server") + "," + pki.cacert("ca") + ",{verify,verify_peer},{fail_if_no_peer_cert,true}";
    }

    String strictClient(String leaf) {
        return pki.certAndKey(leaf) + "," + pki.cacert("ca") + ",{verify,verify_peer}";
    }

    /** jinet's client connects to a BEAM node and introduces itself: the status BEAM answers, or the failure. */
    Object sendNameToBeam(String beamServerOpts, TlsDistConfig client) throws Exception {
        String name = uniq("tlss");
        String f = pki.optfile(name + ".conf", "[{server,[" + beamServerOpts + "]},{client,[]}].");
        Process p = beam(name, f);
        int port = waitPort(name, p);
        TlsNet.Conn c = net.connect(client, pki.host, port);
        Throwable hs = c.handshake();
        if (hs != null) {
            return hs;
        }
        c.write(TlsNet.sendName(uniq("jc") + "@" + pki.host));
        byte[] reply = c.read(7);
        c.channel.close();
        if (reply.length < 5) {
            return new IOException("no status from " + name + " (got " + reply.length + " bytes); log: " + log(name));
        }
        // The status message alone; BEAM's send_challenge may follow in the same read.
        int len = ((reply[2] & 0xff) << 8) | (reply[3] & 0xff);
        return new String(reply, 4, Math.min(len, reply.length - 4), StandardCharsets.ISO_8859_1);
    }

    @Test
    void beamAcceptsJinetsClient() throws Exception {
        Object r = sendNameToBeam(strictServer(), jinet(pki.certAndKey("server"), strictClient("client")));
        assertEquals("sok", r);
    }

    @Test
    void beamRefusesAClientItCannotVerify() throws Exception {
        Object rogue = sendNameToBeam(strictServer(), jinet(pki.certAndKey("server"), strictClient("rogue")));
        assertTrue(rogue instanceof Throwable || ((String) rogue).isEmpty(), "BEAM answered " + rogue);
        Object none = sendNameToBeam(strictServer(), jinet(pki.certAndKey("server"),
                pki.cacert("ca") + ",{verify,verify_peer}"));
        assertTrue(none instanceof Throwable, "BEAM answered " + none);
    }

    @Test
    void jinetsClientRefusesABeamItCannotVerify() throws Exception {
        Object r = sendNameToBeam(pki.certAndKey("rogue"), jinet(pki.certAndKey("server"), strictClient("client")));
        assertTrue(r instanceof Throwable, "handshake with an untrusted server succeeded: " + r);
    }

    @Test
    void defaultsOnBothEndsVerifyNothing() throws Exception {
        // A BEAM server given only its certificate, a jinet client given nothing: as between
        // two BEAM nodes configured so, the connection is made.
        assertEquals("sok", sendNameToBeam(pki.certAndKey("rogue"), jinet(pki.certAndKey("server"), "")));
    }

    /** A BEAM node pings a jinet server: the send_name that arrives decrypted, or null. */
    String beamPingsJinet(TlsDistConfig server, String beamClientOpts, String jname, String bname) throws Exception {
        BlockingQueue<TlsNet.Conn> accepted = new LinkedBlockingQueue<>();
        Channel listener = net.listen(server, accepted);
        try (Socket reg = register(jname, TlsNet.port(listener))) {
            String f = pki.optfile(bname + ".conf", "[{server,[" + pki.certAndKey("server") + "]},{client,["
                    + beamClientOpts + "]}].");
            beam(bname, f, "-eval", "net_adm:ping('" + jname + "@" + pki.host + "')");
            TlsNet.Conn c = accepted.poll(30, TimeUnit.SECONDS);
            assertNotNull(c, "BEAM never connected; log: " + log(bname));
            if (c.handshake() != null) {
                return null;
            }
            // {packet,4}: inet_tls_dist's handshake messages have 4-byte lengths.
            byte[] got = c.read(4);
            int len = ((got[2] & 0xff) << 8) | (got[3] & 0xff);
            got = c.read(4 + len);
            c.channel.close();
            return new String(got, StandardCharsets.ISO_8859_1);
        } finally {
            listener.close().sync();
        }
    }

    @Test
    void beamConnectsToJinetsServer() throws Exception {
        String bname = uniq("tlsc");
        String got = beamPingsJinet(jinet(strictServer(), ""), strictClient("client"), uniq("js"), bname);
        assertNotNull(got, "handshake failed");
        assertEquals('N', got.charAt(4));
        int nlen = (got.charAt(17) << 8) | got.charAt(18);
        assertEquals(bname + "@" + pki.host, got.substring(19, 19 + nlen));
    }

    @Test
    void jinetsServerRefusesABeamItCannotVerify() throws Exception {
        assertNull(beamPingsJinet(jinet(strictServer(), ""), strictClient("rogue"), uniq("js"), uniq("tlsc")));
    }

    @Test
    void beamChecksJinetsNameUnderVerifyPeer() throws Exception {
        // BEAM's client sends the host part of the node name and checks the certificate
        // against it: a jinet certificate for another name is refused, as jinet refuses it
        // (TlsHandshakeTest), even with server_name_indication disable in the client options.
        assertNull(beamPingsJinet(jinet(pki.certAndKey("wrongname") + "," + pki.cacert("ca"), ""),
                strictClient("client"), uniq("js"), uniq("tlsc")));
        assertNull(beamPingsJinet(jinet(pki.certAndKey("wrongname") + "," + pki.cacert("ca"), ""),
                strictClient("client") + ",{server_name_indication,disable}", uniq("js"), uniq("tlsc")));
        // verify_none: no check.
        assertNotNull(beamPingsJinet(jinet(pki.certAndKey("wrongname"), ""), "", uniq("js"), uniq("tlsc")));
    }
}
