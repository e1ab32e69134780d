package jinet.inet.dns;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** inet_dns's {@code decode_data/4} and {@code decode_data/3}: RDATA into its decoded form. */
final class RdataDecoder {
    private RdataDecoder() {
    }

    /**
     * The RDATA {@code [from, to)} of {@code message} of an RR with the given type and flag-less
     * class. Names inside may point anywhere in the message.
     */
    static Object decode(byte[] message, int from, int to, int dnsClass, int type) throws DnsFormatException {
        int length = to - from;
        if (dnsClass == DnsClass.IN) {
            // The three class-IN clauses of decode_data/4 come first.
            switch (type) {
                case DnsType.A -> {
                    require(length == 4, "A: RDATA not 4 bytes");
                    return unsignedBytes(message, from, 4);
                }
                case DnsType.AAAA -> {
                    require(length == 16, "AAAA: RDATA not 16 bytes");
                    int[] words = new int[8];
                    for (int i = 0; i < 8; i++) {
                        words[i] = u16(message, from + 2 * i);
                    }
                    return words;
                }
                case DnsType.WKS -> {
                    require(length >= 5, "WKS: RDATA under 5 bytes");
                    return new WksData(unsignedBytes(message, from, 4), message[from + 4] & 0xFF,
                            Arrays.copyOfRange(message, from + 5, to));
                }
                default -> {
                }
            }
        }
        if (!DnsClass.isKnown(dnsClass)) {
            return Arrays.copyOfRange(message, from, to);  // "Raw class": RDATA as is, any type
        }
        return decodeForKnownClass(message, from, to, type);
    }

    /** decode_data/3, "Standard RRs (any class)". */
    private static Object decodeForKnownClass(byte[] message, int from, int to, int type) throws DnsFormatException {
        int length = to - from;
        switch (type) {
            case DnsType.SOA: {
                DomainNameDecoder.Decoded mname = DomainNameDecoder.decode(message, from, to);
                DomainNameDecoder.Decoded rname = DomainNameDecoder.decode(message, mname.next(), to);
                int p = rname.next();
                require(to - p == 20, "SOA: not 20 bytes after the names");
                return new SoaData(mname.name(), rname.name(), u32(message, p), s32(message, p + 4),
                        s32(message, p + 8), s32(message, p + 12), u32(message, p + 16));
            }
            case DnsType.NS:
            case DnsType.MD:
            case DnsType.MF:
            case DnsType.CNAME:
            case DnsType.MB:
            case DnsType.MG:
            case DnsType.MR:
            case DnsType.PTR:
                return domain(message, from, to);
            case DnsType.NULL:
                return Arrays.copyOfRange(message, from, to);
            case DnsType.HINFO: {
                // <<CpuLen,CPU:CpuLen/binary,OsLen,OS:OsLen/binary>>: nothing may follow.
                require(length >= 1, "HINFO: empty");
                int cpuLength = message[from] & 0xFF;
                int osAt = from + 1 + cpuLength;
                require(osAt < to, "HINFO: no OS string");
                int osLength = message[osAt] & 0xFF;
                require(osAt + 1 + osLength == to, "HINFO: OS string not ending the RDATA");
                return new HinfoData(latin1(message, from + 1, cpuLength), latin1(message, osAt + 1, osLength));
            }
            case DnsType.MINFO: {
                DomainNameDecoder.Decoded rm = DomainNameDecoder.decode(message, from, to);
                DomainNameDecoder.Decoded em = DomainNameDecoder.decode(message, rm.next(), to);
                require(em.next() == to, "MINFO: bytes after the names");
                return new MinfoData(rm.name(), em.name());
            }
            case DnsType.MX:
                require(length >= 2, "MX: under 2 bytes");
                return new MxData(u16(message, from), domain(message, from + 2, to));
            case DnsType.SRV:
                require(length >= 6, "SRV: under 6 bytes");
                return new SrvData(u16(message, from), u16(message, from + 2), u16(message, from + 4),
                        domain(message, from + 6, to));
            case DnsType.NAPTR:
                return naptr(message, from, to);
            case DnsType.TXT:
            case DnsType.SPF:
                return txt(message, from, to);
            case DnsType.URI:
                require(length >= 5, "URI: no target");
                return new UriData(u16(message, from), u16(message, from + 2), latin1(message, from + 4, length - 4));
            case DnsType.CAA: {
                require(length >= 1, "CAA: empty");
                int tagAt = from + 1;
                int valueAt = endOfString(message, tagAt, to);
                int tagLength = valueAt - tagAt - 1;
                require(1 <= tagLength && tagLength <= 15, "CAA: tag length not 1..15");
                return new CaaData(message[from] & 0xFF, DnsNames.toLower(latin1(message, tagAt + 1, tagLength)),
                        latin1(message, valueAt, to - valueAt));
            }
            default:
                if (DnsType.atomName(type).isPresent()) {
                    // A named type with no decode_data/3 clause: decode/1 does not catch the error.
                    throw new DnsDecodeCrashException("error", "function_clause",
                            "decode_data/3 has no clause for type " + DnsType.atomName(type).get());
                }
                return Arrays.copyOfRange(message, from, to);  // "sofar unknown or non standard"
        }
    }

