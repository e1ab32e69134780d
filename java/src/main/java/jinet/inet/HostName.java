package jinet.inet;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code inet:gethostname/0}: the kernel's host name up to the first dot, read afresh on every
 * call as BEAM does (it stopped caching it because names change under DHCP).
 */
public final class HostName {
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");
    /** What BEAM answers when it cannot ask the system; it is not shortened. */
    static final String FALLBACK = "nohost.nodomain";

    private HostName() {
    }

    public static String shortName() {
        String full = systemHostName();
        if (full == null) {
            return FALLBACK;
        }
        int dot = full.indexOf('.');
        return dot < 0 ? full : full.substring(0, dot);
    }

    /**
     * gethostname(2) as bytes, one character per byte like BEAM's list; the JVM's
     * InetAddress is only a fallback because it may resolve names instead of asking the kernel.
     */
    /** The kernel's full host name, or null when it cannot be read. */
    public static String fullName() {
        return systemHostName();
    }

    private static String systemHostName() {
        try {
            byte[] raw = Files.readAllBytes(KERNEL_HOSTNAME);
            int end = raw.length;
            while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == 0)) {
                end--;
            }
            return new String(raw, 0, end, StandardCharsets.ISO_8859_1);
        } catch (IOException | SecurityException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e2) {
                return null;
            }
        }
    }
}
