package jinet.epmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.OtpEpmd;
import com.ericsson.otp.erlang.OtpNode;
import com.ericsson.otp.erlang.OtpPeer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real clients of the embedded EPMD: JInterface, BEAM nodes, and the {@code epmd -names} command. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EpmdServerInteropTest {
    private static final String COOKIE = "jinet_epmd_test";
    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();
    private final String suffix = Integer.toString(new Random().nextInt(1_000_000), 36);

    @AfterEach
    void cleanUp() throws Exception {
        Exception first = null;
        while (!cleanup.isEmpty()) {
            try {
                cleanup.pop().close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        OtpEpmd.useEpmdPort(0); // back to ERL_EPMD_PORT or 4369 for whoever comes next
        if (first != null) {
            throw first;
        }
    }

    private EpmdServer server(int port) throws IOException {
        EpmdServer s = EpmdServer.start(port);
        cleanup.push(s);
        return s;
    }

    private BeamNode beam(String sname, int epmdPort) throws Exception {
        Assumptions.assumeTrue(RealEpmd.executable("erl"), "no erl executable on the PATH");
        BeamNode n = BeamNode.start(sname, COOKIE, epmdPort);
        cleanup.push(n);
        return n;
    }

    /** {@code ERL_EPMD_PORT=port epmd -names}: its exit code and output. */
    private static String epmdNames(int port) throws Exception {
        Assumptions.assumeTrue(RealEpmd.available(), "no epmd executable on the PATH");
        ProcessBuilder pb = new ProcessBuilder("epmd", "-names").redirectErrorStream(true);
        pb.environment().put("ERL_EPMD_PORT", Integer.toString(port));
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "epmd -names did not finish");
            return p.exitValue() + ": " + out;
        } finally {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** A node name as BEAM printed it, without quotes. */
    private static String bare(String node) {
        return node.replace("'", "");
    }

    /** A node name as an Erlang atom. */
    private static String atom(String node) {
        return "'" + bare(node) + "'";
    }

    @Test
    void aJInterfaceNodeRegistersAndIsFoundThenLeaves() throws Exception {
        EpmdServer server = server(Wire.freePort());
        OtpEpmd.useEpmdPort(server.port());
        String alive = "jif" + suffix;
        OtpNode node = new OtpNode(alive, COOKIE);
        cleanup.push(node::close);

        assertEquals(node.port(), OtpEpmd.lookupPort(new OtpPeer(alive + "@localhost")));
        assertEquals(1, server.registrations().size());
        EpmdServer.Registration r = server.registrations().get(0);
        assertEquals(alive, r.name());
        assertEquals(node.port(), r.port());
        assertEquals(6, r.highestVersion(), "JInterface 1.13 registers distribution version 6");
        assertTrue(Arrays.stream(OtpEpmd.lookupNames(InetAddress.getLoopbackAddress()))
                .anyMatch(l -> l.equals("name " + alive + " at port " + node.port())));
        assertEquals(0, OtpEpmd.lookupPort(new OtpPeer("nobody" + suffix + "@localhost")));

        node.close();
        assertTrue(Wire.eventually(3000, () -> server.registrations().isEmpty()),
                "the registration must end with the node's EPMD connection");
        assertEquals(0, OtpEpmd.lookupPort(new OtpPeer(alive + "@localhost")));
    }

    @Test
    void beamNodesRegisterFindEachOtherAndComeBackAfterARestart() throws Exception {
        int port = Wire.freePort();
        EpmdServer server = server(port);
        BeamNode a = beam("epa" + suffix, port);
        BeamNode b = beam("epb" + suffix, port);
        BeamNode c = beam("epc" + suffix, port); // stays unconnected to a until the end
        int aPort = Integer.parseInt(a.eval("{port, P, _} = erl_epmd:port_please(\"epa" + suffix + "\", \"localhost\"), P"));

        // epmd's own client lists them, as does net_adm:names().
        String listed = epmdNames(port);
        assertTrue(listed.startsWith("0: epmd: up and running on port " + port + " with data:\n"), listed);
        assertTrue(listed.contains("name epa" + suffix + " at port " + aPort + "\n"), listed);
        assertTrue(listed.contains("name epb" + suffix + " at port "), listed);
        String names = b.eval("{ok, Ns} = net_adm:names(), lists:sort(Ns)");
        assertTrue(names.contains("{\"epa" + suffix + "\"," + aPort + "}"), names);

        // The creation the node got is the one the server handed out.
        long creation = server.registrations().stream().filter(r -> r.name().equals("epa" + suffix))
                .findFirst().orElseThrow().creation();
        assertEquals(Long.toString(creation), a.eval("erlang:system_info(creation)"));

        // b finds a through it.
        assertEquals("pong", b.eval("net_adm:ping(" + atom(a.node) + ")"));

        // A JInterface node finds a BEAM node through it too.
        OtpEpmd.useEpmdPort(port);
        OtpNode j = new OtpNode("epj" + suffix, COOKIE);
        cleanup.push(j::close);
        assertTrue(j.ping(bare(a.node), 5000), "JInterface ping of " + a.node);

        // The embedded EPMD goes away: nodes keep running and keep their connections, but cannot be found.
        server.close();
        assertTrue(a.alive() && b.alive());
        assertEquals("true", b.eval("lists:member(" + atom(a.node) + ", nodes())"));
        assertEquals("pong", b.eval("net_adm:ping(" + atom(a.node) + ")"));
        assertEquals("{error,address}", b.eval("net_adm:names()"), "erl_epmd's word for a refused connection");
        assertEquals("false", c.eval("lists:member(" + atom(a.node) + ", nodes())"));
        assertEquals("pang", c.eval("net_adm:ping(" + atom(a.node) + ")"), "a cannot be looked up any more");

        // As soon as an EPMD answers again, OTP 25's erl_epmd registers them again (it retries every 2 s).
        EpmdServer again = server(port);
        // (JInterface does not: it registers once.)
        assertTrue(Wire.eventually(10_000, () -> again.registrations().stream().map(EpmdServer.Registration::name)
                .sorted().toList().equals(List.of("epa" + suffix, "epb" + suffix, "epc" + suffix))),
                "not registered again: " + again.registrations());
        assertEquals(aPort, OtpEpmd.lookupPort(new OtpPeer("epa" + suffix + "@localhost")));
        assertEquals("pong", c.eval("net_adm:ping(" + atom(a.node) + ")"), "a can be looked up again");
        // ... keeping the creation they had.
        assertEquals(Long.toString(creation), a.eval("erlang:system_info(creation)"));
    }

    @Test
    void aBeamNodeThatHaltsLosesItsRegistration() throws Exception {
        EpmdServer server = server(Wire.freePort());
        BeamNode a = beam("epe" + suffix, server.port());
        assertEquals(1, server.registrations().size());
        assertEquals("epe" + suffix, server.registrations().get(0).name());
        assertEquals(77, server.registrations().get(0).nodeType());
        a.close(); // halts
        assertTrue(Wire.eventually(5000, () -> server.registrations().isEmpty()),
                "still registered: " + server.registrations());
    }

    @Test
    void aSecondBeamNodeWithTheSameNameIsRefused() throws Exception {
        EpmdServer server = server(Wire.freePort());
        beam("epd" + suffix, server.port());
        Assumptions.assumeTrue(RealEpmd.executable("erl"), "no erl executable on the PATH");
        IOException e = assertThrows(IOException.class,
                () -> BeamNode.start("epd" + suffix, COOKIE, server.port()).close());
        assertTrue(e.getMessage().contains("the name epd" + suffix + "@") && e.getMessage().contains("seems to be in use"),
                e.getMessage());
        assertEquals(1, server.registrations().size());
    }
}
