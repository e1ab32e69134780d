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
}
