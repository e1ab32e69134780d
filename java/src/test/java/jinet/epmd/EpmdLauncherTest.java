package jinet.epmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import jinet.epmd.EpmdLauncher;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Where EPMD comes from, per mode; on ports of its own, never 4369. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EpmdLauncherTest {

    private static boolean answersNames(int port) {
        try {
            return Wire.request(port, Wire.bytes(110)).bytes().length >= 4;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void modesParse() {
        assertEquals(EpmdMode.EXTERNAL, EpmdMode.parse("external"));
        assertEquals(EpmdMode.EMBEDDED, EpmdMode.parse("embedded"));
        assertEquals(EpmdMode.AUTO, EpmdMode.parse(" AUTO "));
        assertEquals("embedded", EpmdMode.EMBEDDED.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EpmdMode.parse("internal"));
        assertTrue(e.getMessage().contains("external, embedded or auto"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EpmdMode.parse(null));
    }

    @Test
    void embeddedServesOnThePortUntilClosed() throws Exception {
        int port = Wire.freePort();
        try (EpmdLauncher.Handle h = EpmdLauncher.ensure(EpmdMode.EMBEDDED, port)) {
            assertTrue(h.embedded());
            assertEquals(port, h.port());
            assertTrue(answersNames(port));
        }
        assertFalse(answersNames(port), "closing the handle stops the embedded EPMD");
    }

    @Test
    void embeddedFailsWhenAnEpmdHasThePort() throws Exception {
        Assumptions.assumeTrue(RealEpmd.available(), "no epmd executable on the PATH");
        try (RealEpmd real = RealEpmd.start(Wire.freePort())) {
            IOException e = assertThrows(IOException.class, () -> EpmdLauncher.ensure(EpmdMode.EMBEDDED, real.port));
            assertTrue(e.getMessage().contains("an EPMD already runs there"), e.getMessage());
            assertTrue(answersNames(real.port));
        }
    }

    @Test
    void embeddedFailsWhenSomethingElseHasThePort() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            IOException e = assertThrows(IOException.class,
                    () -> EpmdLauncher.ensure(EpmdMode.EMBEDDED, other.getLocalPort()));
            assertTrue(e.getMessage().contains("cannot serve EPMD on port " + other.getLocalPort()), e.getMessage());
        }
    }

    @Test
    void autoUsesAnEpmdThatAnswers() throws Exception {
        Assumptions.assumeTrue(RealEpmd.available(), "no epmd executable on the PATH");
        try (RealEpmd real = RealEpmd.start(Wire.freePort())) {
            EpmdLauncher.Handle h = EpmdLauncher.ensure(EpmdMode.AUTO, real.port);
            assertFalse(h.embedded());
            h.close();
            assertTrue(answersNames(real.port), "closing the handle leaves someone else's EPMD alone");
            assertFalse(real.exited(0));
        }
    }

    @Test
    void autoServesItselfWhenNothingAnswers() throws Exception {
        int port = Wire.freePort();
        try (EpmdLauncher.Handle h = EpmdLauncher.ensure(EpmdMode.AUTO, port)) {
            assertTrue(h.embedded());
            assertTrue(answersNames(port));
        }
        assertFalse(answersNames(port));
    }

    @Test
    void autoRefusesAPortTakenBySomethingElse() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            IOException e = assertThrows(IOException.class,
                    () -> EpmdLauncher.ensure(EpmdMode.AUTO, silent.getLocalPort()));
            assertTrue(e.getMessage().contains("does not answer as an EPMD"), e.getMessage());
        }
    }

    @Test
    void externalUsesAnEpmdThatAnswers() throws Exception {
        Assumptions.assumeTrue(RealEpmd.available(), "no epmd executable on the PATH");
        try (RealEpmd real = RealEpmd.start(Wire.freePort())) {
            EpmdLauncher.Handle h = EpmdLauncher.ensure(EpmdMode.EXTERNAL, real.port);
            assertFalse(h.embedded());
            h.close();
            assertTrue(answersNames(real.port));
        }
    }

    @Test
    void externalStartsEpmdDaemonWhenNothingAnswers() throws Exception {
        Assumptions.assumeTrue(RealEpmd.available(), "no epmd executable on the PATH");
        int port = Wire.freePort();
        try (EpmdLauncher.Handle h = EpmdLauncher.ensure(EpmdMode.EXTERNAL, port)) {
            assertFalse(h.embedded());
            assertTrue(answersNames(port));
            // Erlang's epmd, not ours: DUMP answers and KILL stops it (nothing is registered).
        } finally {
            // The daemon is not our child: ask exactly that one (on this port) to stop.
            Process kill = new ProcessBuilder("epmd", "-port", Integer.toString(port), "-kill")
                    .redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes());
            assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
            assertEquals("Killed\n", out);
        }
        assertTrue(Wire.eventually(3000, () -> !answersNames(port)), "the epmd daemon on " + port + " still answers");
    }
}
