package jinet.inet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The parser on the manual's own examples, and the shapes of its failures. */
class AddressParserTest {
    private static Number[] words(long... ws) {
        Number[] out = new Number[ws.length];
        for (int i = 0; i < ws.length; i++) {
            out[i] = ws[i];
        }
        return out;
    }

    private static Number[] parse(String s) {
        return AddressParser.parseAddress(CharList.ofString(s)).orElseThrow();
    }

    @Test
    void parsesTheManualsAddressExamples() {
        assertArrayEquals(words(192, 168, 42, 2), parse("192.168.42.2"));
        assertArrayEquals(words(0, 0, 0, 0, 0, 65535, 49320, 10754), parse("::FFFF:192.168.42.2"));
        assertArrayEquals(words(127, 0, 0, 1), parse("127.0.0.1"));
        assertArrayEquals(words(0, 0, 0, 0, 0, 0, 0, 1), parse("::1"));
        assertArrayEquals(words(0, 0, 0, 0, 0, 0, (192 << 8) | 168, (42 << 8) | 2), parse("::192.168.42.2"));
        assertArrayEquals(words(0x3ffe, 0xb80, 0x1f8d, 0x2, 0x204, 0xacff, 0xfe17, 0xbf38),
                parse("3ffe:b80:1f8d:2:204:acff:fe17:bf38"));
        assertArrayEquals(words(0xfe80, 0, 0, 0, 0x204, 0xacff, 0xfe17, 0xbf38), parse("fe80::204:acff:fe17:bf38"));
    }

    @Test
    void shortenedIpv4IsAcceptedOnlyByTheForgivingParsers() {
        CharList shortened = CharList.ofString("127.1");
        assertArrayEquals(words(127, 0, 0, 1), AddressParser.parseIpv4Address(shortened).orElseThrow());
        assertEquals(Optional.empty(), AddressParser.parseIpv4StrictAddress(shortened));
        assertEquals(Optional.empty(), AddressParser.parseStrictAddress(shortened));
    }

    @Test
    void ipv6ParserMapsIpv4AndStrictOneRejectsIt() {
        CharList v4 = CharList.ofString("192.168.42.2");
        assertArrayEquals(words(0, 0, 0, 0, 0, 0xffff, 49320, 10754), AddressParser.parseIpv6Address(v4).orElseThrow());
        assertEquals(Optional.empty(), AddressParser.parseIpv6StrictAddress(v4));
    }

    @Test
    void scopeSuffixLandsInTheSecondWordOfLinkLocalAddresses() {
        assertArrayEquals(words(0xfe80, 25, 0, 0, 0, 0, 0, 1), parse("fe80::1%025"));
        assertArrayEquals(words(0xfe80, 0, 0, 0, 0, 0, 0, 1), parse("fe80::1%lo"));
        assertEquals(Optional.empty(), AddressParser.parseAddress(CharList.ofString("1::2%0")));
    }

    @Test
    void nonListsAreEinvalForTheGeneralParserButNoClauseForTheIpv4One() {
        assertEquals(Optional.empty(), AddressParser.parseAddress(CharList.notAList()));
        assertThrows(FunctionClauseException.class, () -> AddressParser.parseIpv4Address(CharList.notAList()));
    }

    @Test
    void anImproperTailInsideAFieldIsAFunctionClause() {
        CharList improper = CharList.of(new Object[] {(long) '1'}, false);
        FunctionClauseException e = assertThrows(FunctionClauseException.class,
                () -> AddressParser.parseAddress(improper));
        assertTrue(e.function().startsWith("inet_parse:ipv4_field"), e.function());
    }

    @Test
    void floatDigitsInTheScopeMakeAFloatScopeId() {
        Object[] items = "fe80::1%0".codePoints().mapToObj(c -> (Object) (long) c).toArray(Object[]::new);
        Object[] withFloat = java.util.Arrays.copyOf(items, items.length + 1);
        withFloat[items.length] = 49.5;
        Number[] ip = AddressParser.parseAddress(CharList.of(withFloat, true)).orElseThrow();
        assertEquals(1.5, ip[1]);
    }

    /**
     * The string shortcut must give what the full parsers give, on every string it takes; it is
     * checked against both on strings made of the characters addresses are made of, and it must
     * take the usual forms, or it would shortcut nothing.
     */
    @Test
    void theShortcutAgreesWithTheFullParsersWhereverItAnswers() {
        java.util.Random random = new java.util.Random(42);
        String alphabet = "0123456789abcdefABCDEF:.:.:0%x+-g";
        int answered = 0;
        for (int k = 0; k < 400_000; k++) {
            StringBuilder b = new StringBuilder();
            for (int n = random.nextInt(24); n > 0; n--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            answered += agree(b.toString()) ? 1 : 0;
        }
        String[] usual = {"192.168.42.2", "0.0.0.0", "255.255.255.255", "10.0.0.1", "::", "::1", "1::",
            "::ffff:192.168.42.2", "::FFFF:192.168.42.2", "fe80::204:acff:fe17:bf38", "2001:db8::ff00:42:8329",
            "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4", "1::1.2.3.4",
            "3ffe:b80:1f8d:2:204:acff:fe17:bf38", "::192.168.42.2"};
        for (String s : usual) {
            assertTrue(agree(s), s + " is a usual form");
            answered++;
        }
        assertTrue(answered > 100, "the shortcut answered " + answered + " random strings");
    }

    /** True when the shortcut answered {@code s}, after checking its answer. */
    private static boolean agree(String s) {
        Number[] expected = AddressParser.quickAddress(s);
        if (expected == null) {
            return false;
        }
        for (Optional<Number[]> full : java.util.List.of(AddressParser.parseAddress(CharList.ofString(s)),
                AddressParser.parseStrictAddress(CharList.ofString(s)))) {
            assertTrue(full.isPresent(), s + ": the shortcut answers, the full parser refuses");
            assertArrayEquals(full.get(), expected, s);
        }
        return true;
    }
}
