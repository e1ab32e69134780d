package jinet.inet.resolver;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import jinet.term.ErlangException;
import jinet.term.Terms;

/**
 * Erlang strings as the resolver's OTP code looks at them: a proper list of character codes,
 * or not. Kept apart so each guard ({@code is_list}, {@code visible_string}, {@code tolower})
 * is written once.
 */
public final class ErlText {
    private static final OtpErlangAtom FUNCTION_CLAUSE = Terms.atom("function_clause");

    private ErlText() {
    }

    /** The characters of a proper list of Unicode code points, else null. */
    public static String chars(OtpErlangObject term) {
        if (term instanceof OtpErlangString) {
            return ((OtpErlangString) term).stringValue();
        }
        if (!(term instanceof OtpErlangList)) {
            return null;
        }
        OtpErlangList list = (OtpErlangList) term;
        OtpErlangObject tail = list.getLastTail();
        String rest = "";
        if (tail != null) {
            // A proper list may arrive as elements with a string for its tail.
            rest = tail instanceof OtpErlangString || tail instanceof OtpErlangList ? chars(tail) : null;
            if (rest == null) {
                return null;
            }
        }
        StringBuilder sb = new StringBuilder(list.arity());
        for (OtpErlangObject e : list.elements()) {
            if (!(e instanceof OtpErlangLong) || !((OtpErlangLong) e).isLong()) {
                return null;
            }
            long c = ((OtpErlangLong) e).longValue();
            if (c < 0 || c > 0x10FFFF) {
                return null;
            }
            sb.appendCodePoint((int) c);
        }
        return sb.append(rest).toString();
    }

    /** {@code is_list/1}: proper, improper or empty. */
    public static boolean isList(OtpErlangObject term) {
        return term instanceof OtpErlangList || term instanceof OtpErlangString;
    }

    /** An atom's name as a string ({@code atom_to_list}), or the term itself. */
    public static OtpErlangObject atomToList(OtpErlangObject term) {
        return term instanceof OtpErlangAtom
                ? new OtpErlangString(((OtpErlangAtom) term).atomValue()) : term;
    }

    /** inet_parse:visible_string/1: non-empty, every character in 16#21..16#7E. */
    public static boolean isVisible(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    public static boolean isVisible(OtpErlangObject term) {
        return isVisible(chars(term));
    }

    /**
     * inet_db:tolower/1 (RFC 4343: only A-Z change). Its clauses match proper lists of code
     * points only, so anything else raises function_clause, as on BEAM.
     */
    public static String toLower(OtpErlangObject term) throws ErlangException {
        String s = chars(term);
        if (s == null) {
            throw ErlangException.error(FUNCTION_CLAUSE);
        }
        return toLower(s);
    }

    public static String toLower(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (sb == null) {
                    sb = new StringBuilder(s);
                }
                sb.setCharAt(i, (char) (c - 'A' + 'a'));
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** A Java string as an Erlang string (a list of its code points). */
    public static OtpErlangObject string(String s) {
        return new OtpErlangString(s);
    }
}
