package jinet.inet.dns;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Wire messages for the decode comparison: hand-written ones aimed at each clause of
 * inet_dns:decode/1, random well-formed ones, and seeded random mutations of all of them.
 */
final class DecodeCorpus {
    /** The question name's offset; "example.com" is 13 bytes there, "com" at 20. */
    private static final int QNAME = 12;
    private static final int COM = 20;
    private static final int ID = 0xBEEF;

    private final Map<String, byte[]> messages = new LinkedHashMap<>();

    private DecodeCorpus() {
    }

    /** Hand-written, then random, then mutations of both; no message twice. */
    static List<byte[]> build(long seed, int randomMessages, int mutationsEach) {
        DecodeCorpus c = new DecodeCorpus();
        c.handWritten();
        Random random = new Random(seed);
        for (int i = 0; i < randomMessages; i++) {
            c.add(RandomMessage.generate(random));
        }
        for (byte[] base : new ArrayList<>(c.messages.values())) {
            for (int i = 0; i < mutationsEach; i++) {
                c.add(mutate(base, random));
            }
        }
        return new ArrayList<>(c.messages.values());
    }

    private void add(byte[] message) {
        messages.putIfAbsent(HexFormat.of().formatHex(message), message);
    }

    private void add(Wire w) {
        add(w.toBytes());
    }

    /** One question for example.com and one answer owned by it (a pointer), RDATA written by the body. */
    private static Wire answer(int type, int cls, long ttl, Consumer<Wire> rdata) {
        Wire w = Wire.header(ID, Wire.RESPONSE, 1, 1, 0, 0).question("example.com", type, cls & 0xFFFF);
        w.pointer(QNAME).rr(type, cls, ttl);
        rdata.accept(w);
        return w.end();
    }

    private static Wire answer(int type, Consumer<Wire> rdata) {
        return answer(type, DnsClass.IN, 3600, rdata);
    }

    private void handWritten() {
        headersAndQuestions();
        addressRecords();
        nameRecords();
        structuredRecords();
        textRecords();
        classesAndUnnamedTypes();
        optRecords();
        labelsAndPointers();
        truncation();
    }

    private void headersAndQuestions() {
        for (int len = 0; len <= 12; len++) {
            add(new byte[len]);
        }
        for (int opcode = 0; opcode < 16; opcode++) {
            add(Wire.header(opcode * 4099, Wire.flags(opcode % 2 == 0, opcode, opcode % 3 == 0, false, opcode % 5 == 0,
                    opcode % 2 == 1, opcode % 4 == 1, opcode & 3, 15 - opcode), 0, 0, 0, 0));
        }
        add(Wire.header(0xFFFF, 0xFFFF, 0, 0, 0, 0));
        add(Wire.header(0x1234, 0x0100, 1, 0, 0, 0).question("example.com", DnsType.A, DnsClass.IN));
        add(Wire.header(1, 0x0100, 1, 0, 0, 0).question("EXAMPLE.Com", DnsType.AAAA, 0x8001));
        add(Wire.header(2, 0x0100, 1, 0, 0, 0).question(".", DnsType.ANY, DnsClass.ANY));
        add(Wire.header(3, 0x0100, 1, 0, 0, 0).question("x", 0, 0));
        add(Wire.header(3, 0x0100, 1, 0, 0, 0).question("x", 65535, 65535));
        add(Wire.header(4, 0x0100, 2, 0, 0, 0).question("a.example", DnsType.MX, DnsClass.CHAOS)
                .label("b").pointer(QNAME).u16(DnsType.TXT).u16(DnsClass.HS));
        add(Wire.header(5, 0x0100, 1, 0, 0, 0).question("a", 1, 1).bytes(0));         // trailing byte
        add(Wire.header(5, 0x0100, 0, 0, 0, 0).question("a", 1, 1));                 // no count for it
        add(Wire.header(6, 0x0100, 1, 0, 0, 0).name("a").u16(1));                   // no class
        add(Wire.header(6, 0x0100, 1, 0, 0, 0).name("a"));                          // no type
        add(Wire.header(6, 0x0100, 1, 0, 0, 0).label("abc"));                       // no root label
        add(Wire.header(7, Wire.RESPONSE, 0, 1, 0, 0).rr("example.com", DnsType.A, 1, 60, new byte[] {1, 2, 3, 4}));
        add(Wire.header(8, Wire.RESPONSE, 1, 0, 0, 0).question("x", 1, 1).rr("x", 1, 1, 1, new byte[4]));
    }

