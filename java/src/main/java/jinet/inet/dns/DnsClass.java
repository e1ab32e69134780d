package jinet.inet.dns;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Numeric RR classes, and the symbolic names inet_dns gives them ({@code decode_class/1},
 * {@code encode_class/1}). The top bit of the wire class is not part of the class: inet_dns
 * splits it off as the mDNS cache-flush / unicast-response flag (RFC 6762).
 */
public final class DnsClass {
    public static final int IN = 1, CHAOS = 3, HS = 4, ANY = 255;

    /** The bit {@code decode_class/1} splits off the 16-bit class field. */
    public static final int FLAG_BIT = 0x8000;

    private DnsClass() {
    }

    /** The atom {@code decode_class/1} gives a (flag-less) class, or empty when it keeps the integer. */
    public static Optional<String> atomName(int code) {
        switch (code) {
            case IN: return Optional.of("in");
            case CHAOS: return Optional.of("chaos");
            case HS: return Optional.of("hs");
            case ANY: return Optional.of("any");
            default: return Optional.empty();
        }
    }

    /** The wire code {@code encode_class/1} gives a symbolic class, or empty where it raises. */
    public static OptionalInt fromAtom(String atom) {
        switch (atom) {
            case "in": return OptionalInt.of(IN);
            case "chaos": return OptionalInt.of(CHAOS);
            case "hs": return OptionalInt.of(HS);
            case "any": return OptionalInt.of(ANY);
            default: return OptionalInt.empty();
        }
    }

    /** Classes inet_dns knows by name: only these get their RDATA decoded (decode_data/4). */
    static boolean isKnown(int code) {
        return atomName(code).isPresent();
    }
}
