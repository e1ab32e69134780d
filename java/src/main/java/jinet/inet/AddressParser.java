package jinet.inet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * inet's address parsers. They follow OTP's {@code inet_parse} clause by clause, because BEAM's
 * answers for odd input are part of the contract: signs and C-style octal/hex in IPv4 fields,
 * float elements that pass numeric guards, scope ids that become floats, improper lists that end
 * in {@code function_clause} rather than {@code {error,einval}}.
 *
 * <p>An address is returned as its 4 or 8 words; a word is a {@link Long}, except that a scope id
 * computed from float elements stays a {@link Double}, as on BEAM. An empty result means
 * {@code {error,einval}}.
 */
public final class AddressParser {
    private AddressParser() {
    }

    /** {@code inet:parse_address/1}. */
    public static Optional<Number[]> parseAddress(CharList cs) {
        if (!cs.isList(0)) {
            return Optional.empty();
        }
        Optional<Number[]> ip = parseIpv4Address(cs);
        return ip.isPresent() ? ip : parseIpv6StrictAddress(cs);
    }

    /** {@code inet:parse_strict_address/1}. */
    public static Optional<Number[]> parseStrictAddress(CharList cs) {
        if (!cs.isList(0)) {
            return Optional.empty();
        }
        Optional<Number[]> ip = parseIpv4StrictAddress(cs);
        return ip.isPresent() ? ip : parseIpv6StrictAddress(cs);
    }

    /** {@code inet:parse_ipv4_address/1}. */
    public static Optional<Number[]> parseIpv4Address(CharList cs) {
        try {
            return Optional.of(words(ipv4Addr(cs)));
        } catch (Badarg e) {
            return Optional.empty();
        }
    }

    /** {@code inet:parse_ipv4strict_address/1}. */
    public static Optional<Number[]> parseIpv4StrictAddress(CharList cs) {
        try {
            return Optional.of(words(ipv4StrictAddr(cs, 0)));
        } catch (Badarg e) {
            return Optional.empty();
        }
    }

    /** {@code inet:parse_ipv6_address/1}: an IPv4 address comes back IPv4-mapped. */
    public static Optional<Number[]> parseIpv6Address(CharList cs) {
        Optional<Number[]> v4 = parseIpv4Address(cs);
        if (v4.isPresent()) {
            long[] d = new long[4];
            for (int k = 0; k < 4; k++) {
                d[k] = v4.get()[k].longValue();
            }
            return Optional.of(new Number[] {0L, 0L, 0L, 0L, 0L, 0xffffL,
                (d[0] << 8) | d[1], (d[2] << 8) | d[3]});
        }
        return parseIpv6StrictAddress(cs);
    }

    /** {@code inet:parse_ipv6strict_address/1}. */
    public static Optional<Number[]> parseIpv6StrictAddress(CharList cs) {
        try {
            return Optional.of(new Ipv6(cs).parse());
        } catch (Badarg e) {
            return Optional.empty();
        }
    }

    // ---- the usual forms, read straight off a string ------------------------------------------

    /**
     * {@code parse_address} and {@code parse_strict_address} of a string in one of the usual
     * forms: dotted decimal without leading zeros, or IPv6 hex groups with at most one "::" and
     * maybe a dotted-decimal tail, no scope. Both parsers agree on these, and this gives their
     * words without building the parser's list; null for anything else, which the full parser
     * then answers clause by clause.
     */
    public static Number[] quickAddress(String s) {
        long[] ws = quickWords(s);
        return ws == null ? null : words(ws);
    }

