package jinet.inet.ifaddrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jinet.inet.FileNames;
import jinet.inet.FileNameEncoding;
import jinet.term.ErlangException;
import jinet.term.Terms;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class IfAddrsTest {

    /** lo as getifaddrs(3) gives it, decoded by hand, against /sys/class/net and `ip -o addr`. */
    @Test
    void loopbackMatchesTheKernelsView() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/class/net/lo")), "no /sys/class/net/lo");
        List<IfAddrsComposer.Interface> ifs = IfAddrsComposer.compose(GetIfAddrs.entries());
        IfAddrsComposer.Interface lo = ifs.stream().filter(i -> i.name().equals("lo")).findFirst().orElseThrow();

        assertTrue(lo.opts().get(0).flags().contains("loopback"));

        String[] mac = read("/sys/class/net/lo/address").split(":");
        int[] hw = Arrays.stream(mac).mapToInt(h -> Integer.parseInt(h, 16)).toArray();
        IfOpt last = lo.opts().get(lo.opts().size() - 1);
        assertEquals(IfOpt.of("hwaddr", hw), last);

        List<IfOpt> expected = new ArrayList<>();
        Assumptions.assumeTrue(new java.io.File("/usr/sbin/ip").canExecute()
                || new java.io.File("/sbin/ip").canExecute() || new java.io.File("/usr/bin/ip").canExecute(),
                "no ip command");
        for (String line : run("ip", "-o", "addr", "show", "dev", "lo")) {
            String[] w = line.trim().split("\\s+");
            // "1: lo    inet 127.0.0.1/8 scope host lo\ ..."
            String fam = w[2];
            String[] cidr = w[3].split("/");
            int prefix = Integer.parseInt(cidr[1]);
            if (fam.equals("inet")) {
                expected.add(IfOpt.of("addr", v4(cidr[0])));
                expected.add(IfOpt.of("netmask", mask(prefix, 4, 8)));
            } else if (fam.equals("inet6")) {
                expected.add(IfOpt.of("addr", v6(cidr[0])));
                expected.add(IfOpt.of("netmask", mask(prefix, 8, 16)));
            }
        }
        List<IfOpt> got = lo.opts().subList(1, lo.opts().size() - 1);
        assertEquals(expected, got);
    }

    /**
     * Every interface's flags, in order, as BEAM's inet_drv maps the same kernel's ifa_flags: the
     * mapping is checked against the oracle, not against itself.
     */
    @Test
    void flagsAreBeamsForEveryInterface() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/erl")), "no erl to compare with");
        List<String> beam = run("/usr/bin/erl", "-noshell", "-eval",
                "{ok, Ifs} = inet:getifaddrs(), "
                + "[io:format(\"~s~s~n\", [N, [[$\\s | atom_to_list(F)] || F <- Fs]]) "
                + "|| {N, [{flags, Fs} | _]} <- Ifs], halt().");
        List<String> jinet = IfAddrsComposer.compose(GetIfAddrs.entries()).stream()
                .map(i -> i.name() + i.opts().get(0).flags().stream().map(f -> " " + f)
                        .reduce("", String::concat))
                .toList();
        assertTrue(beam.stream().anyMatch(l -> l.startsWith("lo ")), "erl listed no lo: " + beam);
        assertEquals(beam, jinet);
    }

    @Test
    void composeMergesByNameAndFlagsAndPutsHwaddrLast() {
        IfOpt up = IfOpt.flags(List.of("up", "running"));
        IfOpt down = IfOpt.flags(List.of("broadcast"));
        IfOpt hw1 = IfOpt.of("hwaddr", new int[] {1, 2, 3, 4, 5, 6});
        IfOpt hw2 = IfOpt.of("hwaddr", new int[] {9, 9});
        IfOpt a1 = IfOpt.of("addr", new int[] {10, 0, 0, 1});
        IfOpt a2 = IfOpt.of("addr", new int[] {10, 0, 0, 2});
        IfOpt a3 = IfOpt.of("addr", new int[] {10, 0, 0, 3});
        IfOpt b = IfOpt.of("addr", new int[] {10, 0, 1, 1});
        List<DriverEntry> in = List.of(
                new DriverEntry("e0", List.of(up, hw1)),
                new DriverEntry("e1", List.of(up, b)),
                new DriverEntry("e0", List.of(down, hw2)),
                new DriverEntry("e0", List.of(up, a1)),
                new DriverEntry("e0", List.of(down, a2)),
                new DriverEntry("e0", List.of(up, a3)));
        List<IfAddrsComposer.Interface> out = IfAddrsComposer.compose(in);
        assertEquals(2, out.size());
        assertEquals("e0", out.get(0).name());
        // prim_inet: [{flags,Up}, a1, a3, hw1] ++ hwaddr_last([{flags,Down}, hw2, a2]).
        assertEquals(List.of(up, a1, a3, hw1, down, a2, hw2), out.get(0).opts());
        assertEquals(List.of(up, b), out.get(1).opts());
    }

    @Test
    void optionsParseAsInetUdpOptionsDoes() throws Exception {
        OpenSpec spec = UdpOptions.parse(Terms.list(Terms.tuple(Terms.atom("netns"),
                new OtpErlangString("/var/run/netns/x"))));
        assertEquals("/var/run/netns/x", new String(spec.netns(), StandardCharsets.UTF_8));
        assertEquals(null, UdpOptions.parse(Terms.NIL).netns());
        // A later netns wins.
        spec = UdpOptions.parse(Terms.list(Terms.tuple(Terms.atom("netns"), new OtpErlangString("/a")),
                Terms.tuple(Terms.atom("netns"), new OtpErlangBinary("/b".getBytes(StandardCharsets.UTF_8)))));
        assertEquals("/b", new String(spec.netns(), StandardCharsets.UTF_8));
        // Not a list: function_clause; a bad option: exit badarg; an improper tail: function_clause.
        ErlangException e = assertThrows(ErlangException.class, () -> UdpOptions.parse(Terms.atom("foo")));
        assertEquals(ErlangException.Kind.ERROR, e.kind());
        assertEquals(Terms.atom("function_clause"), e.reason());
        e = assertThrows(ErlangException.class, () -> UdpOptions.parse(Terms.list(Terms.atom("foo"))));
        assertEquals(ErlangException.Kind.EXIT, e.kind());
        assertEquals(Terms.atom("badarg"), e.reason());
        OtpErlangObject improper = new OtpErlangList(new OtpErlangObject[] {Terms.atom("binary")}, Terms.atom("x"));
        e = assertThrows(ErlangException.class, () -> UdpOptions.parse(improper));
        assertEquals(Terms.atom("function_clause"), e.reason());
    }

    @Test
    void netnsNamesConvertAsFilename2binary() {
        // Code points in the file name encoding erl would use here (UTF-8 under a UTF-8 locale,
        // else Latin-1, where 256 is no name: badarg); nested chardata; a bad code point or a
        // non-chardata is no name.
        byte[] cp256 = FileNames.toBytes(new OtpErlangList(new OtpErlangObject[] {new OtpErlangLong(256)}));
        if (FileNameEncoding.nativeEncoding() == FileNameEncoding.UTF8) {
            assertEquals("Ā", new String(cp256, StandardCharsets.UTF_8));
        } else {
            assertEquals(null, cp256);
        }
        assertEquals("/ab", new String(FileNames.toBytes(new OtpErlangList(new OtpErlangObject[] {
                new OtpErlangString("/a"), new OtpErlangBinary("b".getBytes(StandardCharsets.UTF_8))})),
                StandardCharsets.UTF_8));
        assertNotNull(FileNames.toBytes(new OtpErlangBinary(new byte[] {(byte) 255})));
        assertEquals(null, FileNames.toBytes(new OtpErlangList(new OtpErlangObject[] {
                new OtpErlangBinary(new byte[] {(byte) 255})})));
        assertEquals(null, FileNames.toBytes(new OtpErlangList(new OtpErlangObject[] {new OtpErlangLong(0xD800)})));
        assertEquals(null, FileNames.toBytes(Terms.atom("foo")));
    }

    @Test
    void badNamespacePathsGivePosixErrors() throws Exception {
        OtpErlangObject r = GetIfAddrs.getifaddrs(Terms.list(Terms.tuple(Terms.atom("netns"),
                new OtpErlangString("/nonexistent/jinet"))));
        assertEquals(Terms.error("enoent"), r);
        r = GetIfAddrs.getifaddrs(Terms.list(Terms.tuple(Terms.atom("netns"), new OtpErlangString("/"))));
        assertEquals(Terms.error("einval"), r);
        assertFalse(Thread.currentThread().isInterrupted());
    }

    private static String read(String file) throws IOException {
        return Files.readString(Path.of(file)).trim();
    }

    private static List<String> run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines().filter(l -> !l.isBlank()).toList();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return lines;
    }

    private static int[] v4(String s) {
        return Arrays.stream(s.split("\\.")).mapToInt(Integer::parseInt).toArray();
    }

    private static int[] v6(String s) throws Exception {
        byte[] b = java.net.InetAddress.getByName(s).getAddress();
        int[] w = new int[8];
        for (int k = 0; k < 8; k++) {
            w[k] = ((b[2 * k] & 0xff) << 8) | (b[2 * k + 1] & 0xff);
        }
        return w;
    }

    private static int[] mask(int prefix, int n, int bits) {
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            int take = Math.max(0, Math.min(bits, prefix - k * bits));
            out[k] = take == 0 ? 0 : ((1 << bits) - 1) & ~((1 << (bits - take)) - 1);
        }
        return out;
    }
}