    private void addressRecords() {
        add(answer(DnsType.A, w -> w.bytes(93, 184, 216, 34)));
        add(answer(DnsType.A, w -> w.bytes(93, 184, 216)));
        add(answer(DnsType.A, w -> w.bytes(93, 184, 216, 34, 0)));
        add(answer(DnsType.A, w -> { }));
        add(answer(DnsType.AAAA, w -> w.u16(0x2001).u16(0xdb8).u32(0).u32(0xff).u16(0xfffe).u16(0x8001)));
        add(answer(DnsType.AAAA, w -> w.bytes(new byte[15])));
        add(answer(DnsType.AAAA, w -> w.bytes(new byte[17])));
        add(answer(DnsType.WKS, w -> w.bytes(10, 0, 0, 1, 6, 0xff, 0, 0x81)));
        add(answer(DnsType.WKS, w -> w.bytes(10, 0, 0, 1, 17)));
        add(answer(DnsType.WKS, w -> w.bytes(10, 0, 0, 1)));
        add(answer(DnsType.A, DnsClass.IN, -1, w -> w.bytes(1, 1, 1, 1)));
        add(answer(DnsType.A, DnsClass.IN, 0x7FFFFFFFL, w -> w.bytes(1, 1, 1, 1)));
        add(answer(DnsType.A, DnsClass.IN, 0x80000000L, w -> w.bytes(1, 1, 1, 1)));
        add(answer(DnsType.A, DnsClass.IN, 0xFFFFFFFFL, w -> w.bytes(1, 1, 1, 1)));
        // Several addresses and an authority and additional section.
        Wire w = Wire.header(ID, Wire.RESPONSE | 0x400, 1, 2, 1, 1).question("example.com", DnsType.A, 1);
        w.pointer(QNAME).rr(DnsType.A, 1, 60).bytes(10, 0, 0, 1).end();
        w.pointer(QNAME).rr(DnsType.A, 1, 60).bytes(10, 0, 0, 2).end();
        int ns = w.position();
        w.pointer(COM).rr(DnsType.NS, 1, 172800).label("a").label("gtld-servers").labels("net").end();
        w.pointer(ns + 12).rr(DnsType.A, 1, 172800).bytes(192, 5, 6, 30).end();
        add(w);
    }

    private void nameRecords() {
        int[] types = {DnsType.NS, DnsType.MD, DnsType.MF, DnsType.CNAME, DnsType.MB, DnsType.MG, DnsType.MR,
            DnsType.PTR};
        for (int type : types) {
            add(answer(type, w -> w.label("ns1").pointer(QNAME)));
            add(answer(type, w -> w.labels("host", "Example", "ORG")));
            add(answer(type, w -> w.u8(0)));
            add(answer(type, w -> w.label("ns1").pointer(QNAME).u8(0)));   // byte after the name
            add(answer(type, w -> w.label("ns1")));                        // no root label in RDATA
        }
        add(answer(DnsType.PTR, DnsClass.ANY, 5, w -> w.name("4.3.2.1.in-addr.arpa")));
    }

