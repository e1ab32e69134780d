package jinet.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpInputStream;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The inetrc reader against BEAM: every text is read by inet_config's own loop (erl_scan:tokens
 * then erl_parse:parse_term per term, after skipping blanks and % lines) in one erl run, and by
 * {@link TermReader#consult}; both must give the same terms, or both refuse the text.
 */
class TermReaderTest {
    private static final String ORACLE =
            "Parse = fun Parse(S, Acc) ->"
            + "  case string:trim(S, leading, \" \\t\\n\\r\") of"
            + "    [$% | _] = T -> case string:split(T, \"\\n\") of [_, R] -> Parse(R, Acc); _ -> {ok, lists:reverse(Acc)} end;"
            + "    \"\" -> {ok, lists:reverse(Acc)};"
            + "    T -> case erl_scan:tokens([], T, 1) of"
            + "           {done, {ok, Toks, _}, More} ->"
            + "             case erl_parse:parse_term(Toks) of {ok, Term} -> Parse(More, [Term | Acc]); _ -> error end;"
            + "           {done, {eof, _}, _} -> {ok, lists:reverse(Acc)};"
            + "           _ -> error"
            + "         end"
            + "  end end,"
            + "Loop = fun Loop() -> case io:get_line(\"\") of eof -> ok; Line ->"
            + "  Text = unicode:characters_to_list(binary:decode_hex(list_to_binary(string:trim(Line)))),"
            + "  R = try Parse(Text ++ \"\\n\", []) catch _:_ -> error end,"
            + "  io:format(\"~s~n\", [binary:encode_hex(term_to_binary(R))]), Loop() end end,"
            + "Loop(), halt().";

    private static final List<String> CORPUS = List.of(
            "{lookup, [file, dns]}.\n",
            "{nameserver, {127,0,0,1}, 5353}.\n{alt_nameserver, {0,0,0,0,0,0,0,1}}.\n",
            "%% comment\n{domain, \"example.com\"}. % trailing\n{search, [\"a.b\", \"c\"]}.\n",
            "{host, {192,168,0,1}, [\"Foo\", \"foo.example\"]}.\n",
            "{timeout, 16#10}. {retry, 2#101}. {inet6, true}. {edns, 0}.\n",
            "{file, hosts, \"/etc/hosts\"}.\n{file, resolv, '/etc/resolv.conf'}.\n",
            "{x, $a, $\\n, $\\s, $\\x41, $\\x{263A}, $\\101}.\n",
            "{'quoted atom', 'it''s', 'a\\tb', \"es\\\"c\\\\aped\"}.\n",
            "{s, \"adjacent\" \"strings\" \"joined\"}.\n",
            "[1, 2 | 3].\n[a | [b, c]].\n[].\n{}.\n",
            "{f, 1.5, -2.25e3, 3.0E-2, - 7, +8}.\n",
            "{b, <<>>, <<1,2,3>>, <<\"bin\">>}.\n",
            "{u, \"\u00e9t\u00e9\", '\u00e5ngstr\u00f6m'}.\n",
            "{n, 1_000_000, 36#zz}.\n",
            "{cache_size, 100}.\n{cache_refresh, 3600000}.\n{usevc, false}.\n",
            "{lookup, [\"files\", \"bind\"]}.\nclear_ns.\nreset.\n",
            "{a@b, node@host, x_y1}.\n",
            "{\"unterminated\"}\n",
            "{a, b}.{c, d}.\n",
            "{missing_dot}\n",
            "{a,,b}.\n",
            "[a, b,].\n",
            "{Var, 1}.\n",
            "{a} .\n\t{b}.\n\n%% end\n",
            "  \n% only comments\n%%\n");

    @Test
    void readsTermsAsInetConfigDoes() throws Exception {
        String why = unavailable();
        Assumptions.assumeTrue(why == null, () -> "TermReaderTest skipped: " + why);
        List<String> texts = new ArrayList<>(CORPUS);
        Random random = new Random(20261124L);
        String alphabet = "{}[]|,.'\"$\\%#<> \n\tab1-+e_";
        for (String base : CORPUS) {
            for (int k = 0; k < 40; k++) {
                StringBuilder t = new StringBuilder(base);
                int edits = 1 + random.nextInt(2);
                for (int e = 0; e < edits && t.length() > 0; e++) {
                    int at = random.nextInt(t.length());
                    switch (random.nextInt(3)) {
                        case 0:
                            t.deleteCharAt(at);
                            break;
                        case 1:
                            t.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                            break;
                        default:
                            t.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                }
                texts.add(t.toString());
            }
        }
        List<OtpErlangObject> beam = askBeam(texts);
        int ok = 0;
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            OtpErlangObject expected = beam.get(i);
            OtpErlangObject actual;
            try {
                actual = Terms.tuple(Terms.OK, Terms.list(TermReader.consult(texts.get(i))
                        .toArray(new OtpErlangObject[0])));
            } catch (TermReader.SyntaxException e) {
                actual = Terms.ERROR;
            }
            if (Terms.exactlyEqual(expected, actual)) {
                ok++;
            } else if (mismatches.size() < 10) {
                mismatches.add(texts.get(i).replace("\n", "\\n") + "\n  BEAM:  " + expected + "\n  Java:  " + actual);
            }
        }
        assertTrue(ok > texts.size() / 10, "too few texts read at all");
        assertEquals(List.of(), mismatches, ok + " of " + texts.size() + " identical");
    }

    private static List<OtpErlangObject> askBeam(List<String> texts) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("erl", "-noshell", "-eval", ORACLE);
        pb.environment().remove("ERL_FLAGS");
        pb.environment().remove("ERL_AFLAGS");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        Thread feeder = new Thread(() -> {
            try (OutputStream in = p.getOutputStream()) {
                for (String t : texts) {
                    in.write((HexFormat.of().formatHex(t.getBytes(StandardCharsets.UTF_8)) + "\n")
                            .getBytes(StandardCharsets.US_ASCII));
                }
            } catch (Exception e) {
                // the count check below reports it
            }
        });
        feeder.start();
        List<OtpErlangObject> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.add(new OtpInputStream(HexFormat.of().parseHex(line.trim())).read_any());
            }
        }
        feeder.join();
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(texts.size(), out.size(), "BEAM answered every text");
        return out;
    }

    private static String unavailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "erl"))) {
                return null;
            }
        }
        return "erl not on PATH";
    }
}
