package jinet.inet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FileNameEncodingTest {
    /** Started by the differential test in an environment of its own. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.print(FileNameEncoding.nativeEncoding().atom());
        }
    }

    @Test
    void encodesAsCharactersToBinaryDoes() {
        assertArrayEquals(new byte[] {'/', (byte) 0xE9}, FileNameEncoding.LATIN1.encode("/\u00e9").get());
        assertArrayEquals(new byte[] {'/', (byte) 0xC3, (byte) 0xA9}, FileNameEncoding.UTF8.encode("/\u00e9").get());
        assertEquals(Optional.empty(), FileNameEncoding.LATIN1.encode("/\u0100").map(b -> b.length));
        assertEquals(4, FileNameEncoding.UTF8.encode(new int[] {0x10FFFF}).get().length);
        assertEquals(Optional.empty(), FileNameEncoding.UTF8.encode(new int[] {0xD800}).map(b -> b.length));
        assertEquals(Optional.empty(), FileNameEncoding.UTF8.encode(new int[] {0x110000}).map(b -> b.length));
    }

    /**
     * The decision against erl's own, each started with only the given locale variables: set,
     * unset, empty, overriding one another, naming a codeset spelt differently, and naming a
     * locale that is not installed.
     */
    @Test
    void decidesAsErlDoesUnderEachLocaleEnvironment() throws Exception {
        String erl = onPath("erl");
        assumeTrue(erl != null, "no erl to compare with");
        List<Map<String, String>> envs = List.of(
                env(), env("LANG", "C.UTF-8"), env("LANG", "C.utf8"), env("LC_ALL", "en_US.UTF-8"),
                env("LANG", "en_US.UTF-8"), env("LC_CTYPE", "C.UTF-8", "LANG", "C"),
                env("LANG", "C.UTF-8", "LC_ALL", "C"), env("LANG", "C.UTF-8", "LC_ALL", ""),
                env("LANG", "C.UTF-8", "LC_CTYPE", "POSIX"), env("LC_ALL", "C.UTF-8", "LC_CTYPE", "C"),
                env("LANG", "POSIX"), env("LC_MESSAGES", "C.UTF-8"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> differ = new ArrayList<>();
        for (Map<String, String> env : envs) {
            String beam = run(env, erl, "-noshell", "-eval",
                    "io:put_chars(atom_to_list(file:native_name_encoding())), halt().");
            String jinet = run(env, java, "-cp", cp, Probe.class.getName());
            if (!beam.equals(jinet)) {
                differ.add(env + ": erl " + beam + ", jinet " + jinet);
            }
        }
        assertTrue(differ.isEmpty(), String.join("\n", differ));
    }

    @Test
    void namesTheJvmCannotSpellAreStillReached(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        byte[] name = file.toString().getBytes(StandardCharsets.UTF_8);
        try (NativeFileName f = NativeFileName.ofBytes(name).get()) {
            assertEquals("x", Files.readString(f.path()));
        }
        assertEquals(Optional.empty(), NativeFileName.ofBytes(new byte[] {'/', 0, 'x'}).map(NativeFileName::path));
        assertEquals(Optional.empty(), NativeFileName.ofBytes(new byte[0]).map(NativeFileName::path));
    }

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String run(Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().put("HOME", System.getProperty("java.io.tmpdir"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out;
    }

    private static String onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return Path.of(d, name).toString();
            }
        }
        return null;
    }
}