    private void structuredRecords() {
        add(answer(DnsType.SOA, w -> w.label("ns").pointer(QNAME).label("hostmaster").pointer(QNAME)
                .u32(2024010101L).u32(7200).u32(3600).u32(1209600).u32(300)));
        add(answer(DnsType.SOA, w -> w.u8(0).u8(0).u32(0xFFFFFFFFL).u32(0x80000000L).u32(0xFFFFFFFFL)
                .u32(0x7FFFFFFFL).u32(0xFFFFFFFEL)));
        add(answer(DnsType.SOA, w -> w.u8(0).u8(0).bytes(new byte[19])));
        add(answer(DnsType.SOA, w -> w.u8(0).u8(0).bytes(new byte[21])));
        add(answer(DnsType.SOA, w -> w.u8(0)));
        add(answer(DnsType.NULL, w -> w.bytes(0, 1, 2, 255)));
        add(answer(DnsType.NULL, w -> { }));
        add(answer(DnsType.HINFO, w -> w.string("INTEL-386").string("Unix")));
        add(answer(DnsType.HINFO, w -> w.string("").string("")));
        add(answer(DnsType.HINFO, w -> w.string("cpu").string("os").u8(0)));
        add(answer(DnsType.HINFO, w -> w.string("cpu")));
        add(answer(DnsType.HINFO, w -> w.u8(5).bytes(1, 2)));
        add(answer(DnsType.HINFO, w -> { }));
        add(answer(DnsType.MINFO, w -> w.label("admin").pointer(QNAME).name("errors.example.org")));
        add(answer(DnsType.MINFO, w -> w.name("a").name("b").u8(1)));
        add(answer(DnsType.MINFO, w -> w.name("a")));
        add(answer(DnsType.MX, w -> w.u16(10).label("mail").pointer(QNAME)));
        add(answer(DnsType.MX, w -> w.u16(0).u8(0)));
        add(answer(DnsType.MX, w -> w.u16(10)));
        add(answer(DnsType.MX, w -> w.u8(10)));
        add(answer(DnsType.MX, w -> w.u16(10).name("m").u8(7)));
        add(answer(DnsType.SRV, w -> w.u16(1).u16(2).u16(5060).label("sip").pointer(QNAME)));
        add(answer(DnsType.SRV, w -> w.u16(65535).u16(65535).u16(65535).u8(0)));
        add(answer(DnsType.SRV, w -> w.u16(1).u16(2).u16(3)));
        add(answer(DnsType.SRV, w -> w.u16(1).u16(2).u8(3)));
        naptr("S", "SIP+D2U", utf8("!^.*$!sip:info@example.com!"), w -> w.labels("_sip", "_udp", "example", "com"));
        naptr("", "", new byte[0], w -> w.u8(0));
        naptr("Aa", "E2U+SIP", utf8("!^\u00e9\u20ac\ud83d\ude00$!x!"), w -> w.pointer(QNAME));
        naptr("u", "e2u", new byte[] {'a', (byte) 0xC3}, w -> w.u8(0));
        naptr("u", "e2u", new byte[] {'a', (byte) 0xC3, 'b'}, w -> w.u8(0));
        naptr("u", "e2u", new byte[] {(byte) 0xE0, (byte) 0x80}, w -> w.u8(0));
        naptr("u", "e2u", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, w -> w.u8(0));
        naptr("u", "e2u", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, w -> w.u8(0));
        naptr("u", "e2u", new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, w -> w.u8(0));
        naptr("u", "e2u", new byte[] {(byte) 0xF0, (byte) 0x9F, 'x'}, w -> w.u8(0));
        naptr("u", "e2u", new byte[] {(byte) 0xFF, 'z'}, w -> w.u8(0));
        naptr("u", "e2u", new byte[] {'x', (byte) 0xC0}, w -> w.u8(0));
        naptr("u", "e2u", new byte[] {(byte) 0xE1, (byte) 0x80}, w -> w.u8(0));
        naptr("u", "e2u", new byte[] {(byte) 0xE1, 'x'}, w -> w.u8(0));
        naptr("u", "e2u", new byte[] {(byte) 0xF5}, w -> w.u8(0));
        naptr("u", "e2u", new byte[] {(byte) 0xF1, (byte) 0x80, 'x'}, w -> w.u8(0));
        naptr("u", "e2u", new byte[] {(byte) 0xF8}, w -> w.u8(0));
        naptr("u", "e2u", new byte[] {(byte) 0xC1, (byte) 0xBF}, w -> w.u8(0));
        add(answer(DnsType.NAPTR, w -> w.u16(1).u16(2).string("s").string("x")));
        add(answer(DnsType.NAPTR, w -> w.u16(1).u16(2).string("s")));
        add(answer(DnsType.NAPTR, w -> w.u16(1).u8(2)));
        add(answer(DnsType.NAPTR, w -> w.u16(1).u16(2).string("s").string("x").string("r").u8(0).u8(0)));
        add(answer(DnsType.URI, w -> w.u16(10).u16(1).bytes(utf8("ftp://ftp1.example.com/public"))));
        add(answer(DnsType.URI, w -> w.u16(10).u16(1).bytes(0xE9, 0xFF)));
        add(answer(DnsType.URI, w -> w.u16(10).u16(1)));
        add(answer(DnsType.CAA, w -> w.u8(0).string("issue").bytes(utf8("letsencrypt.org"))));
        add(answer(DnsType.CAA, w -> w.u8(128).string("IoDeF").bytes(utf8("mailto:x@y"))));
        add(answer(DnsType.CAA, w -> w.u8(0).string("abcdefghijklmnO")));
        add(answer(DnsType.CAA, w -> w.u8(0).string("abcdefghijklmnop").u8(1)));
        add(answer(DnsType.CAA, w -> w.u8(0).string("")));
        add(answer(DnsType.CAA, w -> w.u8(0)));
        add(answer(DnsType.CAA, w -> w.u8(0).u8(9).bytes(1)));
        add(answer(DnsType.CAA, w -> { }));
    }

