package jinet.inet;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The services database as glibc's {@code files} NSS module reads it for
 * {@code getservbyname(3)} and {@code getservbyport(3)}, which BEAM's inet driver calls.
 *
 * <p>Everything is bytes, as in C. The rules (glibc {@code nss_files/files-service.c},
 * {@code files-parse.c}, {@code nss_readline}):
 * <ul>
 * <li>The file is read line by line ({@code fgets}); a NUL byte ends a line's text.
 * <li>Leading white space ({@code isspace} in the C locale: space, {@code \t \n \v \f \r}) is
 *     skipped; empty lines and lines starting with {@code #} are skipped.
 * <li>A {@code #} anywhere ends the line.
 * <li>Fields: the name up to white space; the port, read by {@code strtoul(s, &end, 0)} (so a
 *     sign, {@code 0x} hex and {@code 0} octal are accepted; a minus sign negates modulo 2^64;
 *     an overflow gives {@code ULONG_MAX}), skipped when above {@code UINT_MAX}, else kept
 *     modulo 2^16 ({@code htons}); then one or more {@code /}, or the end of the line; the
 *     protocol up to white space (possibly empty); the aliases: every other word. A line whose
 *     port has no digits, does not fit, or is followed by anything but {@code /} or the end of
 *     the line is skipped.
 * <li>Lookups scan the entries in file order; the first match wins. By name: the protocol
 *     is equal ({@code strcmp}) and the name equals the official name or an alias. By port:
 *     the port and the protocol are equal. Comparisons are case-sensitive.
 * </ul>
 * glibc opens the file for every lookup, so {@link #system()} re-reads it whenever it
 * changes. A missing or unreadable file is an empty database (every lookup fails).
 */
public final class ServicesDatabase {
    /** The file BEAM's libc reads; the system property {@code jinet.services} overrides it. */
    public static final String DEFAULT_PATH = "/etc/services";

    private static final BigInteger ULONG_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final BigInteger UINT_MAX = BigInteger.valueOf(0xffffffffL);

    private static volatile Reloading systemInstance;

    /** One line of the file. */
    public static final class Entry {
        private final byte[] name;
        private final int port;
        private final byte[] protocol;
        private final List<byte[]> aliases;

        Entry(byte[] name, int port, byte[] protocol, List<byte[]> aliases) {
            this.name = name;
            this.port = port;
            this.protocol = protocol;
            this.aliases = aliases;
        }

        public byte[] name() {
            return name.clone();
        }

        /** The port as {@code ntohs(s_port)} gives it: 0..65535. */
        public int port() {
            return port;
        }

        public byte[] protocol() {
            return protocol.clone();
        }

        public List<byte[]> aliases() {
            List<byte[]> out = new ArrayList<>();
            for (byte[] a : aliases) {
                out.add(a.clone());
            }
            return out;
        }

        boolean isNamed(byte[] n) {
            if (Arrays.equals(name, n)) {
                return true;
            }
            for (byte[] a : aliases) {
                if (Arrays.equals(a, n)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final List<Entry> entries;

    private ServicesDatabase(List<Entry> entries) {
        this.entries = Collections.unmodifiableList(entries);
    }

    /** The database a file's content describes. */
    public static ServicesDatabase parse(byte[] content) {
        List<Entry> out = new ArrayList<>();
        int start = 0;
        while (start < content.length) {
            int end = start;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            Entry e = parseLine(content, start, end);
            if (e != null) {
                out.add(e);
            }
            start = end + 1;
        }
        return new ServicesDatabase(out);
    }

    /** The database in a file; empty when it cannot be read (as libc's lookups then fail). */
    public static ServicesDatabase read(Path file) {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException | SecurityException e) {
            return new ServicesDatabase(new ArrayList<>());
        }
    }

    /** The system's database (re-read when the file changes). */
    public static ServicesDatabase system() {
        Reloading r = systemInstance;
        if (r == null) {
            synchronized (ServicesDatabase.class) {
                r = systemInstance;
                if (r == null) {
                    r = new Reloading(Paths.get(System.getProperty("jinet.services", DEFAULT_PATH)));
                    systemInstance = r;
                }
            }
        }
        return r.current();
    }

    public List<Entry> entries() {
        return entries;
    }

    /** {@code getservbyname(name, protocol)}: the port of the first match. */
    public Optional<Integer> portByName(byte[] name, byte[] protocol) {
        for (Entry e : entries) {
            if (Arrays.equals(e.protocol, protocol) && e.isNamed(name)) {
                return Optional.of(e.port);
            }
        }
        return Optional.empty();
    }

    /** {@code getservbyport(htons(port), protocol)}: the official name of the first match. */
    public Optional<byte[]> nameByPort(int port, byte[] protocol) {
        for (Entry e : entries) {
            if (e.port == port && Arrays.equals(e.protocol, protocol)) {
                return Optional.of(e.name.clone());
            }
        }
        return Optional.empty();
    }

    static boolean isSpace(int b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /**
     * One line, {@code [start, end)} without its newline (there is one when {@code end} is
     * inside the content); null when glibc skips it.
     */
    private static Entry parseLine(byte[] content, int start, int end) {
        // What fgets leaves in the buffer, as a C string: up to the first NUL, newline included.
        int n = end;
        for (int i = start; i < end; i++) {
            if (content[i] == 0) {
                n = i;
                break;
            }
        }
        byte[] s = Arrays.copyOfRange(content, start, n == end && end < content.length ? n + 1 : n);
        if (s.length > n - start) {
            s[s.length - 1] = '\n';
        }
        int p = 0;
        while (p < s.length && isSpace(s[p])) {
            p++;
        }
        if (p == s.length || s[p] == '#') {
            return null;
        }
        if (p > 0) {
            // nss_readline: memmove(buf, p, strlen(p)) moves the text without its terminator,
            // so the last p bytes of the original stay behind it. Harmless when the text ends
            // in a newline; not when a NUL or the end of the file ended it.
            byte[] moved = new byte[s.length];
            System.arraycopy(s, p, moved, 0, s.length - p);
            System.arraycopy(s, s.length - p, moved, s.length - p, p);
            s = moved;
        }
        // parse_line: the text ends at the first '#' or newline.
        int e = s.length;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == '#' || s[i] == '\n') {
                e = i;
                break;
            }
        }
        return parseFields(s, 0, e);
    }

    /** The fields of a line's text {@code c[p, end)}, which starts with no white space. */
    private static Entry parseFields(byte[] c, int p, int end) {
        // The name.
        int nameStart = p;
        while (p < end && !isSpace(c[p])) {
            p++;
        }
        byte[] name = Arrays.copyOfRange(c, nameStart, p);
        while (p < end && isSpace(c[p])) {
            p++;
        }
        // The port: strtoul(p, &endp, 0), which fails (endp == p) without digits.
        int q = p;
        while (q < end && isSpace(c[q])) {
            q++;
        }
        boolean negative = false;
        if (q < end && (c[q] == '+' || c[q] == '-')) {
            negative = c[q] == '-';
            q++;
        }
        int base = 10;
        if (q < end && c[q] == '0') {
            if (q + 2 < end && (c[q + 1] == 'x' || c[q + 1] == 'X') && digit(c[q + 2], 16) >= 0) {
                base = 16;
                q += 2;
            } else {
                base = 8;
            }
        }
        int digitsStart = q;
        BigInteger value = BigInteger.ZERO;
        BigInteger b = BigInteger.valueOf(base);
        while (q < end && digit(c[q], base) >= 0) {
            if (value.compareTo(TWO_64) < 0) { // beyond that it is an overflow anyway
                value = value.multiply(b).add(BigInteger.valueOf(digit(c[q], base)));
            }
            q++;
        }
        if (q == digitsStart) {
            return null;
        }
        if (q < end && c[q] == '/') {
            while (q < end && c[q] == '/') {
                q++;
            }
        } else if (q < end) {
            return null; // only a '/' or the end of the line may follow the number
        }
        // strtoul: an overflow is ULONG_MAX whatever the sign, else a minus sign negates
        // modulo 2^64; a value above UINT_MAX does not fit and the line is skipped.
        if (value.compareTo(ULONG_MAX) > 0) {
            return null;
        }
        BigInteger converted = negative ? TWO_64.subtract(value).mod(TWO_64) : value;
        if (converted.compareTo(UINT_MAX) > 0) {
            return null;
        }
        int port = converted.intValue() & 0xffff;
        // The protocol, possibly empty.
        int protoStart = q;
        while (q < end && !isSpace(c[q])) {
            q++;
        }
        byte[] protocol = Arrays.copyOfRange(c, protoStart, q);
        // The aliases.
        List<byte[]> aliases = new ArrayList<>();
        while (q < end) {
            while (q < end && isSpace(c[q])) {
                q++;
            }
            int w = q;
            while (q < end && !isSpace(c[q])) {
                q++;
            }
            if (q > w) {
                aliases.add(Arrays.copyOfRange(c, w, q));
            }
        }
        return new Entry(name, port, protocol, aliases);
    }

    private static int digit(byte ch, int base) {
        int d;
        if (ch >= '0' && ch <= '9') {
            d = ch - '0';
        } else if (ch >= 'a' && ch <= 'z') {
            d = ch - 'a' + 10;
        } else if (ch >= 'A' && ch <= 'Z') {
            d = ch - 'A' + 10;
        } else {
            return -1;
        }
        return d < base ? d : -1;
    }

    /** A file's database, parsed again when the file's identity, size or time changes. */
    static final class Reloading {
        private final Path file;
        private Object stamp;
        private ServicesDatabase db;

        Reloading(Path file) {
            this.file = file;
        }

        synchronized ServicesDatabase current() {
            Object now = stamp(file);
            if (db == null || !Objects.equals(now, stamp)) {
                db = read(file);
                stamp = now;
            }
            return db;
        }

        private static Object stamp(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return Arrays.asList(a.fileKey(), a.size(), a.lastModifiedTime());
            } catch (NoSuchFileException e) {
                return "missing";
            } catch (IOException | SecurityException e) {
                return "unreadable";
            }
        }
    }
}
