package jinet.inet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** ntoa on the manual's examples, and its agreement with the parser on random addresses. */
class AddressFormatterTest {
    @Test
    void formatsTheManualsExamples() {
        assertEquals("192.168.42.2", AddressFormatter.ntoa(new long[] {192, 168, 42, 2}).orElseThrow());
        assertEquals("::1", AddressFormatter.ntoa(new long[] {0, 0, 0, 0, 0, 0, 0, 1}).orElseThrow());
        assertEquals("::192.168.42.2",
                AddressFormatter.ntoa(new long[] {0, 0, 0, 0, 0, 0, 49320, 10754}).orElseThrow());
        assertEquals("::ffff:192.168.42.2",
                AddressFormatter.ntoa(new long[] {0, 0, 0, 0, 0, 0xffff, 49320, 10754}).orElseThrow());
        assertEquals("3ffe:b80:1f8d:2:204:acff:fe17:bf38", AddressFormatter.ntoa(
                new long[] {0x3ffe, 0xb80, 0x1f8d, 0x2, 0x204, 0xacff, 0xfe17, 0xbf38}).orElseThrow());
        assertEquals("fe80::204:acff:fe17:bf38", AddressFormatter.ntoa(
                new long[] {0xfe80, 0, 0, 0, 0x204, 0xacff, 0xfe17, 0xbf38}).orElseThrow());
    }

    @Test
    void outOfRangeWordsAndOtherSizesAreEinval() {
        assertEquals(Optional.empty(), AddressFormatter.ntoa(new long[] {256, 0, 0, 0}));
        assertEquals(Optional.empty(), AddressFormatter.ntoa(new long[] {-1, 0, 0, 0, 0, 0, 0, 0}));
        assertEquals(Optional.empty(), AddressFormatter.ntoa(new long[] {1, 2, 3}));
    }

    @Test
    void parsingWhatNtoaPrintsGivesTheAddressBack() {
        Random random = new Random(42);
        for (int n = 0; n < 20_000; n++) {
            long[] w = new long[random.nextBoolean() ? 4 : 8];
            for (int i = 0; i < w.length; i++) {
                int kind = random.nextInt(3);
                w[i] = kind == 0 ? 0 : kind == 1 ? random.nextInt(3) : random.nextInt(w.length == 4 ? 256 : 65536);
            }
            String text = AddressFormatter.ntoa(w).orElseThrow();
            Number[] back = AddressParser.parseAddress(CharList.ofString(text)).orElseThrow();
            Number[] expected = new Number[w.length];
            for (int i = 0; i < w.length; i++) {
                expected[i] = w[i];
            }
            assertArrayEquals(expected, back, text);
        }
    }
}
