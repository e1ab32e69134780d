package jinet.inet.dns;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Numeric RR and query types, and the symbolic names inet_dns gives them
 * ({@code decode_type/1} and {@code encode_type/1}; {@code ?T_*} and {@code ?S_*} in inet_dns.hrl).
 */
public final class DnsType {
    public static final int A = 1, NS = 2, MD = 3, MF = 4, CNAME = 5, SOA = 6, MB = 7, MG = 8, MR = 9,
            NULL = 10, WKS = 11, PTR = 12, HINFO = 13, MINFO = 14, MX = 15, TXT = 16, AAAA = 28,
            SRV = 33, NAPTR = 35, OPT = 41, SPF = 99, UINFO = 100, UID = 101, GID = 102, UNSPEC = 103,
            AXFR = 252, MAILB = 253, MAILA = 254, ANY = 255, URI = 256, CAA = 257;

    private static final Map<Integer, String> NAMES = new TreeMap<>();
    private static final Map<String, Integer> CODES = new TreeMap<>();

    static {
        name(A, "a");
        name(NS, "ns");
        name(MD, "md");
        name(MF, "mf");
        name(CNAME, "cname");
        name(SOA, "soa");
        name(MB, "mb");
        name(MG, "mg");
        name(MR, "mr");
        name(NULL, "null");
        name(WKS, "wks");
        name(PTR, "ptr");
        name(HINFO, "hinfo");
        name(MINFO, "minfo");
        name(MX, "mx");
        name(TXT, "txt");
        name(AAAA, "aaaa");
        name(SRV, "srv");
        name(NAPTR, "naptr");
        name(OPT, "opt");
        name(SPF, "spf");
        name(UINFO, "uinfo");
        name(UID, "uid");
        name(GID, "gid");
        name(UNSPEC, "unspec");
        name(AXFR, "axfr");
        name(MAILB, "mailb");
        name(MAILA, "maila");
        name(ANY, "any");
        name(URI, "uri");
        name(CAA, "caa");
    }

    private DnsType() {
    }

    private static void name(int code, String atom) {
        NAMES.put(code, atom);
        CODES.put(atom, code);
    }

    /** The atom {@code inet_dns:decode_type/1} gives a wire type, or empty when it keeps the integer. */
    public static Optional<String> atomName(int code) {
        return Optional.ofNullable(NAMES.get(code));
    }

    /** The wire code {@code inet_dns:encode_type/1} gives a symbolic type, or empty where it raises. */
    public static OptionalInt fromAtom(String atom) {
        Integer code = CODES.get(atom);
        return code == null ? OptionalInt.empty() : OptionalInt.of(code);
    }
}
