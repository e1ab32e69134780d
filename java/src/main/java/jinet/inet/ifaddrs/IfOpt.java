package jinet.inet.ifaddrs;

import java.util.Arrays;
import java.util.List;

/**
 * One option of an interface as the inet driver encodes it: {@code flags} (the flag atoms, in
 * BEAM's order), an address ({@code addr}, {@code netmask}, {@code broadaddr}, {@code dstaddr}:
 * 4 bytes or 8 16-bit words), or {@code hwaddr} (the link-layer bytes).
 */
public record IfOpt(String kind, List<String> flags, int[] values) {
    public static IfOpt flags(List<String> flags) {
        return new IfOpt("flags", List.copyOf(flags), null);
    }

    public static IfOpt of(String kind, int[] values) {
        return new IfOpt(kind, null, values.clone());
    }

    public boolean isFlags() {
        return kind.equals("flags");
    }

    public boolean isHwaddr() {
        return kind.equals("hwaddr");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IfOpt other && kind.equals(other.kind)
                && java.util.Objects.equals(flags, other.flags) && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "{" + kind + "," + (flags != null ? flags : Arrays.toString(values)) + "}";
    }
}
