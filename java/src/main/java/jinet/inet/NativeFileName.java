package jinet.inet;

import com.sun.jna.LastErrorException;
import java.nio.charset.Charset;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import jinet.inet.libc.Libc;

/**
 * A file named the way a BEAM node names it: the characters encoded with
 * {@link FileNameEncoding#nativeEncoding()}, as prim_file does, and reachable through Java's file
 * API whatever charset the JVM itself uses for names. The two differ: with no locale BEAM writes
 * a character like é as the single byte E9, while the JVM's name charset is then ASCII and cannot
 * name that file at all. Such a name is opened with libc (O_PATH: neither read permission nor
 * the file's type matter, as for stat) and reached through its /proc/self/fd link.
 */
public final class NativeFileName implements AutoCloseable {
    private static final Charset JVM_NAMES = jvmNameCharset();

    private final Path path;
    private final int fd;

    private NativeFileName(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * The file the name denotes; empty where BEAM cannot name it (a character the native encoding
     * lacks: badarg in prim_file; a NUL byte) or where it does not exist.
     */
    public static Optional<NativeFileName> of(String chars) {
        return FileNameEncoding.nativeEncoding().encode(chars).flatMap(NativeFileName::ofBytes);
    }

    static Optional<NativeFileName> ofBytes(byte[] name) {
        if (name.length == 0) {
            return Optional.empty();
        }
        for (byte b : name) {
            if (b == 0) {
                return Optional.empty();
            }
        }
        String decoded = new String(name, JVM_NAMES);
        if (Arrays.equals(decoded.getBytes(JVM_NAMES), name)) {
            try {
                return Optional.of(new NativeFileName(Path.of(decoded), -1));
            } catch (InvalidPathException e) {
                // The JVM refuses some names its charset round-trips; libc takes them.
            }
        }
        byte[] cName = Arrays.copyOf(name, name.length + 1);
        try {
            int fd = Libc.INSTANCE.open(cName, Libc.O_PATH | Libc.O_CLOEXEC);
            return Optional.of(new NativeFileName(Path.of("/proc/self/fd/" + fd), fd));
        } catch (LastErrorException e) {
            return Optional.empty();
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            try {
                Libc.INSTANCE.close(fd);
            } catch (LastErrorException e) {
                // Nothing to undo: the descriptor is gone either way.
            }
        }
    }

    private static Charset jvmNameCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }
}