    private void naptr(String flags, String services, byte[] regexp, Consumer<Wire> replacement) {
        add(answer(DnsType.NAPTR, w -> {
            w.u16(100).u16(10).string(flags).string(services).u8(regexp.length).bytes(regexp);
            replacement.accept(w);
        }));
    }

    private void textRecords() {
        for (int type : new int[] {DnsType.TXT, DnsType.SPF}) {
            add(answer(type, w -> w.string("v=spf1 -all").string("").string("\u00ff\u0000\\.\"")));
            add(answer(type, w -> { }));
            add(answer(type, w -> w.string("")));
            add(answer(type, w -> w.string("ok").u8(3).bytes('a')));
            add(answer(type, w -> w.string("x".repeat(255))));
        }
    }

    private void classesAndUnnamedTypes() {
        int[] namedWithoutDecoder = {DnsType.UINFO, DnsType.UID, DnsType.GID, DnsType.UNSPEC, DnsType.AXFR,
            DnsType.MAILB, DnsType.MAILA, DnsType.ANY};
        for (int type : namedWithoutDecoder) {
            add(answer(type, w -> w.bytes(1, 2)));
            add(answer(type, 2, 1, w -> w.bytes(1, 2)));
        }
        for (int cls : new int[] {DnsClass.CHAOS, DnsClass.HS, DnsClass.ANY, 0, 2, 254, 0x7FFF, 0x8001, 0x8003,
            0xFFFF, 0x80FF}) {
            add(answer(DnsType.A, cls, 1, w -> w.bytes(1, 2, 3, 4)));
            add(answer(DnsType.AAAA, cls, 1, w -> w.bytes(new byte[16])));
            add(answer(DnsType.WKS, cls, 1, w -> w.bytes(1, 2, 3, 4, 6)));
            add(answer(DnsType.CNAME, cls, 1, w -> w.name("alias.example")));
            add(answer(DnsType.TXT, cls, 1, w -> w.string("chaos")));
            add(answer(DnsType.MX, cls, 1, w -> w.u8(1)));
            add(answer(999, cls, 1, w -> w.bytes(9, 9)));
        }
        for (int type : new int[] {0, 17, 46, 48, 64, 65, 99, 104, 249, 250, 251, 258, 999, 32768, 65535}) {
            add(answer(type, w -> w.bytes(0xde, 0xad)));
        }
    }