    private static long[] quickWords(String s) {
        int n = s.length();
        if (n == 0 || n > 45) {
            return null;
        }
        if (s.indexOf(':') < 0) {
            return dottedQuad(s, 0);
        }
        long[] before = new long[8];
        long[] after = new long[8];
        int nb = 0;
        int na = 0;
        boolean compressed = false;
        int i = 0;
        if (s.startsWith("::")) {
            if (n == 2) {
                return new long[8];
            }
            compressed = true;
            i = 2;
        }
        while (true) {
            int j = i;
            long w = 0;
            for (int d; j < n && j - i < 4 && (d = Character.digit(s.charAt(j), 16)) >= 0 && s.charAt(j) < 0x80; j++) {
                w = w * 16 + d;
            }
            if (j == i) {
                return null;
            }
            int words = nb + na;
            if (j == n) {
                if (compressed ? words > 6 : words != 7) {
                    return null;
                }
                return join(before, nb, after, na, w, compressed);
            }
            char c = s.charAt(j);
            if (c == '.') {
                // inet_parse re-reads the group just read as the first field of an IPv4 tail
                long[] q = compressed || words == 6 ? dottedQuad(s, i) : null;
                if (q == null || (compressed && words > 5)) {
                    return null;
                }
                if (compressed) {
                    after[na++] = (q[0] << 8) | q[1];
                } else {
                    before[nb++] = (q[0] << 8) | q[1];
                }
                return join(before, nb, after, na, (q[2] << 8) | q[3], compressed);
            }
            if (c != ':' || j + 1 == n) {
                return null;
            }
            if (s.charAt(j + 1) == ':') {
                if (compressed || words > (j + 2 == n ? 6 : 5)) {
                    return null;
                }
                before[nb++] = w;
                compressed = true;
                if (j + 2 == n) {
                    return join(before, nb, after, na, -1, true);
                }
                i = j + 2;
                continue;
            }
            if (words > (compressed ? 5 : 6)) {
                return null;
            }
            if (compressed) {
                after[na++] = w;
            } else {
                before[nb++] = w;
            }
            i = j + 1;
        }
    }

    /** The groups before "::", the zeros it stands for, the groups after, then {@code last} (if not -1). */
    private static long[] join(long[] before, int nb, long[] after, int na, long last, boolean compressed) {
        if (last >= 0) {
            if (compressed) {
                after[na++] = last;
            } else {
                before[nb++] = last;
            }
        }
        if (!compressed && nb != 8) {
            return null;
        }
        long[] out = new long[8];
        System.arraycopy(before, 0, out, 0, nb);
        System.arraycopy(after, 0, out, 8 - na, na);
        return out;
    }

    /** Exactly four decimal fields from {@code i} to the end, each 0..255 with no leading zero. */
    private static long[] dottedQuad(String s, int i) {
        long[] q = new long[4];
        int n = s.length();
        for (int f = 0; f < 4; f++) {
            int j = i;
            long v = 0;
            for (char c; j < n && j - i < 3 && (c = s.charAt(j)) >= '0' && c <= '9'; j++) {
                v = v * 10 + (c - '0');
            }
            if (j == i || v > 255 || (s.charAt(i) == '0' && j - i > 1)) {
                return null;
            }
            q[f] = v;
            if (f < 3) {
                if (j >= n || s.charAt(j) != '.') {
                    return null;
                }
                i = j + 1;
            } else if (j != n) {
                return null;
            }
        }
        return q;
    }

    // ---- IPv4 --------------------------------------------------------------------------------

    /** Shortened forms: d4 fills all low bytes, as on Solaris and FreeBSD. */
    private static long[] ipv4Addr(CharList cs) {
        List<Long> ds = new ArrayList<>(4); // fields in input order
        int i = 0;
        while (true) {
            if (cs.isCons(i) && ds.size() == 4) {
                throw Badarg.INSTANCE; // early bail-out for extra characters
            }
            int next;
            if (cs.is(i, '0') && (cs.is(i + 1, 'x') || cs.is(i + 1, 'X'))) {
                next = field(cs, strip0(cs, i + 2), false, 16, 8, ds);
            } else if (cs.is(i, '0')) {
                next = field(cs, strip0(cs, i + 1), true, 8, 11, ds);
            } else if (cs.isList(i)) {
                next = field(cs, i, false, 10, 10, ds);
            } else {
                throw new FunctionClauseException("inet_parse:ipv4_addr/2");
            }
            if (next < 0) {
                break;
            }
            i = next;
        }
        int n = ds.size();
        long last = ds.get(n - 1);
        switch (n) {
            case 1:
                if (last < (1L << 32)) {
                    return new long[] {last >>> 24, (last >>> 16) & 255, (last >>> 8) & 255, last & 255};
                }
                break;
            case 2:
                if (last < (1L << 24) && ds.get(0) < 256) {
                    return new long[] {ds.get(0), last >>> 16, (last >>> 8) & 255, last & 255};
                }
                break;
            case 3:
                if (last < (1L << 16) && (ds.get(0) | ds.get(1)) < 256) {
                    return new long[] {ds.get(0), ds.get(1), last >>> 8, last & 255};
                }
                break;
            default:
                if ((ds.get(0) | ds.get(1) | ds.get(2) | last) < 256) {
                    return new long[] {ds.get(0), ds.get(1), ds.get(2), last};
                }
        }
        throw Badarg.INSTANCE;
    }

