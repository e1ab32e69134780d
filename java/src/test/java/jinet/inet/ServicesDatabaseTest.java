package jinet.inet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The services file read as glibc's files module reads it. */
class ServicesDatabaseTest {
    private static final String FILE = String.join("\n",
            "# Network services, Internet style",
            "",
            "tcpmux\t\t1/tcp\t\t\t\t# TCP port service multiplexer",
            "echo\t\t7/tcp",
            "echo\t\t7/udp",
            "http\t\t80/tcp\t\twww\t\t# WorldWideWeb HTTP",
            "  www-alt  80/tcp  web  w3   ",
            "kerberos\t88/tcp\t\tkerberos5 krb5 kerberos-sec",
            "kerberos\t88/udp\t\tkerberos5 krb5 kerberos-sec",
            "amqp\t\t5672/sctp",
            "dup\t\t99/tcp",
            "dup\t\t98/tcp",
            "hex\t\t0x1F/tcp",
            "oct\t\t010/tcp",
            "neg\t\t-1/tcp",
            "wrap\t\t65617/tcp",
            "huge\t\t99999999999999999999999/tcp",
            "slashes\t\t12//udp",
            "noproto\t\t13/ alias13",
            "nosep\t\t14 tcp",
            "noport\t\t/tcp",
            "badtail\t\t15x/tcp",
            "badhex\t\t0x/tcp",
            "hash#inname\t16/tcp",
            "cut\t\t17/tc#p",
            "Upper\t\t18/TCP",
            "crlf\t\t19/tcp\r",
            "nul\t\t20/tcp\0 ignored",
            "\0starts with nul 21/tcp",
            "latin\u00e9\t\t22/tcp",
            "plus\t\t+24/tcp",
            "vt\u000b25/tcp",
            "solo\t\t26",
            "solo2\t\t27 ",
            "zero\t\t-0/tcp",
            "u32max\t\t4294967295/tcp",
            "u32over\t\t4294967296/tcp",
            "u32wrap\t\t4294901841/tcp",
            "negwrap\t\t-18446744073709551615/tcp",
            "negover\t\t-18446744073709551616/tcp",
            "last\t\t23/tcp");