    private void optRecords() {
        Wire w = Wire.header(ID, Wire.RESPONSE, 1, 0, 0, 1).question("example.com", 1, 1);
        add(w.u8(0).rr(DnsType.OPT, 4096, 0x01008000L).u16(10).u16(8).bytes(1, 2, 3, 4, 5, 6, 7, 8).end());
        w = Wire.header(ID, Wire.RESPONSE | 0xF, 1, 0, 0, 1).question("example.com", 1, 1);
        add(w.u8(0).rr(DnsType.OPT, 512, 0xFF017FFFL).end());
        w = Wire.header(ID, Wire.RESPONSE, 1, 0, 0, 2).question("example.com", 1, 1);
        add(w.pointer(QNAME).rr(DnsType.OPT, 0x8001, 0).end().u8(0).rr(DnsType.OPT, 1232, 0).end());
        w = Wire.header(ID, Wire.RESPONSE, 1, 1, 1, 0).question("example.com", 1, 1);
        add(w.u8(0).rr(DnsType.OPT, 1280, 0x00000000L).end().u8(0).rr(DnsType.OPT, 0, 0x12345678L).bytes(1).end());
        w = Wire.header(ID, Wire.RESPONSE, 1, 1, 0, 1).question("example.com", 1, 1);
        w.pointer(QNAME).rr(DnsType.A, 1, 1).bytes(1, 2, 3, 4).end();
        add(w.u8(0).rr(DnsType.OPT, 1232, 0).u8(0).endWithLength(5));
    }

