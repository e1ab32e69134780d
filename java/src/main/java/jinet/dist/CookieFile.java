package jinet.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cookie when none is given, found, checked and created as OTP 25's auth:read_cookie/0 does:
 * {@code $HOME/.erlang.cookie} (the environment's HOME, as erlexec passes it, not the passwd
 * entry), else {@code $XDG_CONFIG_HOME/erlang/.erlang.cookie} (XDG_CONFIG_HOME defaulting to
 * {@code $HOME/.config}), else a new {@code $HOME/.erlang.cookie}.
 */
public final class CookieFile {
    private static final int LENGTH = 20;
    /** list_to_atom/1's limit: a longer cookie makes erl's auth crash with system_limit. */
    private static final int MAX_ATOM_CHARS = 255;

    /** Where erl refuses to start; the message is the text of erl's error report. */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private CookieFile() {
    }

    /** The cookie erl started in this environment would use; {@link Refused} where erl would not start. */
    public static String find(Map<String, String> env) throws Refused {
        String home = env.get("HOME");
        if (home == null) {
            // erl has no home argument then and its auth crashes (badmatch in filename:basedir).
            throw new Refused("No HOME for cookie file");
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path xdgBase = xdg == null || xdg.isEmpty() ? Path.of(home, ".config") : Path.of(xdg);
        Path homeFile = Path.of(home, ".erlang.cookie");
        Optional<String> cookie = read(homeFile);
        if (cookie.isEmpty()) {
            cookie = read(xdgBase.resolve("erlang").resolve(".erlang.cookie"));
        }
        if (cookie.isEmpty()) {
            create(homeFile);
            cookie = read(homeFile);
        }
        return cookie.orElseThrow(() -> new Refused("Error when reading " + homeFile + ": enoent"));
    }

    /** The cookie in {@code file}, empty when there is no such file; {@link Refused} as erl refuses it. */
    static Optional<String> read(Path file) throws Refused {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(file, "unix:mode");
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new Refused("Error when reading " + file + ": " + posix(e));
        }
        String type = switch (mode & 0170000) {
            case 0100000 -> "regular";
            case 0040000 -> "directory";
            case 0020000, 0060000 -> "device";
            default -> "other";
        };
        if (!type.equals("regular")) {
            throw new Refused("Cookie file " + file + " is of type " + type);
        }
        if ((mode & 077) != 0) {
            throw new Refused("Cookie file " + file + " must be accessible by owner only");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | RuntimeException e) {
            throw new Refused("Error when reading " + file + ": " + posix(e));
        }
        return Optional.of(check(bytes));
    }

    /**
     * auth's check_cookie: printable ASCII (space included, kept), then nothing but newlines,
     * carriage returns and spaces.
     */
    static String check(byte[] bytes) throws Refused {
        int end = 0;
        while (end < bytes.length && bytes[end] >= ' ' && bytes[end] <= '~') {
            end++;
        }
        for (int i = end; i < bytes.length; i++) {
            if (bytes[i] != '\n' && bytes[i] != '\r' && bytes[i] != ' ') {
                throw new Refused("Bad characters in cookie");
            }
        }
        if (end == 0) {
            throw new Refused("Too short cookie string");
        }
        if (end > MAX_ATOM_CHARS) {
            throw new Refused("system_limit: a cookie of " + end + " characters is no atom");
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }

    private static void create(Path file) throws Refused {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            sb.append((char) ('A' + random.nextInt(26)));
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, ".erlang.cookie", ".tmp",
                    PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ,
                            PosixFilePermission.OWNER_WRITE)));
            Files.write(tmp, sb.toString().getBytes(StandardCharsets.US_ASCII));
            Files.setPosixFilePermissions(tmp, Set.of(PosixFilePermission.OWNER_READ));
            // auth's make_info: times rounded down to midnight, so the file does not date the seed.
            FileTime midnight = FileTime.from(LocalDate.now().atStartOfDay(ZoneId.systemDefault()).toInstant());
            Files.getFileAttributeView(tmp, BasicFileAttributeView.class).setTimes(midnight, midnight, null);
            try {
                Files.move(tmp, file); // not replacing: a cookie created meanwhile by erl wins
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the failure reported is the first one
                }
            }
            throw new Refused("Failed to create cookie file '" + file + "': " + posix(e));
        }
    }

    /** The POSIX error name erl would report for a failed file operation. */
    private static String posix(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "enoent";
        }
        if (e instanceof AccessDeniedException) {
            return "eacces";
        }
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : "";
        switch (reason) {
            case "Not a directory":
                return "enotdir";
            case "Is a directory":
                return "eisdir";
            case "Read-only file system":
                return "erofs";
            case "No space left on device":
                return "enospc";
            case "Too many levels of symbolic links":
                return "eloop";
            case "File name too long":
                return "enametoolong";
            default:
                return "eio";
        }
    }
}
