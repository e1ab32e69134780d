package jinet.inet.dns;

import java.util.Arrays;
import java.util.Objects;

/** Value equality for RDATA, which may be an array ({@code int[]}, {@code byte[]}). */
final class DataValues {
    private DataValues() {
    }

    static boolean equal(Object a, Object b) {
        return Objects.deepEquals(a, b);
    }

    static int hash(Object o) {
        return Arrays.deepHashCode(new Object[] {o});
    }

    static String show(Object o) {
        if (o instanceof byte[]) {
            return "<<" + joined((byte[]) o) + ">>";
        }
        if (o instanceof int[]) {
            return Arrays.toString((int[]) o);
        }
        return String.valueOf(o);
    }

    private static String joined(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            s.append(i == 0 ? "" : ",").append(bytes[i] & 0xFF);
        }
        return s.toString();
    }
}
