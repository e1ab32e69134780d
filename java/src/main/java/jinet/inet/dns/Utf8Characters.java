package jinet.inet.dns;

import java.util.Arrays;

/**
 * {@code unicode:characters_to_list(Bin, utf8)} for a binary, as erl_unicode.c's
 * {@code analyze_utf8} and {@code check_leftovers} decide it: overlong forms, surrogates and code
 * points above U+10FFFF are errors; a sequence cut off by the end of the bytes is incomplete
 * when what is there could still begin a valid one.
 */
final class Utf8Characters {
    private Utf8Characters() {
    }

    /** A String of the code points, or a {@link Utf8DecodeFailure}. */
    static Object toList(byte[] bytes, int from, int to) {
        StringBuilder converted = new StringBuilder();
        int i = from;
        while (i < to) {
            int b0 = bytes[i] & 0xFF;
            int left = to - i;
            int width;
            int codePoint;
            if (b0 < 0x80) {
                width = 1;
                codePoint = b0;
            } else if ((b0 & 0xE0) == 0xC0) {
                if (left < 2) {
                    return incomplete(bytes, i, to, converted);
                }
                int b1 = bytes[i + 1] & 0xFF;
                if (!continuation(b1) || b0 < 0xC2) {
                    return failure(Utf8DecodeFailure.Kind.ERROR, bytes, i, to, converted);
                }
                width = 2;
                codePoint = ((b0 & 0x1F) << 6) | (b1 & 0x3F);
            } else if ((b0 & 0xF0) == 0xE0) {
                if (left < 3) {
                    return incomplete(bytes, i, to, converted);
                }
                int b1 = bytes[i + 1] & 0xFF;
                int b2 = bytes[i + 2] & 0xFF;
                if (!continuation(b1) || !continuation(b2) || (b0 == 0xE0 && b1 < 0xA0)
                        || ((b0 & 0xF) == 0xD && (b1 & 0x20) != 0)) {
                    return failure(Utf8DecodeFailure.Kind.ERROR, bytes, i, to, converted);
                }
                width = 3;
                codePoint = ((b0 & 0xF) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
            } else if ((b0 & 0xF8) == 0xF0) {
                if (left < 4) {
                    return incomplete(bytes, i, to, converted);
                }
                int b1 = bytes[i + 1] & 0xFF;
                int b2 = bytes[i + 2] & 0xFF;
                int b3 = bytes[i + 3] & 0xFF;
                if (!continuation(b1) || !continuation(b2) || !continuation(b3) || (b0 == 0xF0 && b1 < 0x90)
                        || (b0 & 0x7) > 4 || ((b0 & 0x7) == 4 && (b1 & 0x3F) > 0xF)) {
                    return failure(Utf8DecodeFailure.Kind.ERROR, bytes, i, to, converted);
                }
                width = 4;
                codePoint = ((b0 & 0x7) << 18) | ((b1 & 0x3F) << 12) | ((b2 & 0x3F) << 6) | (b3 & 0x3F);
            } else {
                return failure(Utf8DecodeFailure.Kind.ERROR, bytes, i, to, converted);
            }
            converted.appendCodePoint(codePoint);
            i += width;
        }
        return converted.toString();
    }

    /** analyze_utf8 said incomplete; check_leftovers turns it into an error unless it fits. */
    private static Utf8DecodeFailure incomplete(byte[] bytes, int i, int to, StringBuilder converted) {
        int b0 = bytes[i] & 0xFF;
        int size = to - i;
        boolean couldContinue;
        if ((b0 & 0xE0) == 0xC0) {
            couldContinue = true;
        } else if ((b0 & 0xF0) == 0xE0) {
            couldContinue = size < 2 || (size < 3 && continuation(bytes[i + 1] & 0xFF));
        } else {
            couldContinue = size < 2 || (size < 3 && continuation(bytes[i + 1] & 0xFF))
                    || (size < 4 && continuation(bytes[i + 1] & 0xFF) && continuation(bytes[i + 2] & 0xFF));
        }
        return failure(couldContinue ? Utf8DecodeFailure.Kind.INCOMPLETE : Utf8DecodeFailure.Kind.ERROR,
                bytes, i, to, converted);
    }

    private static Utf8DecodeFailure failure(Utf8DecodeFailure.Kind kind, byte[] bytes, int i, int to,
                                             StringBuilder converted) {
        return new Utf8DecodeFailure(kind, converted.toString(), Arrays.copyOfRange(bytes, i, to));
    }

    private static boolean continuation(int b) {
        return (b & 0xC0) == 0x80;
    }
}
