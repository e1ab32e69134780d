package jinet.inet;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * An Erlang list exactly as OTP's address parser sees it: any elements, then a tail that is
 * either {@code []} or some other term. The parser's clauses match on list shape and compare
 * elements with Erlang's term order, so the list keeps what those need and no more: integers
 * (as {@link Long} or {@link BigInteger}), floats (as {@link Double}), and {@link #OTHER} for
 * every other term, which Erlang orders above all numbers.
 */
public final class CharList {
    /** Stands for any element that is not a number. */
    public static final Object OTHER = new Object() {
        @Override
        public String toString() {
            return "OTHER";
        }
    };

    private static final CharList NOT_A_LIST = new CharList(new Object[0], false);

    private final Object[] items;
    private final boolean proper;

    private CharList(Object[] items, boolean proper) {
        this.items = items;
        this.proper = proper;
    }

    /** A list of the given elements whose tail is {@code []} when {@code proper}, else a non-list. */
    public static CharList of(Object[] items, boolean proper) {
        for (Object item : items) {
            if (!(item instanceof Long || item instanceof Double || item instanceof BigInteger
                    || item == OTHER)) {
                throw new IllegalArgumentException("not a list element kind: " + item);
            }
        }
        return new CharList(items.clone(), proper);
    }

    /** {@link #of} for an array the caller built from terms and hands over: no copy, no check. */
    static CharList wrap(Object[] items, boolean proper) {
        return new CharList(items, proper);
    }

    /** A proper list of character codes. */
    public static CharList ofCodePoints(int[] codePoints) {
        Object[] items = new Object[codePoints.length];
        for (int i = 0; i < codePoints.length; i++) {
            items[i] = (long) codePoints[i];
        }
        return new CharList(items, true);
    }

    public static CharList ofString(String s) {
        // every call's argument comes through here: no stream, no int[] in between
        Object[] items = new Object[s.codePointCount(0, s.length())];
        for (int i = 0, k = 0; i < s.length(); k++) {
            int cp = s.codePointAt(i);
            items[k] = (long) cp;
            i += Character.charCount(cp);
        }
        return new CharList(items, true);
    }

    /** A term that is no list at all (an atom, a binary, a tuple...). */
    public static CharList notAList() {
        return NOT_A_LIST;
    }

    int size() {
        return items.length;
    }

    Object item(int i) {
        return items[i];
    }

    /** The suffix starting at {@code i} is {@code []}. */
    boolean isNil(int i) {
        return i >= items.length && proper;
    }

    /** The suffix starting at {@code i} is a cons cell, {@code [_|_]}. */
    boolean isCons(int i) {
        return i < items.length;
    }

    /** {@code is_list/1} of the suffix starting at {@code i}. */
    boolean isList(int i) {
        return isCons(i) || isNil(i);
    }

    /** The element at {@code i} matches the character {@code c} in a pattern (exact: 48.0 is not $0). */
    boolean is(int i, char c) {
        return i < items.length && items[i] instanceof Long && (Long) items[i] == c;
    }

    /** The suffix starting at {@code i} is exactly the string {@code s}, {@code []} included. */
    boolean isExactly(int i, String s) {
        return startsWith(i, s) && isNil(i + s.length());
    }

    boolean startsWith(int i, String s) {
        for (int k = 0; k < s.length(); k++) {
            if (!is(i + k, s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** Guard {@code C >= lo, C =< hi} in Erlang term order: non-numbers sort above every number. */
    boolean inRange(int i, char lo, char hi) {
        Object item = items[i];
        if (item instanceof Long) {
            long v = (Long) item;
            return v >= lo && v <= hi;
        }
        if (item instanceof Double) {
            double v = (Double) item;
            return v >= lo && v <= hi;
        }
        return false; // bignums are far outside any character range; other terms sort above numbers
    }

    @Override
    public String toString() {
        return Arrays.toString(items) + (proper ? "" : "|tail");
    }
}
