package jinet.inet.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random DNS messages that are mostly well formed: random sections of records of every type
 * inet_dns knows (and some it does not), names with odd bytes that point back at earlier names,
 * RDATA that is usually right for its type and sometimes not.
 */
final class RandomMessage {
    private static final int[] TYPES = {DnsType.A, DnsType.A, DnsType.AAAA, DnsType.NS, DnsType.MD, DnsType.MF,
        DnsType.CNAME, DnsType.CNAME, DnsType.SOA, DnsType.MB, DnsType.MG, DnsType.MR, DnsType.NULL, DnsType.WKS,
        DnsType.PTR, DnsType.HINFO, DnsType.MINFO, DnsType.MX, DnsType.TXT, DnsType.SRV, DnsType.NAPTR,
        DnsType.OPT, DnsType.SPF, DnsType.URI, DnsType.CAA, 46, 999, 65280, DnsType.UINFO, DnsType.ANY};
    private static final int[] CLASSES = {DnsClass.IN, DnsClass.IN, DnsClass.IN, DnsClass.IN, DnsClass.IN,
        DnsClass.IN, DnsClass.CHAOS, DnsClass.HS, DnsClass.ANY, 0, 2, 0x8001, 0x8003, 0xFFFF};

    private final Random r;
    private final Wire w = new Wire();
    /** Offsets where a complete name starts, for later names to point at. */
    private final List<Integer> names = new ArrayList<>();

    private RandomMessage(Random r) {
        this.r = r;
    }

    static byte[] generate(Random r) {
        return new RandomMessage(r).message();
    }

    private byte[] message() {
        int qd = r.nextInt(4) == 0 ? r.nextInt(3) : 1;
        int an = r.nextInt(5);
        int ns = r.nextInt(3);
        int ar = r.nextInt(4);
        int flags = r.nextInt(65536);
        if (r.nextInt(4) != 0) {
            flags &= ~0x0200;   // mostly not truncated, so the sections get compared
        }
        w.u16(r.nextInt(65536)).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
        for (int i = 0; i < qd; i++) {
            name();
            w.u16(r.nextInt(10) == 0 ? r.nextInt(65536) : pick(TYPES)).u16(pick(CLASSES));
        }
        for (int i = 0; i < an + ns + ar; i++) {
            record();
        }
        return w.toBytes();
    }

    private void record() {
        int type = pick(TYPES);
        name();
        int cls = type == DnsType.OPT ? (r.nextBoolean() ? 1232 : r.nextInt(65536)) : pick(CLASSES);
        long ttl = r.nextInt(8) == 0 ? r.nextInt() & 0xFFFFFFFFL : r.nextInt(86400);
        w.rr(type, cls, ttl);
        if (r.nextInt(12) == 0) {
            randomBytes(r.nextInt(24));
        } else {
            rdata(type, cls & 0x7FFF);
        }
        w.end();
    }

    private void rdata(int type, int cls) {
        switch (type) {
            case DnsType.A -> randomBytes(cls == DnsClass.IN && r.nextInt(6) == 0 ? 3 + 2 * r.nextInt(2) : 4);
            case DnsType.AAAA -> randomBytes(16);
            case DnsType.WKS -> randomBytes(5 + r.nextInt(6));
            case DnsType.NS, DnsType.MD, DnsType.MF, DnsType.CNAME, DnsType.MB, DnsType.MG, DnsType.MR,
                    DnsType.PTR -> name();
            case DnsType.SOA -> {
                name();
                name();
                randomBytes(20);
            }
            case DnsType.HINFO -> {
                string();
                string();
            }
            case DnsType.MINFO -> {
                name();
                name();
            }
            case DnsType.MX -> {
                w.u16(r.nextInt(65536));
                name();
            }
            case DnsType.SRV -> {
                randomBytes(6);
                name();
            }
            case DnsType.NAPTR -> {
                randomBytes(4);
                w.string(r.nextBoolean() ? "S" : "au");
                w.string(r.nextBoolean() ? "SIP+D2T" : "e2u+email");
                byte[] regexp = r.nextBoolean() ? DecodeCorpus.utf8("!^.*$!\u00e9\u4e2d\ud83d\ude00!")
                        : new byte[r.nextInt(6)];
                if (regexp.length > 0 && regexp[0] == 0) {
                    for (int i = 0; i < regexp.length; i++) {
                        regexp[i] = (byte) (0x80 + r.nextInt(0x80));
                    }
                }
                w.u8(regexp.length).bytes(regexp);
                name();
            }
            case DnsType.TXT, DnsType.SPF -> {
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    string();
                }
            }
            case DnsType.URI -> {
                randomBytes(4);
                randomBytes(1 + r.nextInt(10));
            }
            case DnsType.CAA -> {
                w.u8(r.nextInt(256));
                w.string(r.nextBoolean() ? "Issue" : "x".repeat(r.nextInt(17)));
                randomBytes(r.nextInt(8));
            }
            case DnsType.OPT -> {
                int n = r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    int len = r.nextInt(6);
                    w.u16(r.nextInt(20)).u16(len);
                    randomBytes(len);
                }
            }
            default -> randomBytes(r.nextInt(10));
        }
    }

    /** A few labels of odd bytes, ending in the root label or a pointer to an earlier name. */
    private void name() {
        int start = w.position();
        int labels = r.nextInt(4);
        for (int i = 0; i < labels; i++) {
            StringBuilder label = new StringBuilder();
            int length = r.nextInt(20) == 0 ? 63 : 1 + r.nextInt(8);
            for (int j = 0; j < length; j++) {
                label.append(labelChar());
            }
            w.label(label.toString());
        }
        if (!names.isEmpty() && r.nextInt(3) != 0) {
            w.pointer(names.get(r.nextInt(names.size())));
        } else {
            w.u8(0);
        }
        names.add(start);
    }

    private char labelChar() {
        switch (r.nextInt(12)) {
            case 0: return '.';
            case 1: return '\\';
            case 2: return (char) (0x80 + r.nextInt(0x80));
            case 3: return (char) r.nextInt(0x20);
            case 4: return (char) ('A' + r.nextInt(26));
            default: return (char) ('a' + r.nextInt(26));
        }
    }

    private void string() {
        StringBuilder s = new StringBuilder();
        int n = r.nextInt(10);
        for (int i = 0; i < n; i++) {
            s.append(labelChar());
        }
        w.string(s.toString());
    }

    private void randomBytes(int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        w.bytes(b);
    }

    private int pick(int[] from) {
        return from[r.nextInt(from.length)];
    }
}
