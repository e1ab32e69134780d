package jinet.epmd;

import static jinet.epmd.Wire.alive2;
import static jinet.epmd.Wire.bytes;
import static jinet.epmd.Wire.portPlease;
import static jinet.epmd.Wire.register;
import static jinet.epmd.Wire.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jinet.epmd.Wire.Answer;
import jinet.epmd.Wire.Registration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The embedded EPMD on its own: registrations' lifetime, closing, load, idle and hostile clients. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EpmdServerTest {
    private EpmdServer server;
    private int port;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = EpmdServer.start(Wire.freePort());
        port = server.port();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
        server.close();
    }

    private Registration keep(Registration r) {
        cleanup.add(r);
        return r;
    }

    private static byte[] namesBody(Answer a) {
        return Arrays.copyOfRange(a.bytes(), 4, a.bytes().length);
    }

    @Test
    void aRegistrationLastsAsLongAsItsConnection() throws Exception {
        Registration a = keep(register(port, alive2("alpha", 4711)));
        assertTrue(a.ok(), a.answer.toString());
        assertFalse(a.answer.closed());
        assertEquals(List.of("alpha"), server.registrations().stream().map(EpmdServer.Registration::name).toList());
        assertEquals(4711, server.registrations().get(0).port());
        assertEquals(a.creation(), server.registrations().get(0).creation());

        a.close();
        assertTrue(Wire.eventually(3000, () -> server.registrations().isEmpty()), "alpha still registered");
        assertArrayEquals(bytes(119, 1), request(port, portPlease("alpha")).bytes());

        Registration again = keep(register(port, alive2("alpha", 4712)));
        assertEquals(a.creation() + 1, again.creation(), "a name registered again gets the next creation");
    }

    @Test
    void aNameTakenIsRefusedAndTheFirstRegistrationStays() throws Exception {
        Registration first = keep(register(port, alive2("dup", 1000)));
        Registration second = keep(register(port, alive2("dup", 2000)));
        assertTrue(first.ok());
        assertArrayEquals(bytes(118, 1, 0, 0, 0, 99), second.answer.bytes());
        second.close();
        Thread.sleep(100);
        Answer lookup = request(port, portPlease("dup"));
        assertEquals(1000, ((lookup.bytes()[2] & 0xFF) << 8) | (lookup.bytes()[3] & 0xFF), lookup.toString());
    }

    @Test
    void closingEndsEveryRegistrationAndStopsListening() throws Exception {
        Registration a = keep(register(port, alive2("one", 1)));
        Registration b = keep(register(port, alive2("two", 2)));
        assertTrue(a.ok() && b.ok());
        server.close();
        assertTrue(server.isClosed());
        for (Registration r : List.of(a, b)) {
            r.socket.setSoTimeout(3000);
            assertEquals(-1, r.socket.getInputStream().read(), "the registration connection must be closed");
        }
        assertTrue(server.registrations().isEmpty());
        assertThrows(IOException.class, () -> Wire.connect(port).close());
        server.close(); // twice is fine
    }

    @Test
    void killWithNothingRegisteredStopsTheServerAsEpmdExits() throws Exception {
        Registration a = keep(register(port, alive2("live", 1)));
        assertArrayEquals("NO".getBytes(), request(port, bytes(107)).bytes());
        assertFalse(server.isClosed());
        a.close();
        assertTrue(Wire.eventually(3000, () -> server.registrations().isEmpty()));
        assertArrayEquals("OK".getBytes(), request(port, bytes(107)).bytes());
        // No waiting: the port is closed before OK is sent, as epmd has exited when its OK arrives.
        assertThrows(IOException.class, () -> Wire.connect(port).close());
        assertTrue(server.isClosed());
    }

    @Test
    void stopIsRefusedSilently() throws Exception {
        keep(register(port, alive2("stay", 1)));
        Answer stop = request(port, Wire.concat(bytes(115), Wire.utf8("stay")));
        assertEquals(0, stop.bytes().length);
        assertTrue(stop.closed());
        assertEquals(1, server.registrations().size());
    }

    @Test
    void clientsThatSendNothingOrHalfARequestDoNotHoldUpOthers() throws Exception {
        for (int i = 0; i < 100; i++) {
            Socket s = Wire.connect(port);
            cleanup.add(s);
            if (i % 2 == 1) {
                s.getOutputStream().write(i % 4 == 1 ? bytes(0) : bytes(0, 20, 120, 0));
            }
        }
        keep(register(port, alive2("busy", 77)));
        long t0 = System.nanoTime();
        Answer names = request(port, bytes(110));
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "NAMES took too long");
        assertEquals("name busy at port 77\n", new String(namesBody(names)));
    }

    @Test
    void manyClientsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Callable<Boolean>> work = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String name = "node" + i;
                int p = 10000 + i;
                work.add(() -> {
                    try (Registration r = register(port, alive2(name, p))) {
                        if (!r.ok()) {
                            return false;
                        }
                        for (int k = 0; k < 3; k++) {
                            Answer a = request(port, portPlease(name));
                            if (a.bytes().length < 4 || a.bytes()[1] != 0
                                    || (((a.bytes()[2] & 0xFF) << 8) | (a.bytes()[3] & 0xFF)) != p) {
                                return false;
                            }
                            if (request(port, bytes(110)).bytes().length < 4) {
                                return false;
                            }
                        }
                        return true;
                    }
                });
            }
            for (Future<Boolean> f : pool.invokeAll(work, 40, TimeUnit.SECONDS)) {
                assertTrue(f.get(), "a client got a wrong answer");
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertTrue(Wire.eventually(3000, () -> server.registrations().isEmpty()));
    }

    @Test
    void garbageDoesNotHurtIt() throws Exception {
        Registration keeper = keep(register(port, alive2("keeper", 4242)));
        Random random = new Random(42);
        for (int i = 0; i < 300; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            if (junk.length > 2 && i % 3 == 0) {
                junk[0] = 0;
                junk[1] = (byte) (junk.length - 2); // a well-framed request of random content
            }
            try (Socket s = Wire.connect(port)) {
                s.getOutputStream().write(junk);
                s.shutdownOutput();
                s.setSoTimeout(2000);
                s.getInputStream().readAllBytes();
            } catch (IOException e) {
                // reset by the server: fine
            }
        }
        assertFalse(server.isClosed());
        assertTrue(keeper.ok());
        assertEquals("name keeper at port 4242\n", new String(namesBody(request(port, bytes(110)))));
    }

    @Test
    void beyondTheConnectionLimitConnectionsAreClosedAtOnce() throws Exception {
        try (EpmdServer small = EpmdServer.start(0, List.of(InetAddress.getLoopbackAddress()), 4)) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    idle.add(Wire.connect(small.port()));
                }
                Thread.sleep(200);
                Answer refused = request(small.port(), bytes(110));
                assertEquals(0, refused.bytes().length);
                assertTrue(refused.closed());
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
            assertTrue(Wire.eventually(3000, () -> request(small.port(), bytes(110)).bytes().length == 4));
        }
    }

    @Test
    void aPortInUseIsRefused() throws Exception {
        assertThrows(BindException.class, () -> EpmdServer.start(port).close());
    }

    @Test
    void utf8IsCheckedAsEpmdChecksIt() {
        assertEquals(3, EpmdServer.utf8Chars(Wire.utf8("a\u00e9\u20ac"), 0, 6));
        assertEquals(1, EpmdServer.utf8Chars(Wire.utf8("\uD83D\uDE00"), 0, 4));
        assertEquals(-1, EpmdServer.utf8Chars(bytes(0xC1, 0xBF), 0, 2)); // overlong
        assertEquals(-1, EpmdServer.utf8Chars(bytes(0xE0, 0x80, 0x80), 0, 3)); // overlong
        assertEquals(-1, EpmdServer.utf8Chars(bytes(0xED, 0xB0, 0x80), 0, 3)); // surrogate
        assertEquals(-1, EpmdServer.utf8Chars(bytes(0xF4, 0x90, 0x80, 0x80), 0, 4)); // past U+10FFFF
        assertEquals(-1, EpmdServer.utf8Chars(bytes(0xF8), 0, 1));
        assertEquals(-1, EpmdServer.utf8Chars(bytes(0xE2, 0x82), 0, 2)); // cut short
    }
}
