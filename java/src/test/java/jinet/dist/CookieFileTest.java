package jinet.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cookie file is found, created and refused as erl does it. */
class CookieFileTest {
    @TempDir
    Path home;

    private Map<String, String> env() {
        return Map.of("HOME", home.toString());
    }

    private Path cookie(String content, String perms) throws IOException {
        Path file = home.resolve(".erlang.cookie");
        Files.write(file, content.getBytes(StandardCharsets.ISO_8859_1));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
        return file;
    }

    private String refusal() {
        return assertThrows(CookieFile.Refused.class, () -> CookieFile.find(env())).getMessage();
    }

    @Test
    void aMissingCookieIsCreatedUnderHomeAsTwentyCapitalsReadableByTheOwnerOnly() throws IOException {
        String cookie = CookieFile.find(env());
        assertTrue(cookie.matches("[A-Z]{20}"), cookie);
        Path file = home.resolve(".erlang.cookie");
        assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(LocalDate.now().atStartOfDay(ZoneId.systemDefault()).toInstant(),
                Files.getLastModifiedTime(file).toInstant(), "dated midnight, as erl's make_info");
        assertEquals(cookie, CookieFile.find(env()), "a second read must not replace it");
        try (var files = Files.list(home)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void theCookieIsWhatErlReadsFromTheFile() throws IOException {
        cookie("SECRET\n", "r--------");
        assertEquals("SECRET", CookieFile.find(env()));
        cookie("abc \r\n \n", "rw-------");
        assertEquals("abc ", CookieFile.find(env()), "spaces before the line end are the cookie's");
        cookie("   ", "r--------");
        assertEquals("   ", CookieFile.find(env()));
    }

    @Test
    void aCookieOthersCanReadIsRefusedWithErlsMessage() throws IOException {
        Path file = cookie("SECRET", "rw-r--r--");
        assertEquals("Cookie file " + file + " must be accessible by owner only", refusal());
        cookie("SECRET", "r---w----");
        assertEquals("Cookie file " + file + " must be accessible by owner only", refusal());
    }

    @Test
    void emptyAndBadCookiesAreRefusedWithErlsMessages() throws IOException {
        cookie("", "r--------");
        assertEquals("Too short cookie string", refusal());
        cookie("\n\r\n", "rw-------");
        assertEquals("Too short cookie string", refusal());
        cookie("ab\n cd", "r--------");
        assertEquals("Bad characters in cookie", refusal());
        cookie("ab\t", "r--------");
        assertEquals("Bad characters in cookie", refusal());
        cookie("ab\u00e9", "r--------");
        assertEquals("Bad characters in cookie", refusal());
        cookie("A".repeat(256), "r--------");
        assertTrue(refusal().startsWith("system_limit"));
        cookie("A".repeat(255), "r--------");
        assertEquals("A".repeat(255), CookieFile.find(env()));
    }

    @Test
    void aDirectoryIsRefused() throws IOException {
        Files.createDirectory(home.resolve(".erlang.cookie"));
        assertEquals("Cookie file " + home.resolve(".erlang.cookie") + " is of type directory", refusal());
    }

    @Test
    void theXdgConfigFileIsReadWhenHomeHasNone() throws IOException {
        Path xdg = Files.createDirectories(home.resolve(".config/erlang")).resolve(".erlang.cookie");
        Files.writeString(xdg, "FROMXDG");
        Files.setPosixFilePermissions(xdg, PosixFilePermissions.fromString("r--------"));
        assertEquals("FROMXDG", CookieFile.find(env()));
        assertFalse(Files.exists(home.resolve(".erlang.cookie")), "nothing created when XDG has one");

        Path other = Files.createDirectories(home.resolve("x/erlang")).resolve(".erlang.cookie");
        Files.writeString(other, "OTHER");
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-r--r--"));
        Map<String, String> env = Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve("x").toString());
        assertEquals("Cookie file " + other + " must be accessible by owner only",
                assertThrows(CookieFile.Refused.class, () -> CookieFile.find(env)).getMessage());
    }

    @Test
    void aHomeThatIsMissingOrUnsetIsRefused() {
        Path gone = home.resolve("nonexistent");
        assertEquals("Failed to create cookie file '" + gone.resolve(".erlang.cookie") + "': enoent",
                assertThrows(CookieFile.Refused.class, () -> CookieFile.find(Map.of("HOME", gone.toString())))
                        .getMessage());
        assertThrows(CookieFile.Refused.class, () -> CookieFile.find(Map.of()));
    }

    /** The messages against erl's own error reports, each erl started with HOME set to a prepared directory. */
    @Test
    void erlRefusesTheSameFilesWithTheSameWords() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/erl")), "no erl to compare with");
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("group-readable", new String[] {"SECRET", "rw-r-----"});
        cases.put("empty", new String[] {"", "r--------"});
        cases.put("bad", new String[] {"ab\n cd", "r--------"});
        cases.put("good", new String[] {"GOOD \n", "r--------"});
        List<String> differ = new ArrayList<>();
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            Path dir = Files.createDirectory(home.resolve(c.getKey()));
            Path file = dir.resolve(".erlang.cookie");
            Files.writeString(file, c.getValue()[0]);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(c.getValue()[1]));
            String jinet;
            try {
                jinet = "cookie " + CookieFile.find(Map.of("HOME", dir.toString()));
            } catch (CookieFile.Refused e) {
                jinet = e.getMessage();
            }
            String erl = erl(dir);
            if (!erl.equals(jinet)) {
                differ.add(c.getKey() + ": erl [" + erl + "], jinet [" + jinet + "]");
            }
        }
        assertTrue(differ.isEmpty(), String.join("\n", differ));
    }

    /** erl's cookie, or the message of its first error report, in either of the forms erl prints it. */
    private static String erl(Path home) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/erl", "-sname", "cookietest" + ProcessHandle.current().pid(),
                "-noshell", "-eval", "io:format(standard_error, \"cookie ~s~n\", [erlang:get_cookie()]), halt().");
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("XDG_CONFIG_HOME");
        pb.directory(home.toFile());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        String[] lines = out.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("cookie ")) {
                return lines[i];
            }
            if (lines[i].startsWith("=ERROR REPORT") && i + 1 < lines.length) {
                return lines[i + 1].stripTrailing();
            }
            // When auth fails before the logger's formatter is up, erl prints the raw report
            // instead: its format string (auth passes no arguments) is the message.
            String raw = lines[i].strip();
            if (raw.startsWith("format: \"") && raw.endsWith("\"")) {
                return raw.substring("format: \"".length(), raw.length() - 1);
            }
        }
        return out;
    }
}