    /**
     * One field of a forgiving IPv4 address ({@code inet_parse:ipv4_addr/5}): adds its value to
     * {@code ds} and returns where the next field starts, or -1 after the last field.
     */
    private static int field(CharList cs, int start, boolean leadingZero, int base, int maxChars,
                             List<Long> ds) {
        int rest = ipv4Field(cs, start, maxChars, leadingZero, base, ds);
        if (cs.isNil(rest)) {
            return -1;
        }
        if (cs.is(rest, '.') && cs.isCons(rest + 1)) {
            return rest + 1;
        }
        throw Badarg.INSTANCE;
    }

    private static int strip0(CharList cs, int i) {
        while (cs.is(i, '0')) {
            i++;
        }
        if (!cs.isList(i)) {
            throw new FunctionClauseException("inet_parse:strip0/1");
        }
        return i;
    }

    /** Dotted decimal with exactly four fields and no leading zeros. */
    private static long[] ipv4StrictAddr(CharList cs, int i) {
        List<Long> ds = new ArrayList<>(4);
        while (true) {
            if (cs.isCons(i) && ds.size() == 4) {
                throw Badarg.INSTANCE;
            }
            if (cs.isExactly(i, "0")) {
                ds.add(0L);
                break;
            }
            if (cs.startsWith(i, "0.")) {
                ds.add(0L);
                i += 2;
                continue;
            }
            if (!cs.isList(i)) {
                throw new FunctionClauseException("inet_parse:ipv4strict_addr/2");
            }
            int rest = ipv4Field(cs, i, 3, false, 10, ds);
            if (cs.isNil(rest)) {
                break;
            }
            if (cs.is(rest, '.') && cs.isCons(rest + 1)) {
                i = rest + 1;
                continue;
            }
            throw Badarg.INSTANCE;
        }
        if (ds.size() == 4 && (ds.get(0) | ds.get(1) | ds.get(2) | ds.get(3)) < 256) {
            return new long[] {ds.get(0), ds.get(1), ds.get(2), ds.get(3)};
        }
        throw Badarg.INSTANCE;
    }

    /**
     * Collects at most {@code maxChars} elements up to a '.' or the end, converts them with
     * {@code list_to_integer/2} semantics (so a sign is accepted), adds the value to {@code ds}
     * and returns the index of what follows the field.
     */
    private static int ipv4Field(CharList cs, int start, int maxChars, boolean leadingZero, int base,
                                 List<Long> ds) {
        int i = start;
        int n = maxChars;
        while (true) {
            if (cs.isNil(i) || cs.is(i, '.')) {
                long v = listToInteger(cs, start, i, leadingZero, base);
                if (v < 0) {
                    throw Badarg.INSTANCE;
                }
                ds.add(v);
                return i;
            }
            if (cs.is(i, '0') && i == start && !leadingZero) {
                throw Badarg.INSTANCE;
            }
            if (cs.isCons(i) && n > 0) {
                i++;
                n--;
                continue;
            }
            if (cs.isList(i)) {
                throw Badarg.INSTANCE;
            }
            throw new FunctionClauseException("inet_parse:ipv4_field/4");
        }
    }

