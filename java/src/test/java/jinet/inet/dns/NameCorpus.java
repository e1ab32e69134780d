package jinet.inet.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Domain-ish strings for inet_db:tolower/1 and eq_domains/2, with the chars case folding trips on. */
final class NameCorpus {
    /** Near letters in both halves of Latin-1 and above it: '@' '[' '`' '{', 'À' 'à', 'Ā' 'ā'. */
    private static final String TRICKY = "AZaz@[`{\u00c0\u00e0\u00de\u00fe\u00c9\u00e9\u0100\u0101\u0141\u0161"
            + ".\\-_ 09\u0000\u007f\u00ff";

    private NameCorpus() {
    }

    static String name(Random r) {
        StringBuilder s = new StringBuilder();
        int n = r.nextInt(16);
        for (int i = 0; i < n; i++) {
            s.append(r.nextInt(3) == 0 ? TRICKY.charAt(r.nextInt(TRICKY.length()))
                    : (char) ((r.nextBoolean() ? 'a' : 'A') + r.nextInt(26)));
        }
        return s.toString();
    }

    static List<String> names(Random r, int n) {
        List<String> out = new ArrayList<>(List.of("", ".", "Example.COM", "@[`{", "\u00c0\u00e0"));
        while (out.size() < n) {
            out.add(name(r));
        }
        return out;
    }

    /** Pairs that are often equal but for case or a trailing dot, and often just not. */
    static List<String[]> pairs(Random r, int n) {
        List<String[]> out = new ArrayList<>();
        String[][] fixed = {{"", ""}, {".", ""}, {"", "."}, {".", "."}, {"a.", "a"}, {"a", "a."}, {"a..", "a."},
            {"a..", "a"}, {"A", "a"}, {"@", "`"}, {"[", "{"}, {"\u00c0", "\u00e0"}, {"\u0141", "\u0161"},
            {"ab", "a"}, {"a\\.", "a\\"}};
        for (String[] p : fixed) {
            out.add(p);
        }
        while (out.size() < n) {
            String a = name(r);
            StringBuilder b = new StringBuilder();
            for (char c : a.toCharArray()) {
                b.append(r.nextBoolean() ? (char) (c ^ 0x20) : c);
            }
            if (r.nextInt(4) == 0) {
                b.append('.');
            }
            if (r.nextInt(6) == 0 && b.length() > 0) {
                b.setCharAt(r.nextInt(b.length()), TRICKY.charAt(r.nextInt(TRICKY.length())));
            }
            out.add(r.nextBoolean() ? new String[] {a, b.toString()} : new String[] {b.toString(), a});
        }
        return out;
    }
}
