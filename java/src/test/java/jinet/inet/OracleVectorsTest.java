package jinet.inet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jinet.call.Exports;
import jinet.term.ErlangException;
import jinet.term.Terms;
import org.junit.jupiter.api.Test;

/**
 * Every case BEAM answered in {@code oracle-vectors.bin} (written by
 * test-interop/oracle_vectors.escript) gives the same answer through jinet's inet module:
 * the same value, or the same exception class and reason.
 */
class OracleVectorsTest {
    @Test
    void inetModuleAnswersEveryRecordedCaseAsBeamDid() throws Exception {
        OtpErlangTuple file;
        try (InputStream in = getClass().getResourceAsStream("oracle-vectors.bin")) {
            file = (OtpErlangTuple) new OtpInputStream(in.readAllBytes()).read_any();
        }
        OtpErlangList vectors = (OtpErlangList) file.elementAt(2);
        Exports exports = new Exports();
        InetModule.exportTo(exports);

        Map<String, int[]> perFunction = new TreeMap<>();
        List<String> mismatches = new ArrayList<>();
        for (OtpErlangObject v : vectors) {
            OtpErlangTuple c = (OtpErlangTuple) v;
            OtpErlangObject module = c.elementAt(0);
            OtpErlangObject function = c.elementAt(1);
            OtpErlangObject args = c.elementAt(2);
            OtpErlangTuple expected = (OtpErlangTuple) c.elementAt(3);
            OtpErlangObject actual = outcome(exports, module, function, args);
            int[] counts = perFunction.computeIfAbsent(((OtpErlangAtom) function).atomValue(), k -> new int[2]);
            counts[0]++;
            if (Terms.exactlyEqual(expected, actual)) {
                counts[1]++;
            } else if (mismatches.size() < 40) {
                mismatches.add(function + args.toString() + ": BEAM " + expected + ", jinet " + actual);
            }
        }
        StringBuilder table = new StringBuilder("function                  cases  identical\n");
        perFunction.forEach((f, n) -> table.append(String.format("%-25s %5d  %5d%n", f, n[0], n[1])));
        System.out.println(table);
        assertTrue(vectors.arity() > 5000, "too few recorded cases: " + vectors.arity());
        assertEquals(List.of(), mismatches, "cases where jinet differs from BEAM");
    }

    private static OtpErlangObject outcome(Exports exports, OtpErlangObject m, OtpErlangObject f,
                                           OtpErlangObject args) {
        try {
            return new OtpErlangTuple(new OtpErlangObject[] {new OtpErlangAtom("value"), exports.apply(m, f, args)});
        } catch (ErlangException e) {
            return new OtpErlangTuple(new OtpErlangObject[] {
                new OtpErlangAtom(e.kind().name().toLowerCase()), e.reason()});
        }
    }
}
