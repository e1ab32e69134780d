package jinet.inet.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import jinet.term.Terms;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The codec against OTP's own: every case goes once through test-interop/dns_codec_vectors.escript
 * (inet_dns:decode/1, inet_dns:encode/1 of inet_res's query record, inet_db:tolower/1 and
 * eq_domains/2) and must come out as the same term here, decoded messages rendered by
 * {@link DnsTerms} and compared field by field with the record BEAM built.
 */
class DnsCodecTest {
    private static final long SEED = 0x5EED_D115L;

    private static List<byte[]> decodeCases;
    private static List<EncodeCase> encodeCases;
    private static List<String> lowerCases;
    private static List<String[]> eqCases;
    private static List<OtpErlangObject> decodeAnswers;
    private static List<OtpErlangObject> encodeAnswers;
    private static List<OtpErlangObject> lowerAnswers;
    private static List<OtpErlangObject> eqAnswers;

    record EncodeCase(int id, boolean rd, String domain, int type, int dnsClass, Integer payload, int version) {
        String line() {
            return "E " + id + " " + (rd ? 1 : 0) + " " + type + " " + dnsClass + " "
                    + (payload == null ? "-" : payload.toString()) + " " + version + " " + chars(domain);
        }
    }

    @BeforeAll
    static void askBeam() throws Exception {
        String unavailable = BeamDnsOracle.unavailableReason();
        if (unavailable != null) {
            System.out.println("DnsCodecTest skipped: " + unavailable);
        }
        Assumptions.assumeTrue(unavailable == null, unavailable);
        decodeCases = DecodeCorpus.build(SEED, 700, 8);
        encodeCases = EncodeCorpus.build(new Random(SEED + 1));
        lowerCases = NameCorpus.names(new Random(SEED + 2), 400);
        eqCases = NameCorpus.pairs(new Random(SEED + 3), 1500);

        List<String> lines = new ArrayList<>();
        decodeCases.forEach(m -> lines.add(m.length == 0 ? "D" : "D " + HexFormat.of().formatHex(m)));
        encodeCases.forEach(c -> lines.add(c.line()));
        lowerCases.forEach(s -> lines.add("L " + chars(s)));
        eqCases.forEach(p -> lines.add("Q " + chars(p[0]) + " " + chars(p[1])));
        List<OtpErlangObject> answers = BeamDnsOracle.ask(lines);
        int at = 0;
        decodeAnswers = answers.subList(at, at += decodeCases.size());
        encodeAnswers = answers.subList(at, at += encodeCases.size());
        lowerAnswers = answers.subList(at, at += lowerCases.size());
        eqAnswers = answers.subList(at, at + eqCases.size());
    }

