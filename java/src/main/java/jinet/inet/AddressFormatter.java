package jinet.inet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code inet:ntoa/1}. The zero-run compression follows OTP's own scan rather than RFC 5952:
 * the first run of two or more zeros wins unless a strictly longer one follows, and fe80::/ff02::
 * addresses with a second word print it as a "%0N" scope suffix.
 */
public final class AddressFormatter {
    private AddressFormatter() {
    }

    /**
     * Formats 4 words of 0..255 or 8 words of 0..65535; anything else (other sizes, values out of
     * range) is {@code {error,einval}}, returned as empty.
     */
    public static Optional<String> ntoa(long[] words) {
        if (words.length == 4 && allWithin(words, 0xff)) {
            return Optional.of(words[0] + "." + words[1] + "." + words[2] + "." + words[3]);
        }
        if (words.length == 8 && allWithin(words, 0xffff)) {
            return Optional.of(ipv6(words));
        }
        return Optional.empty();
    }

    private static boolean allWithin(long[] words, long max) {
        for (long w : words) {
            if (w < 0 || w > max) {
                return false;
            }
        }
        return true;
    }

    private static String ipv6(long[] w) {
        boolean sixZeros = w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0;
        if (sixZeros && w[5] == 0) {
            if (w[6] == 0 && w[7] == 0) {
                return "::";
            }
            if (w[6] == 0 && w[7] == 1) {
                return "::1";
            }
            return "::" + dottedPair(w[6]) + "." + dottedPair(w[7]);
        }
        if (sixZeros && w[5] == 0xffff) {
            return "::ffff:" + dottedPair(w[6]) + "." + dottedPair(w[7]);
        }
        if ((w[0] == 0xfe80 || w[0] == 0xff02) && w[1] != 0) {
            long[] unscoped = w.clone();
            unscoped[1] = 0;
            return compressed(unscoped) + "%0" + w[1];
        }
        return compressed(w);
    }

    private static String dottedPair(long word) {
        return ((word >> 8) & 0xff) + "." + (word & 0xff);
    }

    /**
     * OTP's scan: {@code head} holds the words before the chosen zero run, {@code run} its length
     * (0 while none is found), {@code tail} the words after it; {@code alt} counts a later run of
     * two or more zeros, which becomes the chosen one as soon as it is strictly longer.
     */
    private static String compressed(long[] w) {
        List<Long> head = new ArrayList<>(8);
        List<Long> tail = new ArrayList<>(8);
        int i = 0;
        while (i < 8 && !doubleZeroAt(w, i)) {
            head.add(w[i++]);
        }
        if (i == 8) {
            return join(head);
        }
        int run = 2;
        int alt = 0;
        boolean extendingRun = true;
        i += 2;
        while (true) {
            if (alt > run) {
                // The first run's zeros and the words between the runs now precede the new run.
                addZeros(head, run);
                head.addAll(tail);
                tail.clear();
                run = alt;
                alt = 0;
                extendingRun = true;
            }
            if (i == 8) {
                break;
            }
            if (extendingRun && w[i] == 0) {
                run++;
                i++;
            } else if (extendingRun || (alt == 0 && !doubleZeroAt(w, i))) {
                extendingRun = false;
                tail.add(w[i++]);
            } else if (alt == 0) {
                alt = 2;
                i += 2;
            } else if (w[i] == 0) {
                alt++;
                i++;
            } else {
                addZeros(tail, alt);
                alt = 0;
                tail.add(w[i++]);
            }
        }
        addZeros(tail, alt);
        return join(head) + "::" + join(tail);
    }

    private static boolean doubleZeroAt(long[] w, int i) {
        return i + 1 < w.length && w[i] == 0 && w[i + 1] == 0;
    }

    private static void addZeros(List<Long> words, int n) {
        for (int z = 0; z < n; z++) {
            words.add(0L);
        }
    }

    private static String join(List<Long> words) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < words.size(); k++) {
            if (k > 0) {
                sb.append(':');
            }
            sb.append(Long.toHexString(words.get(k)));
        }
        return sb.toString();
    }
}