    private static NaptrData naptr(byte[] message, int from, int to) throws DnsFormatException {
        require(to - from >= 4, "NAPTR: under 4 bytes");
        int flagsAt = from + 4;
        int servicesAt = endOfString(message, flagsAt, to);
        int regexpAt = endOfString(message, servicesAt, to);
        int replacementAt = endOfString(message, regexpAt, to);
        Object regexp = Utf8Characters.toList(message, regexpAt + 1, replacementAt);
        String replacement = domain(message, replacementAt, to);
        return new NaptrData(u16(message, from), u16(message, from + 2),
                DnsNames.toLower(latin1(message, flagsAt + 1, message[flagsAt] & 0xFF)),
                DnsNames.toLower(latin1(message, servicesAt + 1, message[servicesAt] & 0xFF)),
                regexp, replacement);
    }

    /** decode_txt/1: character-strings until the RDATA ends exactly. */
    private static List<String> txt(byte[] message, int from, int to) throws DnsFormatException {
        List<String> strings = new ArrayList<>();
        int p = from;
        while (p < to) {
            int next = endOfString(message, p, to);
            strings.add(latin1(message, p + 1, next - p - 1));
            p = next;
        }
        return strings;
    }

    /** decode_string/1: where the character-string at {@code at} ends; formerr if it does not fit. */
    private static int endOfString(byte[] message, int at, int to) throws DnsFormatException {
        require(at < to, "character-string missing");
        int end = at + 1 + (message[at] & 0xFF);
        require(end <= to, "character-string runs past the RDATA");
        return end;
    }

    /** decode_domain/2: exactly one name, nothing after it. */
    private static String domain(byte[] message, int from, int to) throws DnsFormatException {
        DomainNameDecoder.Decoded name = DomainNameDecoder.decode(message, from, to);
        require(name.next() == to, "bytes after the name");
        return name.name();
    }

    private static void require(boolean ok, String why) throws DnsFormatException {
        if (!ok) {
            throw new DnsFormatException(why);
        }
    }

    static String latin1(byte[] message, int from, int length) {
        return new String(message, from, length, StandardCharsets.ISO_8859_1);
    }

    private static int[] unsignedBytes(byte[] message, int from, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = message[from + i] & 0xFF;
        }
        return out;
    }

    static int u16(byte[] message, int at) {
        return ((message[at] & 0xFF) << 8) | (message[at + 1] & 0xFF);
    }

    static int s32(byte[] message, int at) {
        return (u16(message, at) << 16) | u16(message, at + 2);
    }

    static long u32(byte[] message, int at) {
        return s32(message, at) & 0xFFFFFFFFL;
    }
}