    /**
     * {@code erlang:list_to_integer/2} of the elements {@code [from, to)}, preceded by "0" when
     * {@code leadingZero}: an optional sign, then at least one digit of the base.
     */
    /** The range of BEAM's small integers on a 64-bit emulator. */
    private static final long MAX_SMALL = (1L << 59) - 1;
    private static final long MIN_SMALL = -(1L << 59);

    private static long listToInteger(CharList cs, int from, int to, boolean leadingZero, int base) {
        int i = from;
        boolean negative = false;
        if (!leadingZero && i < to && (cs.is(i, '+') || cs.is(i, '-'))) {
            negative = cs.is(i, '-');
            i++;
        }
        if (i >= to && !leadingZero) {
            throw Badarg.INSTANCE;
        }
        long v = 0;
        for (; i < to; i++) {
            Object item = cs.item(i);
            if (!(item instanceof Long)) {
                throw Badarg.INSTANCE;
            }
            long c = (Long) item;
            // The BIF reads each small integer as its low byte (1633 is 'a', -159 too); integers
            // beyond a small are bignums, which it refuses.
            if (c < MIN_SMALL || c > MAX_SMALL) {
                throw Badarg.INSTANCE;
            }
            int digit = Character.digit((int) (c & 0xff), base);
            if (digit < 0 || (c & 0xff) > 'z') { // Character.digit also accepts non-ASCII digits
                throw Badarg.INSTANCE;
            }
            v = v * base + digit;
        }
        return negative ? -v : v;
    }

    private static Number[] words(long[] ws) {
        Number[] out = new Number[ws.length];
        for (int k = 0; k < ws.length; k++) {
            out[k] = ws[k];
        }
        return out;
    }

    // ---- IPv6 (RFC 4291 forms, with IPv4 tails and scope suffixes) ---------------------------

    /**
     * One run of {@code inet_parse:ipv6_addr}. Words before "::" go to {@code a}, words after it
     * to {@code b}; {@code n} counts both, as OTP's N does.
     */
    private static final class Ipv6 {
        private final CharList cs;
        private final List<Number> a = new ArrayList<>(8);
        private final List<Number> b = new ArrayList<>(8);

        Ipv6(CharList cs) {
            this.cs = cs;
        }

        Number[] parse() {
            if (cs.isExactly(0, "::")) {
                return done();
            }
            if (cs.startsWith(0, "::")) {
                return afterDoubleColon(2);
            }
            return beforeDoubleColon(0);
        }

        private Number[] beforeDoubleColon(int start) {
            int i = start;
            while (true) {
                int rest = hex(i);
                int n = a.size();
                if (cs.is(rest, '%') && n == 7) {
                    a.add(hexToInt(i, rest));
                    return scope(rest + 1);
                }
                if (cs.isNil(rest) && n == 7) {
                    a.add(hexToInt(i, rest));
                    return done();
                }
                if (cs.startsWith(rest, "::%") && n <= 6) {
                    a.add(hexToInt(i, rest));
                    return scope(rest + 3);
                }
                if (cs.isExactly(rest, "::") && n <= 6) {
                    a.add(hexToInt(i, rest));
                    return done();
                }
                if (cs.startsWith(rest, "::") && n <= 5) {
                    long w = hexToInt(i, rest);
                    a.add(w);
                    return afterDoubleColon(rest + 2);
                }
                if (cs.is(rest, ':') && n <= 6) {
                    long w = hexToInt(i, rest);
                    a.add(w);
                    i = rest + 1;
                    continue;
                }
                if (cs.is(rest, '.') && n == 6) {
                    return doneWithIpv4(i);
                }
                throw Badarg.INSTANCE;
            }
        }

        private Number[] afterDoubleColon(int start) {
            int i = start;
            while (true) {
                int rest = hex(i);
                int n = a.size() + b.size();
                if (cs.is(rest, '%') && n <= 6) {
                    b.add(hexToInt(i, rest));
                    return scope(rest + 1);
                }
                if (cs.isNil(rest) && n <= 6) {
                    b.add(hexToInt(i, rest));
                    return done();
                }
                if (cs.is(rest, ':') && n <= 5) {
                    b.add(hexToInt(i, rest));
                    i = rest + 1;
                    continue;
                }
                if (cs.is(rest, '.') && n <= 5) {
                    return doneWithIpv4(i);
                }
                throw Badarg.INSTANCE;
            }
        }

