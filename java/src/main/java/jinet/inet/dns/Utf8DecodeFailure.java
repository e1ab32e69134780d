package jinet.inet.dns;

import java.util.Arrays;

/**
 * {@code {error, Converted, Rest}} or {@code {incomplete, Converted, Rest}} from
 * {@code unicode:characters_to_list(Bin, utf8)}: the code points before the first byte that
 * does not start a valid sequence (as a Java String), and the bytes from there on.
 */
public record Utf8DecodeFailure(Kind kind, String converted, byte[] rest) {
    public enum Kind {
        /** A byte that cannot start or continue a sequence there. */
        ERROR,
        /** The bytes end inside a sequence that could still be valid. */
        INCOMPLETE;

        public String atom() {
            return name().toLowerCase();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Utf8DecodeFailure f && kind == f.kind && converted.equals(f.converted)
                && Arrays.equals(rest, f.rest);
    }

    @Override
    public int hashCode() {
        return (kind.hashCode() * 31 + converted.hashCode()) * 31 + Arrays.hashCode(rest);
    }

    @Override
    public String toString() {
        return "{" + kind.atom() + ", " + converted + ", " + DataValues.show(rest) + "}";
    }
}
