package jinet.epmd;

import static jinet.epmd.Wire.alive2;
import static jinet.epmd.Wire.bytes;
import static jinet.epmd.Wire.concat;
import static jinet.epmd.Wire.exchange;
import static jinet.epmd.Wire.portPlease;
import static jinet.epmd.Wire.register;
import static jinet.epmd.Wire.request;
import static jinet.epmd.Wire.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jinet.epmd.Wire.Answer;
import jinet.epmd.Wire.Registration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The same conversations with Erlang's {@code epmd -port P} and with {@link EpmdServer}: the transcripts
 * (every byte answered, and whether the connection was closed) must be identical. Only what depends on the
 * port or the clock is normalized: the 4-byte port in NAMES/DUMP answers, and a creation, which is checked
 * to be the time plus 1 for a new name, or the previous creation plus 1 for a name registered again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EpmdServerProtocolTest {
    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

    @AfterEach
    void cleanUp() throws Exception {
        while (!cleanup.isEmpty()) {
            cleanup.pop().close();
        }
    }

    interface Scenario {
        void run(int port, Transcript t) throws Exception;
    }

    /** Runs {@code scenario} against a fresh real epmd and a fresh embedded server, side by side, and compares. */
    private void compare(Scenario scenario) throws Exception {
        Assumptions.assumeTrue(RealEpmd.available(), "no epmd executable on the PATH: nothing to compare with");
        RealEpmd real = RealEpmd.start(Wire.freePort());
        cleanup.push(real);
        EpmdServer embedded = EpmdServer.start(Wire.freePort());
        cleanup.push(embedded);
        Transcript expected = new Transcript(real.port);
        Transcript actual = new Transcript(embedded.port());

        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> onReal = pool.submit(() -> {
                scenario.run(real.port, expected);
                return null;
            });
            try {
                scenario.run(embedded.port(), actual);
            } finally {
                try {
                    onReal.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw new AssertionError("against the real epmd: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
            expected.closeQuietly();
            actual.closeQuietly();
        }
        assertEquals(String.join("\n", expected.lines), String.join("\n", actual.lines));
    }

    /** What a scenario saw, with the port and the creations normalized. */
    static final class Transcript {
        final int port;
        final List<String> lines = new ArrayList<>();
        private final Map<String, Long> creations = new HashMap<>();
        private final Map<Registration, String> open = new java.util.LinkedHashMap<>();

        Transcript(int port) {
            this.port = port;
        }

        void add(String label, Answer a) {
            lines.add(label + ": " + a);
        }

        /** An answer that starts with the EPMD port (NAMES, DUMP). */
        void withPort(String label, Answer a) {
            byte[] b = a.bytes();
            assertTrue(b.length >= 4, label + ": " + a);
            int p = ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
            assertEquals(port, p, label + ": the EPMD port");
            String rest = new String(b, 4, b.length - 4, StandardCharsets.ISO_8859_1);
            lines.add(label + ": <port> " + rest.replace("\0", "\\0") + (a.closed() ? " closed" : " open"));
        }

        /**
         * A DUMP taken while connections close concurrently: which descriptor numbers are free
         * then depends on timing, in epmd as here, so they are not compared.
         */
        void dumpAnyFd(String label, Answer a) {
            withPort(label, a);
            int last = lines.size() - 1;
            lines.set(last, lines.get(last).replaceAll("fd = \\d+", "fd = <fd>"));
        }

        /** Registers {@code name}, records the answer, keeps the connection open until {@link #closeAll()}. */
        Registration alive(String label, String name, byte[] body) throws IOException {
            long before = System.currentTimeMillis() / 1000;
            Registration r = register(port, body);
            long after = System.currentTimeMillis() / 1000;
            open.put(r, "name " + name + " at port " + (((body[1] & 0xFF) << 8) | (body[2] & 0xFF)) + "\n");
            byte[] b = r.answer.bytes();
            String line;
            if (b.length == 6 && b[0] == 118 && b[1] == 0) {
                long c = r.creation();
                Long previous = creations.put(name, c);
                if (previous != null) {
                    assertEquals(previous + 1, c, label + ": the creation after " + previous);
                    line = "76 00 <previous creation + 1>";
                } else {
                    // epmd's time() reads the coarse clock, which can lag a few ms behind a second's start.
                    assertTrue(c >= before && c <= after + 1,
                            label + ": creation " + c + " is not the time plus 1 (" + before + ".." + after + ")");
                    line = "76 00 <time + 1>";
                }
            } else if (b.length == 4 && b[0] == 121 && b[1] == 0) {
                long c = r.creation();
                assertTrue(c >= 1 && c <= 3, label + ": 16-bit creation " + c);
                line = "79 00 <creation 1..3>";
            } else {
                line = Wire.hex(b);
            }
            lines.add(label + ": " + line + (r.answer.closed() ? " closed" : " open"));
            return r;
        }

        /**
         * Closes the registrations one at a time, each time waiting until the server has noticed, so that
         * the order of the names it remembers does not depend on which close it happens to see first.
         */
        void closeQuietly() {
            for (Registration r : open.keySet()) {
                try {
                    r.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }

        void closeAll() throws Exception {
            for (Map.Entry<Registration, String> e : open.entrySet()) {
                Registration r = e.getKey();
                String line = e.getValue();
                boolean listed = r.ok() && names(port).contains(line);
                r.close();
                if (listed) {
                    assertTrue(Wire.eventually(3000, () -> !names(port).contains(line)),
                            "the server did not notice the end of " + line);
                }
            }
            open.clear();
        }
    }

    private static String names(int port) throws IOException {
        byte[] b = request(port, bytes(110)).bytes();
        return new String(b, 4, b.length - 4, StandardCharsets.UTF_8);
    }

    private static void awaitNames(int port, String expected) throws Exception {
        assertTrue(Wire.eventually(3000, () -> names(port).equals(expected)),
                () -> "NAMES never became " + expected);
    }

    private static void awaitStopped(int port) throws Exception {
        assertTrue(Wire.eventually(3000, () -> {
            try (Socket s = Wire.connect(port)) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }), "still listening on " + port);
    }

    @Test
    void registrationsLookupsNamesDumpKillAndStopAnswerAsEpmdDoes() throws Exception {
        compare((port, t) -> {
            t.withPort("NAMES, nothing registered", request(port, bytes(110)));
            t.withPort("DUMP, nothing registered", request(port, bytes(100)));
            t.add("PORT_PLEASE2 nope", request(port, portPlease("nope")));

            Registration foo = t.alive("ALIVE2 foo v6", "foo", alive2("foo", 5555));
            t.alive("ALIVE2 foo again, from another connection", "foo", alive2("foo", 5556));
            t.alive("ALIVE2 bar v5, hidden, extra", "bar", alive2(utf8("bar"), 6666, 72, 5, 5, utf8("xx")));
            t.alive("ALIVE2 nødé (UTF-8)", "nødé", alive2("nødé", 7777));

            t.withPort("NAMES", request(port, bytes(110)));
            t.withPort("DUMP", request(port, bytes(100)));
            t.add("PORT_PLEASE2 foo", request(port, portPlease("foo")));
            t.add("PORT_PLEASE2 bar with a NUL", request(port, concat(portPlease("bar"), bytes(0))));
            t.add("PORT_PLEASE2 nødé", request(port, portPlease("nødé")));
            t.add("PORT_PLEASE2 fo", request(port, portPlease("fo")));
            t.add("KILL with nodes", request(port, bytes(107)));
            t.add("STOP foo", request(port, concat(bytes(115), utf8("foo"))));
            t.withPort("NAMES after STOP", request(port, bytes(110)));

            foo.close();
            awaitNames(port, "name nødé at port 7777\nname bar at port 6666\n");
            t.withPort("NAMES after foo's connection closed", request(port, bytes(110)));
            t.add("PORT_PLEASE2 foo, gone", request(port, portPlease("foo")));
            t.alive("ALIVE2 foo, back", "foo", alive2("foo", 5557));
            t.withPort("DUMP", request(port, bytes(100)));

            t.closeAll();
            awaitNames(port, "");
            t.withPort("DUMP, all gone", request(port, bytes(100)));
            t.alive("ALIVE2 bar v5 back", "bar", alive2(utf8("bar"), 6667, 72, 5, 5, new byte[0]));
            t.closeAll();
            awaitNames(port, "");
            t.add("KILL, nothing registered", request(port, bytes(107)));
            awaitStopped(port);
            t.lines.add("stopped");
        });
    }

    @Test
    void malformedRequestsAreClosedAsEpmdClosesThem() throws Exception {
        byte[] padded = new byte[3057];
        padded[0] = 110;
        byte[] bigExtra = new byte[1021];
        Arrays.fill(bigExtra, (byte) 'x');
        String chars255 = "é".repeat(255);
        String chars254 = "é".repeat(254);
        compare((port, t) -> {
            t.add("length 0", exchange(port, bytes(0, 0)));
            t.add("length 0xffff", exchange(port, bytes(0xff, 0xff, 110)));
            t.add("length 3058 (too big)", exchange(port, bytes(0x0b, 0xf2)));
            t.withPort("length 3057 (biggest) NAMES", request(port, padded));
            t.add("more than announced", exchange(port, bytes(0, 1, 110, 0)));
            t.add("less than announced", exchange(port, bytes(0, 5, 110)));
            t.add("unknown type 1", request(port, bytes(1, 2, 3)));
            t.add("type 0", request(port, bytes(0)));
            t.add("type 255", request(port, bytes(255)));
            t.add("STOP without a name", request(port, bytes(115)));
            t.withPort("DUMP with extra bytes", request(port, bytes(100, 1, 2)));
            t.withPort("NAMES with extra bytes", request(port, bytes(110, 0, 0)));

            t.alive("ALIVE2 13 bytes", "", Arrays.copyOf(alive2("a", 1), 13));
            byte[] nameTooLong = alive2("abc", 1);
            nameTooLong[10] = 50;
            t.alive("ALIVE2 name length past the end", "", nameTooLong);
            byte[] extraTooLong = alive2("abc", 1);
            extraTooLong[15] = 9;
            t.alive("ALIVE2 extra length past the end", "", extraTooLong);
            t.alive("ALIVE2 NUL in the name", "", alive2(bytes('a', 0, 'b'), 1, 77, 6, 5, new byte[0]));
            t.alive("ALIVE2 invalid UTF-8", "", alive2(bytes(0xC3, 0x28), 1, 77, 6, 5, new byte[0]));
            t.alive("ALIVE2 overlong UTF-8", "", alive2(bytes(0xC0, 0x80 | 'a'), 1, 77, 6, 5, new byte[0]));
            t.alive("ALIVE2 surrogate", "", alive2(bytes(0xED, 0xA0, 0x80), 1, 77, 6, 5, new byte[0]));
            t.alive("ALIVE2 256 characters", "", alive2("a".repeat(256), 1));
            t.alive("ALIVE2 256 characters v5", "", alive2(utf8("a".repeat(256)), 1, 77, 5, 5, new byte[0]));
            t.alive("ALIVE2 extra of 1021 bytes", "", alive2(utf8("big"), 1, 77, 6, 5, bigExtra));
            t.alive("ALIVE2 255 two-byte characters", chars255, alive2(chars255, 2));
            t.alive("ALIVE2 254 two-byte characters", chars254, alive2(chars254, 3));
            t.alive("ALIVE2 empty name", "", concat(alive2("", 4), bytes(0)));
            t.alive("ALIVE2 trailing bytes", "trail", concat(alive2("trail", 5), bytes(1, 2, 3)));
            t.withPort("NAMES", request(port, bytes(110)));
            t.add("KILL with extra bytes, nodes registered", request(port, bytes(107, 1, 2)));

            t.add("PORT_PLEASE2 no name", request(port, bytes(122)));
            t.add("PORT_PLEASE2 only NUL", request(port, bytes(122, 0)));
            t.add("PORT_PLEASE2 NUL inside", request(port, bytes(122, 'a', 0, 'b')));
            t.add("PORT_PLEASE2 invalid UTF-8", request(port, bytes(122, 0xC3)));
            t.add("PORT_PLEASE2 255 characters", request(port, portPlease(chars255)));
            t.add("PORT_PLEASE2 254 characters", request(port, portPlease(chars254)));
            t.add("PORT_PLEASE2 trail", request(port, portPlease("trail")));

            Socket idle = Wire.connect(port);
            try {
                t.withPort("NAMES while a client sends nothing", request(port, bytes(110)));
            } finally {
                idle.close();
            }
            Registration chatty = t.alive("ALIVE2 chatty", "chatty", alive2("chatty", 9));
            chatty.socket.getOutputStream().write(bytes(0, 1, 110));
            t.add("ALIVE2 connection that sends more", Wire.read(chatty.socket));
            assertTrue(Wire.eventually(3000, () -> !names(port).contains("chatty")), "chatty still registered");
            t.add("PORT_PLEASE2 chatty", request(port, portPlease("chatty")));
            t.closeAll();
            awaitNames(port, "");
            t.dumpAnyFd("DUMP at the end", request(port, bytes(100)));
        });
    }

    /** Registers and unregisters at once: the creation it got. */
    private static long registerAndLeave(int port, String name) throws Exception {
        long creation;
        try (Socket s = Wire.connect(port)) {
            s.setSoTimeout(3000);
            s.getOutputStream().write(Wire.packet(alive2(name, 1)));
            byte[] b = s.getInputStream().readNBytes(6);
            assertEquals(6, b.length, name);
            assertEquals(0, b[1], name + " refused");
            creation = ((b[2] & 0xFFL) << 24) | ((b[3] & 0xFF) << 16) | ((b[4] & 0xFF) << 8) | (b[5] & 0xFF);
        }
        assertTrue(Wire.eventually(3000, () -> names(port).isEmpty()), name + " still registered");
        return creation;
    }

    @Test
    void pastAThousandRememberedNamesTheOldestSlotIsReusedWithItsCreation() throws Exception {
        compare((port, t) -> {
            long first = 0;
            for (int i = 0; i < 5; i++) {
                long c = registerAndLeave(port, "oldest");
                assertTrue(i == 0 || c == first + i, "creation " + c + " after " + first);
                first = i == 0 ? c : first;
            }
            long oldest = first + 4;
            long n0 = registerAndLeave(port, "n0");
            for (int i = 1; i < 1000; i++) {
                registerAndLeave(port, "n" + i);
            }
            t.lines.add("1001 names remembered");
            long fresh = registerAndLeave(port, "fresh");
            assertEquals(oldest, fresh, "the creation of the oldest remembered name");
            t.lines.add("fresh name got the creation of the oldest remembered one");
            // "oldest" is forgotten now (its slot went to "fresh"), so it takes the next oldest slot, n0's.
            assertEquals(n0, registerAndLeave(port, "oldest"));
            t.lines.add("oldest, forgotten, got n0's creation");
        });
    }
}
