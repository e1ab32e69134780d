package jinet.inet.nativeres;

import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpInputStream;
import com.ericsson.otp.erlang.OtpOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jinet.term.Terms;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs scenarios on BEAM's inet_gethost_native in one {@code erl -noshell}. A scenario is the
 * kernel parameters the resolver is restarted with and steps, each an input started a number of
 * milliseconds after the scenario starts; all steps of a scenario run concurrently. Inputs are
 * {@code {name, Name, Type}} or {@code {addr, Addr}}; BEAM echoes each one back with its result,
 * so the Java side asks exactly the term BEAM was asked.
 */
final class Oracle {
    /** inet_db's resolver timeout the oracle sets, making the request timeout 2000 ms. */
    static final long RESOLVER_TIMEOUT_MILLIS = 500;

    record Step(long delayMillis, OtpErlangObject input) {
    }

    record Scenario(Map<String, OtpErlangObject> env, List<Step> steps) {
    }

    /** One step as BEAM ran it: the input as BEAM decoded it and what BEAM answered. */
    record Answer(long delayMillis, OtpErlangObject input, OtpErlangObject result) {
    }

    private static final String SCRIPT = String.join("\n",
            "inet_db:set_timeout(" + RESOLVER_TIMEOUT_MILLIS + "),",
            "{ok, Bin} = file:read_file(\"@IN@\"),",
            "Run = fun({name, N, T}) -> inet_gethost_native:gethostbyname(N, T);",
            "         ({addr, A}) -> inet_gethost_native:gethostbyaddr(A) end,",
            "Safe = fun(I) -> try Run(I) catch C:R -> {raised, C, R} end end,",
            "Keys = [gethost_poolsize, gethost_prioritize, gethost_extra_args],",
            "Scenario = fun({Env, Steps}) ->",
            "    [application:unset_env(kernel, K) || K <- Keys],",
            "    [application:set_env(kernel, K, V) || {K, V} <- Env],",
            "    ok = inet_gethost_native:control(soft_restart),",
            "    Self = self(),",
            "    T0 = erlang:monotonic_time(millisecond),",
            "    Pids = [spawn(fun() ->",
            "                      timer:sleep(max(0, T0 + D - erlang:monotonic_time(millisecond))),",
            "                      Self ! {self(), Safe(I)}",
            "                  end) || {D, I} <- Steps],",
            "    Answers = [receive {P, R} -> {D, I, R} end || {P, {D, I}} <- lists:zip(Pids, Steps)],",
            "    [base64:encode(term_to_binary({Env, Answers})), \"\\n\"]",
            "  end,",
            "Out = [Scenario(binary_to_term(base64:decode(L)))",
            "       || L <- binary:split(Bin, <<\"\\n\">>, [global, trim_all])],",
            "ok = file:write_file(\"@OUT@\", Out).");

    private Oracle() {
    }

    /** The erl on PATH; aborts the test, saying why, when there is none. */
    static String erl() {
        String erl = onPath("erl");
        Assumptions.assumeTrue(erl != null, "no erl on PATH: BEAM is the oracle, so nothing to compare with");
        return erl;
    }

    static String onPath(String program) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            File f = new File(dir, program);
            if (!dir.isEmpty() && f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    /** BEAM's answers, scenario by scenario, step by step. */
    static List<List<Answer>> run(List<Scenario> scenarios, Map<String, String> environment, Path dir)
            throws IOException, InterruptedException, OtpErlangDecodeException {
        String erl = erl();
        Path in = dir.resolve("oracle-in.txt");
        Path out = dir.resolve("oracle-out.txt");
        StringBuilder lines = new StringBuilder();
        for (Scenario s : scenarios) {
            List<OtpErlangObject> env = new ArrayList<>();
            s.env().forEach((k, v) -> env.add(Terms.tuple(Terms.atom(k), v)));
            List<OtpErlangObject> steps = new ArrayList<>();
            for (Step step : s.steps()) {
                steps.add(Terms.tuple(new com.ericsson.otp.erlang.OtpErlangLong(step.delayMillis()), step.input()));
            }
            lines.append(Base64.getEncoder().encodeToString(encode(Terms.tuple(
                    new OtpErlangList(env.toArray(new OtpErlangObject[0])),
                    new OtpErlangList(steps.toArray(new OtpErlangObject[0])))))).append('\n');
        }
        Files.writeString(in, lines.toString(), StandardCharsets.US_ASCII);
        String script = SCRIPT.replace("@IN@", in.toString()).replace("@OUT@", out.toString());
        ProcessBuilder pb = new ProcessBuilder(erl, "-noshell", "-eval", script, "-s", "init", "stop");
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("erl-output.txt").toFile());
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("erl did not finish in 300 s");
        }
        if (p.exitValue() != 0 || !Files.exists(out)) {
            throw new IllegalStateException("erl failed (exit " + p.exitValue() + "):\n"
                    + Files.readString(dir.resolve("erl-output.txt")));
        }
        List<List<Answer>> result = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.US_ASCII)) {
            if (line.isEmpty()) {
                continue;
            }
            OtpErlangTuple t = (OtpErlangTuple) decode(Base64.getDecoder().decode(line));
            List<Answer> answers = new ArrayList<>();
            for (OtpErlangObject a : ((OtpErlangList) t.elementAt(1)).elements()) {
                OtpErlangTuple at = (OtpErlangTuple) a;
                answers.add(new Answer(((com.ericsson.otp.erlang.OtpErlangLong) at.elementAt(0)).longValue(),
                        at.elementAt(1), at.elementAt(2)));
            }
            result.add(answers);
        }
        if (result.size() != scenarios.size()) {
            throw new IllegalStateException("erl answered " + result.size() + " of " + scenarios.size() + " scenarios");
        }
        return result;
    }

    static byte[] encode(OtpErlangObject term) {
        OtpOutputStream os = new OtpOutputStream();
        os.write1(131);
        os.write_any(term);
        return os.toByteArray();
    }

    static OtpErlangObject decode(byte[] bytes) throws OtpErlangDecodeException {
        return new OtpInputStream(bytes).read_any();
    }
}
