package jinet.inet.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Queries for the encode comparison: names at every limit, escapes, bad chars; odd numbers. */
final class EncodeCorpus {
    private static final int[] IDS = {0, 1, 0xBEEF, 65535, 65536, -1, 123456789};
    private static final int[] TYPES = {1, 28, 255, 0, 65535, 65536, -5, 257, 33, 12};
    private static final int[] CLASSES = {1, 3, 255, 0x8001, 70000, -1, 0};
    private static final Integer[] PAYLOADS = {null, null, 1280, 4096, 0, 65535, 65536, -1};
    private static final int[] VERSIONS = {0, 0, 1, 255, 256, -1};

    private EncodeCorpus() {
    }

    static List<DnsCodecTest.EncodeCase> build(Random r) {
        List<String> domains = new ArrayList<>(fixedDomains());
        for (int i = 0; i < 1500; i++) {
            domains.add(randomDomain(r));
        }
        for (int i = 0; i < 150; i++) {
            domains.add(nearTheLengthLimit(r));
        }
        List<DnsCodecTest.EncodeCase> cases = new ArrayList<>();
        cases.add(new DnsCodecTest.EncodeCase(0x1234, true, "example.com", 1, 1, null, 0));
        cases.add(new DnsCodecTest.EncodeCase(0x1234, false, "example.com", 28, 1, 1280, 0));
        for (String d : domains) {
            int variants = domains.indexOf(d) < 60 ? 3 : 1;
            for (int i = 0; i < variants; i++) {
                cases.add(new DnsCodecTest.EncodeCase(pick(r, IDS), r.nextBoolean(), d, pick(r, TYPES),
                        pick(r, CLASSES), PAYLOADS[r.nextInt(PAYLOADS.length)], pick(r, VERSIONS)));
            }
        }
        return cases;
    }

    private static List<String> fixedDomains() {
        String l63 = "a".repeat(63);
        String l62 = "b".repeat(62);
        String l61 = "c".repeat(61);
        return List.of("", ".", "..", "...", "example.com", "example.com.", "EXAMPLE.Com", "a\\.b", "a\\.b.c.",
                "a..b", ".a", "a..", "a\\", "\\", "\\\\", "a\\\\.b", "\\.", "\\..", "a\\065b", "a b.c",
                l63, l63 + ".", "a".repeat(64), l63 + "." + l63 + "." + l63 + "." + l61,
                l63 + "." + l63 + "." + l63 + "." + l61 + ".", l63 + "." + l63 + "." + l63 + "." + l62,
                l63 + "." + l63 + "." + l63 + "." + l62 + "." + "a".repeat(64),
                "a.".repeat(127), "a.".repeat(127).replaceAll("\\.$", ""), "a.".repeat(128),
                "\\.".repeat(63), "\\.".repeat(64), "\u00e9.example", "\u00ff\u0000.x", "\u0101", "a.\u0101",
                "\\\u0101", "x".repeat(300), "a." + "\u0101" + ".".repeat(3), "x.".repeat(200) + "\u0101",
                ".".repeat(2) + "a".repeat(70));
    }

    private static String randomDomain(Random r) {
        StringBuilder s = new StringBuilder();
        int n = r.nextInt(5) == 0 ? 200 + r.nextInt(120) : r.nextInt(40);
        String special = ".\\-_ AZ\u00e9\u00ff\u0000";
        int sinceDot = 0;
        for (int i = 0; i < n; i++) {
            char c;
            int k = r.nextInt(40);
            if (k < 3) {
                c = special.charAt(r.nextInt(special.length()));
            } else if (k == 3 && r.nextInt(8) == 0) {
                c = (char) (0x100 + r.nextInt(0x100));
            } else if (k < 8 || sinceDot > 20 + r.nextInt(50)) {
                c = '.';
            } else {
                c = (char) ('a' + r.nextInt(26));
            }
            sinceDot = c == '.' ? 0 : sinceDot + 1;
            s.append(c);
        }
        return s.toString();
    }

    /** Good labels only, 240 to 270 bytes on the wire: either side of encode_name/4's 255. */
    private static String nearTheLengthLimit(Random r) {
        int target = 240 + r.nextInt(31);
        StringBuilder s = new StringBuilder();
        int wire = 1;
        while (wire < target) {
            int length = Math.min(1 + r.nextInt(63), Math.max(1, target - wire - 1));
            if (s.length() > 0) {
                s.append('.');
            }
            for (int i = 0; i < length; i++) {
                s.append(r.nextInt(10) == 0 ? "\\." : String.valueOf((char) ('a' + r.nextInt(26))));
            }
            wire += 1 + length;
        }
        return r.nextBoolean() ? s + "." : s.toString();
    }

    private static int pick(Random r, int[] from) {
        return from[r.nextInt(from.length)];
    }
}
