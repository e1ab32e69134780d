package jinet.inet.dns;

/** inet_db's domain name helpers: RFC 4343 case folding, on char lists mapped 1:1 to chars. */
public final class DnsNames {
    private DnsNames() {
    }

    /** inet_db:tolower/1: only A-Z are lowered (RFC 4343), nothing else, not even Latin-1 letters. */
    public static String toLower(String domain) {
        char[] chars = null;
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            if ('A' <= c && c <= 'Z') {
                if (chars == null) {
                    chars = domain.toCharArray();
                }
                chars[i] = (char) (c - 'A' + 'a');
            }
        }
        return chars == null ? domain : new String(chars);
    }

    /**
     * inet_db:eq_domains/2: equal but for the case of A-Z, where one trailing '.' on either side
     * (not both) is ignored: "a." equals "a", "." equals "", but "a.." also equals "a.".
     */
    public static boolean eqDomains(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            int xor = x ^ y;
            if (xor == 0x20) {
                int and = x & y;
                // Both letters of one case pair: their AND is the upper-case letter.
                if (and < ('A' & 'a') || and > ('Z' & 'z')) {
                    return false;
                }
            } else if (xor != 0) {
                return false;
            }
            i++;
        }
        int restA = a.length() - i;
        int restB = b.length() - i;
        return (restA == 0 && restB == 0)
                || (restA == 1 && restB == 0 && a.charAt(i) == '.')
                || (restA == 0 && restB == 1 && b.charAt(i) == '.');
    }
}
