package jinet.term;

import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * Learns the atom-table indices of a few atoms from the installed OTP. BEAM hashes an atom
 * inside a term by its index in the atom table, and the index of an atom such as
 * {@code inet6} depends on the order modules were loaded while the node booted, which differs
 * between installations (1537 on one machine, 1455 on a fresh Debian root, for the same OTP
 * 25.2.3). Orders derived from that hash (ets:tab2list of inet_db's host table, in get_rc) can
 * only match BEAM's with this machine's indices, so jinet asks an {@code erl} for them: it fills
 * one ETS set per atom with keys {@code {Atom, I}} and reports their tab2list order, and the
 * index is the one for which {@link HashOrder.EtsSet} gives that same order.
 */
public final class AtomIndexProbe {
    private static final int KEYS = 48;
    /** Well above the atoms a booted node has (about 10,000 for OTP 25 with kernel and stdlib). */
    private static final int MAX_INDEX = 1 << 15;

    private AtomIndexProbe() {
    }

    /** The indices found, by atom; atoms the probe could not settle are left out. */
    public static Map<String, Integer> probe(List<String> atoms, long timeoutMillis)
            throws IOException, InterruptedException {
        String script = "lists:foreach(fun(F) -> F() end, [" + String.join(", ", funs(atoms)) + "]), halt().";
        ProcessBuilder pb = new ProcessBuilder("erl", "-noshell", "-eval", script);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line.trim());
            }
        }
        if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException("erl did not answer in " + timeoutMillis + " ms");
        }
        Map<String, Integer> found = new HashMap<>();
        for (int i = 0; i < atoms.size() && i < lines.size(); i++) {
            String atom = atoms.get(i);
            indexFor(atom, parseOrder(lines.get(i))).ifPresent(ix -> found.put(atom, ix));
        }
        return found;
    }

    private static List<String> funs(List<String> atoms) {
        List<String> out = new ArrayList<>();
        for (String atom : atoms) {
            out.add("fun() -> T = ets:new(t, [set]), "
                    + "[ets:insert(T, {{'" + atom + "', I}, x}) || I <- lists:seq(1, " + KEYS + ")], "
                    + "io:format(\"~w~n\", [[I || {{_, I}, _} <- ets:tab2list(T)]]), ets:delete(T) end");
        }
        return out;
    }

    private static List<Integer> parseOrder(String line) {
        List<Integer> out = new ArrayList<>();
        String body = line.replace("[", "").replace("]", "").trim();
        if (body.isEmpty()) {
            return out;
        }
        for (String n : body.split(",")) {
            out.add(Integer.parseInt(n.trim()));
        }
        return out;
    }

    /** The single index for which the model orders the keys as BEAM did, if there is one. */
    static OptionalInt indexFor(String atom, List<Integer> beamOrder) {
        if (beamOrder.size() != KEYS || !new HashSet<>(beamOrder).equals(new HashSet<>(keyNumbers()))) {
            return OptionalInt.empty(); // not the probe's keys: no index explains it
        }
        OtpErlangObject[] keys = new OtpErlangObject[KEYS + 1];
        for (int i = 1; i <= KEYS; i++) {
            keys[i] = Terms.tuple(Terms.atom(atom), new OtpErlangLong(i));
        }
        int[] candidate = new int[1];
        ToIntFunction<String> indices = name -> name.equals(atom) ? candidate[0] : InternalHash.atomIndex(name);
        OptionalInt found = OptionalInt.empty();
        for (int c = 0; c < MAX_INDEX; c++) {
            candidate[0] = c;
            if (!bucketsAllow(keys, beamOrder, indices) || !ordersAsBeam(keys, beamOrder, indices)) {
                continue;
            }
            if (found.isPresent()) {
                return OptionalInt.empty(); // not settled: two indices fit
            }
            found = OptionalInt.of(c);
        }
        return found;
    }

    /**
     * Whether BEAM's order can be a fresh set's tab2list under these indices: with fewer keys
     * than buckets the set never grows, and tab2list gives the highest bucket first and, within
     * one, the key inserted last first (key {@code {Atom, I}} was the I-th). Nearly every wrong
     * index breaks this within the first pairs, after a hash or two and no table.
     */
    private static boolean bucketsAllow(OtpErlangObject[] keys, List<Integer> beamOrder, ToIntFunction<String> indices) {
        int prev = beamOrder.get(0);
        int prevBucket = bucket(keys, prev, indices);
        for (int j = 1; j < beamOrder.size(); j++) {
            int next = beamOrder.get(j);
            int nextBucket = bucket(keys, next, indices);
            if (nextBucket > prevBucket || (nextBucket == prevBucket && next > prev)) {
                return false;
            }
            prev = next;
            prevBucket = nextBucket;
        }
        return true;
    }

    private static List<Integer> keyNumbers() {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i <= KEYS; i++) {
            out.add(i);
        }
        return out;
    }

    private static int bucket(OtpErlangObject[] keys, int i, ToIntFunction<String> indices) {
        return HashOrder.EtsSet.bucketBeforeGrowth(HashOrder.EtsSet.makeHash(keys[i], indices));
    }

    /** The model's tab2list of the keys, inserted in order, is BEAM's order. */
    private static boolean ordersAsBeam(OtpErlangObject[] keys, List<Integer> beamOrder, ToIntFunction<String> indices) {
        HashOrder.EtsSet<Integer> t = new HashOrder.EtsSet<>(indices);
        for (int i = 1; i <= KEYS; i++) {
            t.insert(keys[i], i);
        }
        List<Integer> order = new ArrayList<>();
        for (Map.Entry<OtpErlangObject, Integer> e : t.tab2list()) {
            order.add(e.getValue());
        }
        return order.equals(beamOrder);
    }
}