    private static ServicesDatabase db() {
        return ServicesDatabase.parse(FILE.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Optional<Integer> port(String name, String proto) {
        return db().portByName(bytes(name), bytes(proto));
    }

    private static Optional<String> name(int port, String proto) {
        return db().nameByPort(port, bytes(proto)).map(b -> new String(b, StandardCharsets.ISO_8859_1));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void namesAndAliasesFindPortsPerProtocol() {
        assertEquals(Optional.of(1), port("tcpmux", "tcp"));
        assertEquals(Optional.of(7), port("echo", "udp"));
        assertEquals(Optional.of(80), port("www", "tcp"));
        assertEquals(Optional.of(88), port("krb5", "udp"));
        assertEquals(Optional.of(88), port("kerberos-sec", "tcp"));
        assertEquals(Optional.of(5672), port("amqp", "sctp"));
        assertEquals(Optional.empty(), port("amqp", "tcp"));
        assertEquals(Optional.empty(), port("http", "udp"));
        assertEquals(Optional.empty(), port("HTTP", "tcp"));
        assertEquals(Optional.empty(), port("http", "TCP"));
        assertEquals(Optional.empty(), port("", "tcp"));
        assertEquals(Optional.of(23), port("last", "tcp"));
    }

    @Test
    void theFirstMatchingLineWins() {
        assertEquals(Optional.of(99), port("dup", "tcp"));
        assertEquals(Optional.of("http"), name(80, "tcp"));
        assertEquals(Optional.of("echo"), name(7, "udp"));
        assertEquals(Optional.of(80), port("web", "tcp"));
    }

    @Test
    void portsAreReadByStrtoulAndKeptModulo65536() {
        assertEquals(Optional.of(31), port("hex", "tcp"));
        assertEquals(Optional.of(8), port("oct", "tcp"));
        assertEquals(Optional.of(81), port("wrap", "tcp"));
        assertEquals(Optional.of(24), port("plus", "tcp"));
        assertEquals(Optional.of(0), port("zero", "tcp"));
        assertEquals(Optional.of(65535), port("u32max", "tcp"));
        assertEquals(Optional.of(81), port("u32wrap", "tcp"));
        assertEquals(Optional.of(1), port("negwrap", "tcp"));
        assertEquals(Optional.of("u32max"), name(65535, "tcp"));
        assertEquals(Optional.of(12), port("slashes", "udp"));
    }

    @Test
    void portsAboveUintMaxAreSkipped() {
        for (String n : List.of("neg", "huge", "u32over", "negover")) {
            assertEquals(Optional.empty(), port(n, "tcp"), n);
        }
    }

    @Test
    void aPortMayEndTheLine() {
        assertEquals(Optional.of(26), port("solo", ""));
        assertEquals(Optional.empty(), port("solo2", ""));
    }

    @Test
    void malformedLinesAreSkipped() {
        for (String n : List.of("nosep", "noport", "badtail", "badhex", "hash", "hash#inname", "starts")) {
            assertEquals(Optional.empty(), port(n, "tcp"), n);
        }
        assertEquals(Optional.empty(), name(14, "tcp"));
        assertEquals(Optional.empty(), name(16, "tcp"));
    }

    @Test
    void anEmptyProtocolIsAProtocolToo() {
        assertEquals(Optional.of(13), port("noproto", ""));
        assertEquals(Optional.of(13), port("alias13", ""));
        assertEquals(Optional.of("noproto"), name(13, ""));
        assertEquals(Optional.empty(), name(80, ""));
    }

    @Test
    void commentsCarriageReturnsAndNulsEndTheText() {
        assertEquals(Optional.of(17), port("cut", "tc"));
        assertEquals(Optional.of(18), port("Upper", "TCP"));
        assertEquals(Optional.of(19), port("crlf", "tcp"));
        assertEquals(Optional.of(20), port("nul", "tcp"));
        assertEquals(Optional.empty(), port("ignored", "tcp"));
        assertEquals(Optional.of(22), port("latin\u00e9", "tcp"));
    }

    /** glibc's nss_readline moves an indented line left without its NUL (checked on BEAM). */
    @Test
    void anIndentedLineNotEndedByANewlineKeepsItsLastBytesTwice() {
        ServicesDatabase quirk = ServicesDatabase.parse(
                bytes("one 1/tcp\n\tweb\t7/sctp\0junk\n  last 23/tcp"));
        assertEquals(Optional.empty(), quirk.portByName(bytes("web"), bytes("sctp")));
        assertEquals(Optional.of(7), quirk.portByName(bytes("web"), bytes("sctpp")));
        assertEquals(Optional.empty(), quirk.portByName(bytes("last"), bytes("tcp")));
        assertEquals(Optional.of(23), quirk.portByName(bytes("last"), bytes("tcpcp")));
        assertEquals(Optional.of(1), quirk.portByName(bytes("one"), bytes("tcp")));
    }

    @Test
    void entriesKeepFileOrderAndAliases() {
        List<String> names = db().entries().stream()
                .map(e -> new String(e.name(), StandardCharsets.ISO_8859_1)).collect(Collectors.toList());
        assertEquals(List.of("tcpmux", "echo", "echo", "http", "www-alt", "kerberos", "kerberos", "amqp",
                "dup", "dup", "hex", "oct", "wrap", "slashes", "noproto", "cut", "Upper",
                "crlf", "nul", "latin\u00e9", "plus", "vt", "solo", "zero", "u32max", "u32wrap", "negwrap",
                "last"), names);
        ServicesDatabase.Entry alt = db().entries().get(4);
        assertEquals(2, alt.aliases().size());
        assertArrayEquals(bytes("w3"), alt.aliases().get(1));
    }

    @Test
    void aMissingFileIsAnEmptyDatabase(@TempDir Path dir) {
        assertTrue(ServicesDatabase.read(dir.resolve("nothing")).entries().isEmpty());
    }

    @Test
    void theReloadingViewFollowsTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("services");
        Files.write(file, bytes("one 1/tcp\n"));
        ServicesDatabase.Reloading view = new ServicesDatabase.Reloading(file);
        assertEquals(Optional.of(1), view.current().portByName(bytes("one"), bytes("tcp")));
        Files.write(file, bytes("one 2/tcp\ntwo 3/tcp\n"));
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertEquals(Optional.of(2), view.current().portByName(bytes("one"), bytes("tcp")));
        Files.delete(file);
        assertTrue(view.current().entries().isEmpty());
    }
}