    private void labelsAndPointers() {
        add(answer(DnsType.CNAME, w -> w.labels("a.b", "c\\d", "sp ace", "\u00e9\u00ff\u0080", "\u0000", "\\.")));
        add(answer(DnsType.CNAME, w -> w.labels("x".repeat(63), "y".repeat(63), "z".repeat(63), "w".repeat(63),
                "v".repeat(63))));
        add(Wire.header(1, 0x100, 1, 0, 0, 0).labels("Q.\\", ".", "\\").u16(1).u16(1));
        add(Wire.header(1, 0x100, 1, 0, 0, 0).u8(0x40).bytes(0, 0, 1, 0, 1));     // label type 01
        add(Wire.header(1, 0x100, 1, 0, 0, 0).u8(0x80).bytes(0, 0, 1, 0, 1));     // label type 10
        add(Wire.header(1, 0x100, 1, 0, 0, 0).u8(0xC0));                          // half a pointer
        add(Wire.header(1, 0x100, 1, 0, 0, 0).pointer(QNAME).u16(1).u16(1));      // points at itself
        add(Wire.header(1, 0x100, 1, 0, 0, 0).label("a").pointer(QNAME).u16(1).u16(1)); // label loop
        add(Wire.header(1, 0x100, 2, 0, 0, 0).pointer(18).u16(1).u16(1).pointer(QNAME).u16(1).u16(1));
        add(Wire.header(1, 0x100, 1, 0, 0, 0).pointer(0).u16(1).u16(1));          // into the header
        add(Wire.header(1, 0x100, 1, 0, 0, 0).pointer(4).u16(1).u16(1));
        add(Wire.header(1, 0x100, 1, 0, 0, 0).pointer(18).u16(1).u16(1));         // exactly the end
        add(Wire.header(1, 0x100, 1, 0, 0, 0).pointer(19).u16(1).u16(1));         // past the end
        add(Wire.header(1, 0x100, 1, 0, 0, 0).pointer(0x3FFF).u16(1).u16(1));
        // A forward pointer: the question names what the answer's RDATA spells out later.
        int forward = 12 + 6 + 2 + 10;
        add(Wire.header(1, Wire.RESPONSE, 1, 1, 0, 0).pointer(forward).u16(5).u16(1).pointer(forward)
                .rr(DnsType.CNAME, 1, 1).labels("fwd", "example").end());
        // Pointer chains: a name assembled from three pieces.
        Wire w = Wire.header(1, Wire.RESPONSE, 1, 3, 0, 0).question("example.com", 1, 1);
        int www = w.position();
        w.label("www").pointer(QNAME).rr(DnsType.CNAME, 1, 1);
        int edge = w.position();
        w.label("edge").pointer(www).end();
        w.label("x").pointer(www).rr(DnsType.CNAME, 1, 1).label("y").pointer(edge).end();
        w.pointer(edge).rr(DnsType.A, 1, 1).bytes(1, 2, 3, 4).end();
        add(w);
        // RDATA pointing into its own RDATA, and at its own start (a loop).
        w = Wire.header(1, Wire.RESPONSE, 1, 1, 0, 0).question("example.com", 5, 1);
        int rdata = w.position() + 2 + 10;
        add(w.pointer(QNAME).rr(DnsType.CNAME, 1, 1).pointer(rdata).end());
        w = Wire.header(1, Wire.RESPONSE, 1, 1, 0, 0).question("example.com", 5, 1);
        rdata = w.position() + 2 + 10;
        add(w.pointer(QNAME).rr(DnsType.CNAME, 1, 1).label("z").pointer(rdata).end());
        w = Wire.header(1, Wire.RESPONSE, 1, 1, 0, 0).question("example.com", 5, 1);
        rdata = w.position() + 2 + 10;
        add(w.pointer(QNAME).rr(DnsType.CNAME, 1, 1).label("z").pointer(rdata + 2).end());
        // A long name from 40 pointer hops, each adding a label, far over 255 chars: the question
        // points into a NULL record's RDATA that holds the chain.
        int chainAt = 12 + 6 + 1 + 10;
        Wire chain = new Wire();
        int previous = -1;
        for (int i = 0; i < 40; i++) {
            int here = chainAt + chain.position();
            chain.label("label" + i + "-" + "q".repeat(10));
            if (previous < 0) {
                chain.u8(0);
            } else {
                chain.pointer(previous);
            }
            previous = here;
        }
        add(Wire.header(1, Wire.RESPONSE, 1, 1, 0, 0).pointer(previous).u16(1).u16(1)
                .rr(".", DnsType.NULL, 1, 1, chain.toBytes()));
        // decode_name's loop guard at its edge: Cnt = size - 1, size, size + 1.
        for (int runs = 10; runs <= 12; runs++) {
            add(PointerBudgetMessage.build(runs));
        }
    }