        /** The last 32 bits as dotted decimal: the hex word just read is re-read as IPv4. */
        private Number[] doneWithIpv4(int start) {
            long[] d = ipv4StrictAddr(cs, start);
            b.add((d[0] << 8) | d[1]);
            b.add((d[2] << 8) | d[3]);
            return done();
        }

        /**
         * After '%': OTP reads the whole rest, takes a scope id only from "0"-prefixed decimals
         * (any other name means 0) and keeps it only for fe80::/ff02:: addresses.
         */
        private Number[] scope(int start) {
            int end = start;
            while (cs.isCons(end)) {
                end++;
            }
            if (!cs.isNil(end)) {
                throw new FunctionClauseException("inet_parse:ipv6_addr_scope/5");
            }
            Number scopeId = 0L;
            if (end > start && cs.is(start, '0')) {
                scopeId = dec16(start + 1, end);
            }
            int n = a.size() + b.size();
            if (a.size() == 1 && n <= 7 && isLinkLocalPrefix(a.get(0))) {
                a.add(scopeId);
                return done();
            }
            Number[] words = done();
            if (isLinkLocalPrefix(words[0]) && words[1] instanceof Long && (Long) words[1] == 0) {
                words[1] = scopeId;
                return words;
            }
            throw Badarg.INSTANCE;
        }

        private boolean isLinkLocalPrefix(Number w) {
            return w instanceof Long && ((Long) w == 0xfe80 || (Long) w == 0xff02);
        }

        /** Decimal digits with Erlang arithmetic: a float element turns the sum into a float. */
        private Number dec16(int from, int to) {
            long iv = 0;
            double fv = 0;
            boolean isFloat = false;
            for (int k = from; k < to; k++) {
                if (!cs.inRange(k, '0', '9')) {
                    throw Badarg.INSTANCE;
                }
                Object c = cs.item(k);
                if (c instanceof Double) {
                    fv = (isFloat ? 10 * fv : (double) (10 * iv)) + ((Double) c - '0');
                    isFloat = true;
                } else if (isFloat) {
                    fv = 10 * fv + (double) ((Long) c - '0');
                } else {
                    iv = 10 * iv + ((Long) c - '0');
                }
                if (isFloat ? fv > 0xffff : iv > 0xffff) {
                    throw Badarg.INSTANCE;
                }
            }
            return isFloat ? (Number) fv : (Number) iv;
        }

        /** Words before "::", zeros, words after "::". */
        private Number[] done() {
            Number[] words = new Number[8];
            int k = 0;
            for (Number w : a) {
                words[k++] = w;
            }
            for (int z = a.size() + b.size(); z < 8; z++) {
                words[k++] = 0L;
            }
            for (Number w : b) {
                words[k++] = w;
            }
            return words;
        }

        /** Collects 1 to 4 hex digits from {@code i}; returns where they end. */
        private int hex(int i) {
            int j = i;
            while (j - i < 4 && cs.isCons(j)
                    && (cs.inRange(j, '0', '9') || cs.inRange(j, 'a', 'f') || cs.inRange(j, 'A', 'F'))) {
                j++;
            }
            if (j > i && cs.isList(j)) {
                return j;
            }
            throw Badarg.INSTANCE;
        }

        /** {@code list_to_integer(Cs, 16)}: digits that passed the guards as floats fail here. */
        private long hexToInt(int from, int to) {
            long v = 0;
            for (int k = from; k < to; k++) {
                Object c = cs.item(k);
                if (!(c instanceof Long)) {
                    throw Badarg.INSTANCE;
                }
                v = v * 16 + Character.digit((int) (long) (Long) c, 16);
            }
            return v;
        }
    }

    /** OTP's parser signals every ordinary parse failure with badarg and maps it to einval. */
    private static final class Badarg extends RuntimeException {
        static final Badarg INSTANCE = new Badarg();

        private Badarg() {
            super("badarg", null, false, false);
        }
    }
}