    @Test
    void decodeGivesWhatInetDnsGives() {
        TreeMap<String, Integer> outcomes = new TreeMap<>();
        Set<String> dataForms = new TreeSet<>();
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < decodeCases.size(); i++) {
            byte[] wire = decodeCases.get(i);
            OtpErlangObject expected = decodeAnswers.get(i);
            OtpErlangObject actual = decodeOutcome(wire, dataForms);
            outcomes.merge(outcomeKind(expected), 1, Integer::sum);
            if (!Terms.exactlyEqual(expected, actual) && mismatches.size() < 20) {
                mismatches.add(HexFormat.of().formatHex(wire) + "\n    BEAM  " + expected + "\n    jinet " + actual);
            }
        }
        System.out.printf("decode: %d messages, BEAM outcomes %s, %d mismatches%n", decodeCases.size(), outcomes,
                mismatches.size());
        assertEquals(List.of(), mismatches, "messages inet_dns:decode/1 decodes differently");
        assertTrue(decodeCases.size() > 5000, "corpus too small: " + decodeCases.size());
        for (String kind : List.of("ok", "error:formerr", "crash:error:function_clause")) {
            assertTrue(outcomes.getOrDefault(kind, 0) >= 100, "too few " + kind + " outcomes: " + outcomes);
        }
        Set<String> wanted = Set.of("A", "AAAA", "WksData", "String", "byte[]", "SoaData", "HinfoData", "MinfoData",
                "MxData", "SrvData", "NaptrData", "NaptrData/ERROR", "NaptrData/INCOMPLETE", "List", "UriData",
                "CaaData", "DnsOpt", "truncated");
        assertTrue(dataForms.containsAll(wanted), "decoded forms not covered: " + wanted.stream()
                .filter(f -> !dataForms.contains(f)).collect(Collectors.toList()));
    }

    @Test
    void encodeQueryGivesWhatInetDnsGives() {
        List<String> mismatches = new ArrayList<>();
        TreeMap<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < encodeCases.size(); i++) {
            EncodeCase c = encodeCases.get(i);
            OtpErlangObject expected = encodeAnswers.get(i);
            OtpErlangObject actual = encodeOutcome(c);
            outcomes.merge(outcomeKind(expected), 1, Integer::sum);
            if (!Terms.exactlyEqual(expected, actual) && mismatches.size() < 20) {
                mismatches.add(c + "\n    BEAM  " + expected + "\n    jinet " + actual);
            }
        }
        System.out.printf("encode: %d queries, BEAM outcomes %s, %d mismatches%n", encodeCases.size(), outcomes,
                mismatches.size());
        assertEquals(List.of(), mismatches, "queries inet_dns:encode/1 encodes differently");
        for (String kind : List.of("ok", "raise:error:function_clause", "raise:error:badarg")) {
            assertTrue(outcomes.getOrDefault(kind, 0) >= 20, "too few " + kind + " outcomes: " + outcomes);
        }
    }

    @Test
    void toLowerAndEqDomainsGiveWhatInetDbGives() {
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < lowerCases.size(); i++) {
            String s = lowerCases.get(i);
            OtpErlangObject actual = string(DnsNames.toLower(s));
            if (!Terms.exactlyEqual(lowerAnswers.get(i), actual)) {
                mismatches.add("tolower(" + chars(s) + "): BEAM " + lowerAnswers.get(i) + ", jinet " + actual);
            }
        }
        int equal = 0;
        for (int i = 0; i < eqCases.size(); i++) {
            String[] p = eqCases.get(i);
            boolean actual = DnsNames.eqDomains(p[0], p[1]);
            equal += actual ? 1 : 0;
            if (!Terms.exactlyEqual(eqAnswers.get(i), new OtpErlangAtom(actual))) {
                mismatches.add("eq_domains(" + chars(p[0]) + ", " + chars(p[1]) + "): BEAM " + eqAnswers.get(i));
            }
        }
        System.out.printf("inet_db: %d tolower, %d eq_domains (%d true), %d mismatches%n", lowerCases.size(),
                eqCases.size(), equal, mismatches.size());
        assertEquals(List.of(), mismatches.stream().limit(20).toList());
        assertTrue(equal > 200 && equal < eqCases.size() - 200, "eq_domains cases too one-sided: " + equal);
    }

    private static OtpErlangObject decodeOutcome(byte[] wire, Set<String> dataForms) {
        try {
            DnsMessage m = DnsMessage.decode(wire);
            noteForms(m, dataForms);
            return new OtpErlangTuple(new OtpErlangObject[] {new OtpErlangAtom("ok"), DnsTerms.message(m)});
        } catch (DnsFormatException e) {
            return new OtpErlangTuple(new OtpErlangObject[] {new OtpErlangAtom("error"), new OtpErlangAtom("formerr")});
        } catch (DnsDecodeCrashException e) {
            return new OtpErlangTuple(new OtpErlangObject[] {new OtpErlangAtom("crash"),
                new OtpErlangAtom(e.erlangClass()), new OtpErlangAtom(e.reason())});
        }
    }

    private static void noteForms(DnsMessage m, Set<String> forms) {
        if (m.header().tc() && m.questions().size() + m.answers().size() + m.authorities().size()
                + m.additionals().size() > 0) {
            forms.add("truncated");
        }
        List<Object> all = new ArrayList<>(m.answerSection());
        all.addAll(m.authoritySection());
        all.addAll(m.additionals());
        Function<Object, String> form = d -> d instanceof int[] a ? (a.length == 4 ? "A" : "AAAA")
                : d instanceof List ? "List" : d.getClass().getSimpleName();
        for (Object r : all) {
            if (r instanceof DnsOpt) {
                forms.add("DnsOpt");
            } else {
                Object d = ((DnsRr) r).data();
                forms.add(form.apply(d));
                if (d instanceof NaptrData n && n.regexp() instanceof Utf8DecodeFailure f) {
                    forms.add("NaptrData/" + f.kind());
                }
            }
        }
    }

    private static OtpErlangObject encodeOutcome(EncodeCase c) {
        try {
            byte[] bytes = DnsMessage.encodeQuery(c.id(), c.rd(), c.domain(), c.type(), c.dnsClass(),
                    c.payload() == null ? OptionalInt.empty() : OptionalInt.of(c.payload()), c.version());
            return new OtpErlangTuple(new OtpErlangObject[] {new OtpErlangAtom("ok"), new OtpErlangBinary(bytes)});
        } catch (DnsEncodeException e) {
            return new OtpErlangTuple(new OtpErlangObject[] {new OtpErlangAtom("raise"),
                new OtpErlangAtom(e.erlangClass()), new OtpErlangAtom(e.reason())});
        }
    }

    /** "ok", "error:formerr", "crash:error:function_clause", "raise:error:badarg", ... */
    private static String outcomeKind(OtpErlangObject t) {
        OtpErlangTuple tuple = (OtpErlangTuple) t;
        StringBuilder kind = new StringBuilder(((OtpErlangAtom) tuple.elementAt(0)).atomValue());
        for (int i = 1; i < tuple.arity() && tuple.elementAt(i) instanceof OtpErlangAtom a; i++) {
            kind.append(':').append(a.atomValue());
        }
        return kind.toString();
    }

    private static OtpErlangObject string(String s) {
        return s.isEmpty() ? new OtpErlangList() : new OtpErlangString(s);
    }

    /** The escript's spelling of a char list: "-" or decimal codes joined with ",". */
    static String chars(String s) {
        return s.isEmpty() ? "-" : s.chars().mapToObj(Integer::toString).collect(Collectors.joining(","));
    }
}
