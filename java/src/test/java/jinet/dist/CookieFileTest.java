package jinet.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cookie file is created and guarded as erl does it. */
class CookieFileTest {
    @TempDir
    Path home;

    @Test
    void aMissingCookieIsCreatedAsTwentyCapitalsReadableByTheOwnerOnly() throws IOException {
        Path file = home.resolve(".erlang.cookie");
        String cookie = CookieFile.readOrCreate(file);
        assertTrue(cookie.matches("[A-Z]{20}"), cookie);
        assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(cookie, CookieFile.readOrCreate(file), "a second read must not replace it");
    }

    @Test
    void anExistingCookieIsReadWithoutItsNewline() throws IOException {
        Path file = home.resolve(".erlang.cookie");
        Files.writeString(file, "SECRET\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertEquals("SECRET", CookieFile.readOrCreate(file));
    }

    @Test
    void aCookieOthersCanReadIsRefused() throws IOException {
        Path file = home.resolve(".erlang.cookie");
        Files.writeString(file, "SECRET");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThrows(IOException.class, () -> CookieFile.readOrCreate(file));
    }
}
