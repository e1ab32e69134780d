package jinet.term;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Erlang terms written as text, the way {@code file:consult/1} and inet_config read an inetrc
 * file: a sequence of terms each ended by a dot, with {@code %} comments. Covers the literal
 * term syntax (atoms, quoted atoms, strings with escapes and adjacent-string concatenation,
 * integers with {@code Base#} and {@code $c}, floats, tuples, proper and {@code [H|T]} lists,
 * binaries of bytes and strings); anything else is a syntax error, as it is for erl_parse:parse_term.
 */
public final class TermReader {
    /** The text is not a sequence of Erlang terms. */
    public static final class SyntaxException extends Exception {
        SyntaxException(String message, int line) {
            super("line " + line + ": " + message);
        }
    }

    private final String text;
    private int pos;
    private int line = 1;

    private TermReader(String text) {
        this.text = text;
    }

    /** All dot-terminated terms of {@code text}. */
    public static List<OtpErlangObject> consult(String text) throws SyntaxException {
        TermReader r = new TermReader(text);
        List<OtpErlangObject> terms = new ArrayList<>();
        while (true) {
            r.skipBlank();
            if (r.pos >= r.text.length()) {
                return terms;
            }
            terms.add(r.term());
            r.skipBlank();
            r.expect('.');
            if (r.pos < r.text.length() && !isBlank(r.text.charAt(r.pos)) && r.text.charAt(r.pos) != '%') {
                throw r.error("a dot must be followed by white space");
            }
        }
    }

    /** One term with no dot after it, as in {@code -kernel Key Value} on erl's command line. */
    public static OtpErlangObject parse(String text) throws SyntaxException {
        TermReader r = new TermReader(text);
        r.skipBlank();
        OtpErlangObject t = r.term();
        r.skipBlank();
        if (r.pos < r.text.length() && r.text.charAt(r.pos) == '.') {
            r.pos++;
            r.skipBlank();
        }
        if (r.pos != r.text.length()) {
            throw r.error("text after the term");
        }
        return t;
    }

    private OtpErlangObject term() throws SyntaxException {
        skipBlank();
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{': {
                pos++;
                List<OtpErlangObject> items = sequence('}');
                return new OtpErlangTuple(items.toArray(new OtpErlangObject[0]));
            }
            case '[':
                return list();
            case '"':
                return string();
            case '\'':
                pos++;
                return new OtpErlangAtom(quoted('\''));
            case '$':
                pos++;
                return new OtpErlangLong(charLiteral());
            case '<':
                return binary();
            case '-':
            case '+':
                pos++;
                skipBlank();
                if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    OtpErlangObject n = number();
                    return c == '+' ? n : negate(n);
                }
                throw error("sign without a number");
            default:
                if (Character.isDigit(c)) {
                    return number();
                }
                if (c >= 'a' && c <= 'z' || c >= 0xdf && c <= 0xff && c != 0xf7) {
                    return bareAtom();
                }
                throw error("unexpected '" + c + "'");
        }
    }

    private List<OtpErlangObject> sequence(char close) throws SyntaxException {
        List<OtpErlangObject> items = new ArrayList<>();
        skipBlank();
        if (peek(close)) {
            pos++;
            return items;
        }
        while (true) {
            items.add(term());
            skipBlank();
            if (peek(',')) {
                pos++;
            } else if (peek(close)) {
                pos++;
                return items;
            } else {
                throw error("expected ',' or '" + close + "'");
            }
        }
    }

    private OtpErlangObject list() throws SyntaxException {
        pos++;
        List<OtpErlangObject> items = new ArrayList<>();
        skipBlank();
        if (peek(']')) {
            pos++;
            return new OtpErlangList();
        }
        while (true) {
            items.add(term());
            skipBlank();
            if (peek(',')) {
                pos++;
            } else if (peek('|')) {
                pos++;
                OtpErlangObject tail = term();
                skipBlank();
                expect(']');
                OtpErlangObject[] head = items.toArray(new OtpErlangObject[0]);
                if (tail instanceof OtpErlangList && ((OtpErlangList) tail).arity() == 0) {
                    return new OtpErlangList(head);
                }
                try {
                    return new OtpErlangList(head, tail);
                } catch (Exception e) {
                    throw error("bad list tail");
                }
            } else if (peek(']')) {
                pos++;
                return new OtpErlangList(items.toArray(new OtpErlangObject[0]));
            } else {
                throw error("expected ',', '|' or ']'");
            }
        }
    }

    private OtpErlangObject string() throws SyntaxException {
        StringBuilder sb = new StringBuilder();
        do {
            pos++;
            sb.append(quoted('"'));
            skipBlank();
        } while (peek('"'));
        return new OtpErlangString(sb.toString());
    }

    private OtpErlangObject binary() throws SyntaxException {
        if (!text.startsWith("<<", pos)) {
            throw error("unexpected '<'");
        }
        pos += 2;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        skipBlank();
        if (text.startsWith(">>", pos)) {
            pos += 2;
            return new OtpErlangBinary(new byte[0]);
        }
        while (true) {
            OtpErlangObject seg = term();
            if (seg instanceof OtpErlangLong) {
                bytes.write((int) (((OtpErlangLong) seg).longValue() & 0xff));
            } else if (seg instanceof OtpErlangString) {
                for (char ch : ((OtpErlangString) seg).stringValue().toCharArray()) {
                    bytes.write(ch & 0xff);
                }
            } else {
                throw error("binary segment is not a byte or a string");
            }
            skipBlank();
            if (peek(',')) {
                pos++;
            } else if (text.startsWith(">>", pos)) {
                pos += 2;
                return new OtpErlangBinary(bytes.toByteArray());
            } else {
                throw error("expected ',' or '>>'");
            }
        }
    }

    private OtpErlangObject bareAtom() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '@') {
                pos++;
            } else {
                break;
            }
        }
        return new OtpErlangAtom(text.substring(start, pos));
    }

    private OtpErlangObject number() throws SyntaxException {
        int start = pos;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        String digits = text.substring(start, pos).replace("_", "");
        if (peek('#')) {
            pos++;
            int base = Integer.parseInt(digits);
            if (base < 2 || base > 36) {
                throw error("bad base " + base);
            }
            int s = pos;
            while (pos < text.length() && Character.digit(text.charAt(pos), base) >= 0) {
                pos++;
            }
            if (s == pos) {
                throw error("no digits after base");
            }
            return integer(new BigInteger(text.substring(s, pos), base));
        }
        if (peek('.') && pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1))) {
            pos++;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
                int save = pos;
                pos++;
                if (peek('-') || peek('+')) {
                    pos++;
                }
                if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                        pos++;
                    }
                } else {
                    pos = save;
                }
            }
            return new OtpErlangDouble(Double.parseDouble(text.substring(start, pos).replace("_", "")));
        }
        return integer(new BigInteger(digits));
    }

    private static OtpErlangObject integer(BigInteger v) {
        return new OtpErlangLong(v);
    }

    private static OtpErlangObject negate(OtpErlangObject n) {
        if (n instanceof OtpErlangLong) {
            return new OtpErlangLong(((OtpErlangLong) n).bigIntegerValue().negate());
        }
        return new OtpErlangDouble(-((OtpErlangDouble) n).doubleValue());
    }

    private String quoted(char end) throws SyntaxException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated quote");
            }
            char c = text.charAt(pos++);
            if (c == end) {
                return sb.toString();
            }
            if (c == '\n') {
                line++;
            }
            if (c == '\\') {
                sb.appendCodePoint(escape());
            } else {
                sb.append(c);
            }
        }
    }

    private long charLiteral() throws SyntaxException {
        if (pos >= text.length()) {
            throw error("unexpected end after $");
        }
        char c = text.charAt(pos++);
        if (c == '\\') {
            return escape();
        }
        if (Character.isHighSurrogate(c) && pos < text.length()) {
            return Character.toCodePoint(c, text.charAt(pos++));
        }
        return c;
    }

    /** The escape sequences of erl_scan, after the backslash. */
    private int escape() throws SyntaxException {
        if (pos >= text.length()) {
            throw error("unterminated escape");
        }
        char c = text.charAt(pos++);
        switch (c) {
            case 'b': return '\b';
            case 'd': return 0x7f;
            case 'e': return 0x1b;
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 's': return ' ';
            case 't': return '\t';
            case 'v': return 0x0b;
            case '^':
                if (pos >= text.length()) {
                    throw error("unterminated escape");
                }
                return text.charAt(pos++) & 0x1f;
            case 'x':
                if (peek('{')) {
                    int close = text.indexOf('}', pos);
                    if (close < 0) {
                        throw error("unterminated \\x{");
                    }
                    try {
                        int v = Integer.parseInt(text.substring(pos + 1, close), 16);
                        pos = close + 1;
                        return v;
                    } catch (NumberFormatException e) {
                        throw error("bad \\x{...}");
                    }
                }
                return digits(16, 2);
            default:
                if (c >= '0' && c <= '7') {
                    pos--;
                    return digits(8, 3);
                }
                return c;
        }
    }

    private int digits(int base, int max) throws SyntaxException {
        int v = 0;
        int n = 0;
        while (n < max && pos < text.length() && Character.digit(text.charAt(pos), base) >= 0) {
            v = v * base + Character.digit(text.charAt(pos++), base);
            n++;
        }
        if (n == 0) {
            throw error("bad escape");
        }
        return v;
    }

    private void skipBlank() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '%') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (isBlank(c)) {
                if (c == '\n') {
                    line++;
                }
                pos++;
            } else {
                return;
            }
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b || c == 0xa0;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) throws SyntaxException {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private SyntaxException error(String message) {
        return new SyntaxException(message, line);
    }
}