    private void truncation() {
        Wire w = Wire.header(ID, Wire.TRUNCATED, 1, 3, 0, 0).question("example.com", 1, 1);
        add(w.pointer(QNAME).rr(DnsType.A, 1, 1).bytes(1, 2, 3, 4).end());
        w = Wire.header(ID, Wire.RESPONSE, 1, 3, 0, 0).question("example.com", 1, 1);
        add(w.pointer(QNAME).rr(DnsType.A, 1, 1).bytes(1, 2, 3, 4).end());
        add(Wire.header(ID, Wire.TRUNCATED, 2, 1, 1, 1).question("example.com", 1, 1));
        add(Wire.header(ID, Wire.RESPONSE, 2, 1, 1, 1).question("example.com", 1, 1));
        add(Wire.header(ID, Wire.TRUNCATED, 1, 0, 0, 0));
        add(Wire.header(ID, Wire.TRUNCATED, 0, 0, 0, 4));
        add(Wire.header(ID, Wire.RESPONSE, 0, 0, 0, 4));
        w = Wire.header(ID, Wire.TRUNCATED, 1, 1, 0, 0).question("example.com", 1, 1);
        add(w.pointer(QNAME).u16(1).u16(1).u32(1).u16(4).bytes(1, 2));          // mid-RDATA
        w = Wire.header(ID, Wire.TRUNCATED, 1, 1, 0, 0).question("example.com", 1, 1);
        add(w.pointer(QNAME).u16(1).u16(1));                                      // mid fixed fields
        w = Wire.header(ID, Wire.TRUNCATED, 1, 1, 0, 0).question("example.com", 1, 1);
        add(w.pointer(QNAME).rr(DnsType.A, 1, 1).bytes(1, 2, 3, 4).end().bytes(0xAA));  // trailing byte
        w = Wire.header(ID, Wire.TRUNCATED, 1, 1, 0, 0).question("example.com", 1, 1);
        add(w.pointer(QNAME).rr(DnsType.UINFO, 1, 1).bytes(1).end().bytes(0xC0));  // crash before formerr
        w = Wire.header(ID, Wire.RESPONSE, 1, 2, 0, 0).question("example.com", 1, 1);
        add(w.pointer(QNAME).rr(DnsType.A, 3, 1).bytes(1, 2, 3, 4).end());         // crash, then truncated
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        Wire w = new Wire();
        for (byte[] p : parts) {
            w.bytes(p);
        }
        return w.toBytes();
    }

    /** One random edit: bit flips, byte overwrites, cuts, inserts, count and TC tweaks. */
    static byte[] mutate(byte[] message, Random r) {
        byte[] m = message.clone();
        int n = m.length;
        switch (r.nextInt(10)) {
            case 0, 1 -> {
                int flips = 1 + (r.nextInt(4) == 0 ? r.nextInt(4) : 0);
                for (int i = 0; i < flips && n > 0; i++) {
                    int at = r.nextInt(n);
                    m[at] ^= (byte) (1 << r.nextInt(8));
                }
                return m;
            }
            case 2 -> {
                return n == 0 ? m : Arrays.copyOf(m, r.nextInt(n));
            }
            case 3 -> {
                if (n > 0) {
                    m[r.nextInt(n)] = (byte) r.nextInt(256);
                }
                return m;
            }
            case 4 -> {
                int[] interesting = {0, 1, 0x3F, 0x40, 0x80, 0xC0, 0xC0, 0xFF, 0x0C, 0x29};
                if (n > 0) {
                    m[r.nextInt(n)] = (byte) interesting[r.nextInt(interesting.length)];
                }
                return m;
            }
            case 5 -> {
                if (n == 0) {
                    return m;
                }
                int at = r.nextInt(n);
                return concat(Arrays.copyOfRange(m, 0, at), Arrays.copyOfRange(m, at + 1, n));
            }
            case 6 -> {
                int at = n == 0 ? 0 : r.nextInt(n + 1);
                byte[] extra = new byte[1 + r.nextInt(3)];
                r.nextBytes(extra);
                return concat(Arrays.copyOfRange(m, 0, at), extra, Arrays.copyOfRange(m, at, n));
            }
            case 7 -> {
                if (n >= 12) {
                    int field = 4 + 2 * r.nextInt(4);
                    int count = r.nextInt(8) == 0 ? r.nextInt(65536) : r.nextInt(6);
                    m[field] = (byte) (count >> 8);
                    m[field + 1] = (byte) count;
                }
                return m;
            }
            case 8 -> {
                if (n >= 3) {
                    m[2] ^= 0x02;
                }
                return m;
            }
            default -> {
                byte[] extra = new byte[1 + r.nextInt(12)];
                r.nextBytes(extra);
                return concat(m, extra);
            }
        }
    }
}
