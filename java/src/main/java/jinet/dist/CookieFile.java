package jinet.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;

/** {@code ~/.erlang.cookie}, read and created the way erl does. */
public final class CookieFile {
    private static final int LENGTH = 20;

    private CookieFile() {
    }

    public static Path defaultPath() {
        return Path.of(System.getProperty("user.home"), ".erlang.cookie");
    }

    /** The cookie in {@code file}, creating it (20 random capitals, mode 0400) when missing. */
    public static String readOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            create(file);
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        for (PosixFilePermission p : perms) {
            if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                // erl refuses such a file too: anyone who can read it can join the cluster.
                throw new IOException("cookie file " + file + " must be accessible by owner only");
            }
        }
        String cookie = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).strip();
        if (cookie.isEmpty()) {
            throw new IOException("cookie file " + file + " is empty");
        }
        return cookie;
    }

    private static void create(Path file) throws IOException {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            sb.append((char) ('A' + random.nextInt(26)));
        }
        Path tmp = Files.createTempFile(file.getParent(), ".erlang.cookie", ".tmp",
                PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE)));
        Files.write(tmp, sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        Files.setPosixFilePermissions(tmp, EnumSet.of(PosixFilePermission.OWNER_READ));
        try {
            Files.move(tmp, file); // not replacing: a cookie created meanwhile by erl wins
        } catch (java.nio.file.FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp);
        }
    }
}
