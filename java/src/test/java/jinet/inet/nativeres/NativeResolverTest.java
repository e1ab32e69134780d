package jinet.inet.nativeres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangException;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jinet.inet.FunctionClauseException;
import jinet.term.Terms;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NativeResolver against BEAM's inet_gethost_native on the same machine: BEAM's answers are the
 * expected values, input by input. Three runs: the real libc with inputs of every shape; a
 * scripted libc (LD_PRELOAD into BEAM's port program, {@link ScriptedNetdb} here) for the answers
 * glibc does not give on demand (every error code, aliases, duplicates, empty lists, odd bytes);
 * and the scripted libc with slow lookups, for the pool, its queues and the timeouts.
 */
class NativeResolverTest {
    private static final OtpErlangObject INET = Terms.atom("inet");
    private static final OtpErlangObject INET6 = Terms.atom("inet6");

    @TempDir
    Path dir;

    @Test
    void answersAsBeamDoesThroughTheCLibrary() throws Exception {
        Oracle.erl();
        List<OtpErlangObject> inputs = new ArrayList<>();
        HostsFile hosts = HostsFile.read(Path.of("/etc/hosts"));
        for (String h : hosts.names) {
            for (String v : List.of(h, h.toUpperCase(Locale.ROOT), mixedCase(h), h + ".")) {
                inputs.add(name(str(v), INET));
                inputs.add(name(str(v), INET6));
            }
            inputs.add(name(Terms.atom(h), INET));
            inputs.add(name(Terms.atom(h), INET6));
            inputs.add(name(Terms.list(bin(h)), INET));
            inputs.add(name(improper(bin(h.substring(1)), new OtpErlangLong(h.charAt(0))), INET6));
            inputs.add(name(Terms.list(Terms.list(new OtpErlangLong(h.charAt(0))), bin(h.substring(1, h.length() / 2 + 1)),
                    str(h.substring(h.length() / 2 + 1))), INET));
            inputs.add(name(str(h + "\0junk"), INET));
            inputs.add(name(str(h), Terms.atom("foo")));
            inputs.add(name(str(h), Terms.atom("INET")));
            inputs.add(name(str(h), str("inet")));
            inputs.add(name(str(h), new OtpErlangLong(4)));
            inputs.add(name(Terms.atom(h), Terms.tuple(INET)));
            inputs.add(name(Terms.atom(h), Terms.atom("local")));
        }
        for (String a : hosts.addresses) {
            inputs.add(addr(str(a)));
            inputs.add(addr(Terms.atom(a)));
            inputs.add(name(str(a), INET));
            inputs.add(name(str(a), INET6));
        }
        for (String ip : List.of("127.0.0.1", "::1", "::ffff:127.0.0.1", "127.1", "0x7f.1", "0.0.0.0", "::",
                "255.255.255.255", "1.2.3.4.5", "fe80::1%lo", "::ffff:7f00:1", "127.0.0.1 ")) {
            inputs.add(name(str(ip), INET));
            inputs.add(name(str(ip), INET6));
        }
        for (String odd : List.of("", "a b", "local host", "\t", "localhost\n", "\u0001", "caf\u00e9", "\u00ff\u0080",
                "nosuchhost.invalid", "a".repeat(300), "a".repeat(64) + ".invalid", "a".repeat(63) + ".invalid",
                "\u0100", "localhost\u20ac")) {
            inputs.add(name(str(odd), INET));
            inputs.add(name(str(odd), INET6));
        }
        inputs.add(name(Terms.atom(""), INET));
        inputs.add(name(Terms.atom("caf\u00e9"), INET6));
        inputs.add(name(Terms.atom("\u0100"), INET));
        inputs.add(name(new OtpErlangLong(123), INET));
        inputs.add(name(bin("localhost"), INET));
        inputs.add(name(Terms.tuple(n(127), n(0), n(0), n(1)), INET));
        inputs.add(name(new OtpErlangDouble(1.5), INET6));
        inputs.add(name(new OtpErlangLong(123), Terms.atom("foo")));
        inputs.add(name(improper(n('b'), n('a')), INET));
        inputs.add(name(Terms.list(n(-1)), INET));
        inputs.add(name(Terms.list(n(256)), INET));
        inputs.add(name(Terms.list(Terms.atom("a")), INET));
        inputs.add(name(Terms.list(new OtpErlangLong(BigInteger.ONE.shiftLeft(70))), INET));
        inputs.add(name(Terms.list(n('l'), bin("ocal"), Terms.list(), str("host")), INET));

        for (OtpErlangObject t : List.of(
                tuple(127, 0, 0, 1), tuple(0, 0, 0, 0, 0, 0, 0, 1), tuple(10, 1, 2, 3), tuple(192, 0, 2, 1),
                tuple(256, 0, 0, 1), tuple(-1, 0, 0, 1), tuple(-129, 0, 0, 1), tuple(127, 0, 0), tuple(1, 2, 3, 4, 5),
                tuple(0, 0, 0, 0, 0, 0xffff, 0x7f00, 1), tuple(65536, 0, 0, 0, 0, 0, 0, 1), tuple(0, 0, 0, 0, 0, 0, 0, -1),
                tuple(-65535, 0, 0, 0, 0, 0, 0, 1), tuple(0, 0, 0, 0, 0, 0, 0, 0), tuple(0, 0, 0, 0))) {
            inputs.add(addr(t));
        }
        inputs.add(addr(Terms.tuple(new OtpErlangLong(BigInteger.ONE.shiftLeft(70).negate().add(BigInteger.valueOf(127))),
                n(0), n(0), n(1))));
        inputs.add(addr(Terms.tuple(n(127), n(0), n(0), new OtpErlangDouble(1.0))));
        for (String s : List.of("127.0.0.1", "::1", "::ffff:127.0.0.1", "127.1", "localhost", "", "fe80::1%lo",
                "fe80::1%1", "::1%eth0", "0x7f.0.0.1", "127.0.0.1 ")) {
            inputs.add(addr(str(s)));
        }
        inputs.add(addr(improper(Terms.atom("x"), n('1'), n('.'), n('2'), n('.'), n('3'), n('.'), n('4'))));
        inputs.add(addr(improper(Terms.atom("x"), n('1'), n('.'))));
        inputs.add(addr(improper(Terms.atom("x"), n(':'), n(':'))));
        inputs.add(addr(Terms.list(n('f'), n('e'), n('8'), n('0'), n(':'), n(':'), n('1'), n('%'),
                new OtpErlangDouble(1.0))));
        inputs.add(addr(Terms.atom("127.0.0.1")));
        inputs.add(addr(Terms.atom("localhost")));
        inputs.add(addr(Terms.atom("::1")));
        inputs.add(addr(new OtpErlangLong(123)));
        inputs.add(addr(bin("127.0.0.1")));
        inputs.add(addr(new OtpErlangDouble(1.5)));

        compare(List.of(staggered(Map.of(), inputs)), NativeResolverTest::glibc, Map.of());
    }

    @Test
    void answersAsBeamDoesThroughAScriptedCLibrary() throws Exception {
        Oracle.erl();
        Path shim = compileShim();
        List<OtpErlangObject> inputs = new ArrayList<>();
        for (OtpErlangObject t : List.of(INET, INET6)) {
            for (String s : List.of("fake-nabc_aal1_aal2_i01020304_i01020304_i-", "fake-i01020304",
                    "fake-n_i01020304", "fake-n%e9%ff%80_a%01%7f_a_i7f000001", "fake-o", "fake-o_nname",
                    "fake-nx_i-", "fake-nx_i-_i0a000001_aal", "fake-i-_i0a000001_aal", "fake-nabc_i01020304\0junk",
                    "fake-nabc_i01020304.some.domain", "fake-n%5f%2e_i01020304", "fake-ndup_adup_adup_i01020304_i01020305")) {
                inputs.add(name(str(s), t));
            }
            for (int e = -12; e <= 6; e++) {
                inputs.add(name(str("fake-e" + e), t));
            }
            inputs.add(name(Terms.list(bin("fake-i0a000001")), t));
            inputs.add(name(Terms.atom("fake-i0a000002"), t));
            inputs.add(name(improper(bin("ake-i0a000003"), n('f')), t));
        }
        for (int x : new int[] {1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 16, 17}) {
            inputs.add(addr(tuple(192, 0, 2, x)));
        }
        inputs.add(addr(str("192.0.2.1")));
        inputs.add(addr(tuple(-64, 0, 2, 1)));
        for (int x : new int[] {1, 2, 3, 4, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33}) {
            inputs.add(addr(tuple(0x2001, 0xdb8, 0, 0, 0, 0, 0, x)));
        }
        inputs.add(addr(tuple(0x2001 - 65536, 0xdb8, 0, 0, 0, 0, 0, 1)));
        inputs.add(addr(str("2001:db8::3")));
        compare(List.of(staggered(Map.of(), inputs)), NativeResolverTest::scripted, Map.of("LD_PRELOAD", shim.toString()));
    }

    /**
     * Slow lookups (the scripted libc sleeps) against the 2000 ms request timeout: a lone slow
     * lookup, a second caller of a pending request, a full pool, greedy queueing by domain on and
     * off, a cancelled lookup whose worker has a queue, and a pool that cannot start. Step times
     * keep 300 ms or more away from every deadline.
     */
    @Test
    void schedulesAndTimesOutAsBeamDoes() throws Exception {
        Oracle.erl();
        Path shim = compileShim();
        Map<String, OtpErlangObject> noPriority = Map.of("gethost_prioritize", Terms.atom("false"));
        List<Oracle.Scenario> scenarios = List.of(
                scenario(Map.of(),
                        step(0, "fake-s3000_i01010101.a", INET),
                        step(0, "fake-s1000_i01010102.b", INET6)),
                scenario(Map.of(),
                        step(0, "fake-s2600_i02020202.b", INET),
                        step(1000, "fake-s2600_i02020202.b", INET)),
                // greedy: three busy, the fourth joins the queue of the worker on its domain
                scenario(Map.of(),
                        step(0, "fake-s1700_i03030301.d1", INET),
                        step(0, "fake-s1700_i03030302.d2", INET),
                        step(0, "fake-s1700_i03030303.d3", INET),
                        step(100, "fake-s800_i03030304.d1", INET)),
                scenario(noPriority,
                        step(0, "fake-s1700_i03030301.d1", INET),
                        step(0, "fake-s1700_i03030302.d2", INET),
                        step(0, "fake-s1700_i03030303.d3", INET),
                        step(100, "fake-s800_i03030304.d1", INET)),
                // the queued request starts when the one before it is cancelled
                scenario(Map.of(),
                        step(0, "fake-s2600_i04040401.d1", INET6),
                        step(0, "fake-s2600_i04040402.d2", INET6),
                        step(0, "fake-s2600_i04040403.d3", INET6),
                        step(400, "fake-s100_i04040404.d1", INET6)),
                scenario(Map.of("gethost_poolsize", n(2), "gethost_prioritize", Terms.atom("false")),
                        step(0, "fake-s1800_i05050501.c1", INET),
                        step(0, "fake-s1800_i05050502.c2", INET),
                        step(100, "fake-i05050503.c3", INET),
                        step(150, "fake-s600_i05050504.c4", INET)),
                scenario(Map.of("gethost_extra_args", str("-g 1 3")),
                        step(0, "fake-s1700_i06060601.e", INET),
                        step(100, "fake-s600_i06060602.e", INET),
                        step(100, "fake-s600_i06060603.f", INET)),
                scenario(Map.of("gethost_poolsize", n(-1)),
                        step(0, "fake-i07070701", INET)),
                scenario(Map.of(),
                        new Oracle.Step(0, addr(tuple(192, 0, 2, 75))),
                        new Oracle.Step(0, addr(tuple(0x2001, 0xdb8, 0, 0, 0, 0, 0, 60))),
                        new Oracle.Step(300, addr(tuple(0x2001, 0xdb8, 0, 0, 0, 0, 0, 60)))));
        compare(scenarios, NativeResolverTest::scripted, Map.of("LD_PRELOAD", shim.toString()));
    }

    // ---- running both sides -------------------------------------------------------------------

    private static NativeResolver glibc(Map<String, OtpErlangObject> env) {
        return new NativeResolver(GlibcNetdb.INSTANCE, PoolConfig.fromKernelEnv(env, Oracle.RESOLVER_TIMEOUT_MILLIS));
    }

    private static NativeResolver scripted(Map<String, OtpErlangObject> env) {
        return new NativeResolver(new ScriptedNetdb(), PoolConfig.fromKernelEnv(env, Oracle.RESOLVER_TIMEOUT_MILLIS));
    }

    @SuppressWarnings("unchecked")
    private void compare(List<Oracle.Scenario> scenarios,
            java.util.function.Function<Map<String, OtpErlangObject>, NativeResolver> resolver,
            Map<String, String> erlEnvironment) throws Exception {
        List<List<Oracle.Answer>> beam = Oracle.run(scenarios, erlEnvironment, dir);
        // BEAM ran the scenarios one after the other on one pool; each here has a pool of its own.
        List<List<OtpErlangObject>> ours = Arrays.asList(new List[scenarios.size()]);
        List<Thread> runs = new ArrayList<>();
        for (int s = 0; s < scenarios.size(); s++) {
            int k = s;
            Thread t = new Thread(() -> ours.set(k, runJava(resolver.apply(scenarios.get(k).env()), beam.get(k))));
            t.start();
            runs.add(t);
        }
        for (Thread t : runs) {
            t.join();
        }
        List<String> mismatches = new ArrayList<>();
        int count = 0;
        for (int s = 0; s < scenarios.size(); s++) {
            List<Oracle.Answer> answers = beam.get(s);
            for (int i = 0; i < answers.size(); i++) {
                count++;
                Oracle.Answer a = answers.get(i);
                OtpErlangObject mine = ours.get(s).get(i);
                if (!a.result().equals(mine)) {
                    mismatches.add("scenario " + s + " step " + i + " " + a.input() + " (at " + a.delayMillis()
                            + " ms)\n    BEAM:  " + a.result() + "\n    jinet: " + mine);
                }
            }
        }
        System.out.println(getClass().getSimpleName() + ": " + count + " inputs in " + scenarios.size()
                + " scenario(s) compared with BEAM, " + mismatches.size() + " mismatches");
        mismatches.forEach(System.out::println);
        assertEquals(List.of(), mismatches);
    }

    /** Each input at the time BEAM ran it, concurrently; the answers in input order. */
    private static List<OtpErlangObject> runJava(NativeResolver r, List<Oracle.Answer> answers) {
        OtpErlangObject[] out = new OtpErlangObject[answers.size()];
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < answers.size(); i++) {
            int k = i;
            Oracle.Answer a = answers.get(i);
            Thread t = new Thread(() -> {
                long wait = t0 + TimeUnit.MILLISECONDS.toNanos(a.delayMillis()) - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                try {
                    out[k] = apply(r, a.input());
                } catch (RuntimeException e) {
                    out[k] = Terms.tuple(Terms.atom("java_exception"), new OtpErlangString(e.toString()));
                }
            }, "lookup-" + i);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        return Arrays.asList(out);
    }

    private static OtpErlangObject apply(NativeResolver r, OtpErlangObject input) {
        OtpErlangTuple t = (OtpErlangTuple) input;
        try {
            return Terms.isAtom(t.elementAt(0), "name")
                    ? r.gethostbyname(t.elementAt(1), t.elementAt(2))
                    : r.gethostbyaddr(t.elementAt(1));
        } catch (FunctionClauseException e) {
            return Terms.tuple(Terms.atom("raised"), Terms.atom("error"), Terms.atom("function_clause"));
        }
    }

    /** Inputs 20 ms apart: the glibc run is about terms, not about a crowded pool. */
    private static Oracle.Scenario staggered(Map<String, OtpErlangObject> env, List<OtpErlangObject> inputs) {
        List<Oracle.Step> steps = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            steps.add(new Oracle.Step(20L * i, inputs.get(i)));
        }
        return new Oracle.Scenario(env, steps);
    }

    private static Oracle.Scenario scenario(Map<String, OtpErlangObject> env, Oracle.Step... steps) {
        return new Oracle.Scenario(env, List.of(steps));
    }

    private static Oracle.Step step(long at, String name, OtpErlangObject type) {
        return new Oracle.Step(at, name(str(name), type));
    }

    /** The scripted libc, built for BEAM's port program; aborts the test when there is no gcc. */
    private Path compileShim() throws IOException, InterruptedException {
        String gcc = Oracle.onPath("gcc");
        if (gcc == null) {
            gcc = Oracle.onPath("cc");
        }
        Assumptions.assumeTrue(gcc != null, "no gcc or cc on PATH to build the scripted libc for BEAM");
        Path src = dir.resolve("fake.c");
        Path so = dir.resolve("fake.so");
        Files.writeString(src, ScriptedNetdb.C_SOURCE, StandardCharsets.ISO_8859_1);
        Process p = new ProcessBuilder(gcc, "-shared", "-fPIC", "-o", so.toString(), src.toString(), "-ldl")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "gcc failed:\n" + output);
        return so;
    }

    // ---- terms --------------------------------------------------------------------------------

    private static OtpErlangObject name(OtpErlangObject name, OtpErlangObject type) {
        return Terms.tuple(Terms.atom("name"), name, type);
    }

    private static OtpErlangObject addr(OtpErlangObject addr) {
        return Terms.tuple(Terms.atom("addr"), addr);
    }

    private static OtpErlangObject str(String s) {
        return s.isEmpty() ? new OtpErlangList() : new OtpErlangString(s);
    }

    private static OtpErlangObject bin(String s) {
        return new OtpErlangBinary(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static OtpErlangLong n(long v) {
        return new OtpErlangLong(v);
    }

    private static OtpErlangObject tuple(long... vs) {
        OtpErlangObject[] out = new OtpErlangObject[vs.length];
        for (int i = 0; i < vs.length; i++) {
            out[i] = n(vs[i]);
        }
        return new OtpErlangTuple(out);
    }

    private static OtpErlangObject improper(OtpErlangObject tail, OtpErlangObject... elements) {
        try {
            return new OtpErlangList(elements, tail);
        } catch (OtpErlangException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String mixedCase(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(i % 2 == 0 ? Character.toUpperCase(c) : c);
        }
        return sb.toString();
    }

    /** The names and addresses of the hosts file, in file order, each once. */
    private static final class HostsFile {
        final Set<String> names = new LinkedHashSet<>();
        final Set<String> addresses = new LinkedHashSet<>();

        static HostsFile read(Path path) throws IOException {
            HostsFile h = new HostsFile();
            if (!Files.isReadable(path)) {
                return h;
            }
            for (String line : Files.readAllLines(path, StandardCharsets.ISO_8859_1)) {
                int hash = line.indexOf('#');
                String[] words = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
                if (words.length < 2) {
                    continue;
                }
                h.addresses.add(words[0]);
                for (int i = 1; i < words.length; i++) {
                    h.names.add(words[i]);
                }
            }
            return h;
        }
    }
}
