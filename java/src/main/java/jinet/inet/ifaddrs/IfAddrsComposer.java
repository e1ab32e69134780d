package jinet.inet.ifaddrs;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jinet.term.Terms;

/**
 * prim_inet's post-processing of the driver's entries (comp_ifaddrs): entries are grouped by
 * interface name (in order of first appearance), then within an interface by their exact flags
 * list (in order of first appearance); each group is {@code {flags,F}} followed by its options in
 * order with the hwaddr entries moved to its end, and the groups after the first have, all
 * together, their hwaddr entries moved to the very end (prim_inet's hwaddr_last applied to the
 * rest).
 */
public final class IfAddrsComposer {
    private IfAddrsComposer() {
    }

    public record Interface(String name, List<IfOpt> opts) {
    }

    public static List<Interface> compose(List<DriverEntry> entries) {
        Map<String, Map<List<String>, List<IfOpt>>> byName = new LinkedHashMap<>();
        for (DriverEntry e : entries) {
            List<IfOpt> opts = e.opts();
            List<String> flags = opts.get(0).flags();
            byName.computeIfAbsent(e.name(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(flags, k -> new ArrayList<>())
                    .addAll(opts.subList(1, opts.size()));
        }
        List<Interface> out = new ArrayList<>();
        byName.forEach((name, groups) -> out.add(new Interface(name, groups(new ArrayList<>(groups.entrySet()), 0))));
        return out;
    }

    private static List<IfOpt> groups(List<Map.Entry<List<String>, List<IfOpt>>> groups, int from) {
        List<IfOpt> out = new ArrayList<>();
        if (from >= groups.size()) {
            return out;
        }
        out.add(IfOpt.flags(groups.get(from).getKey()));
        out.addAll(hwaddrLast(groups.get(from).getValue()));
        out.addAll(hwaddrLast(groups(groups, from + 1)));
        return out;
    }

    /** The non-hwaddr options in order, then the hwaddr ones in order. */
    static List<IfOpt> hwaddrLast(List<IfOpt> opts) {
        List<IfOpt> out = new ArrayList<>();
        List<IfOpt> hw = new ArrayList<>();
        for (IfOpt o : opts) {
            (o.isHwaddr() ? hw : out).add(o);
        }
        out.addAll(hw);
        return out;
    }

    /** {@code [{Name, [Opt]}]} as BEAM gives it. */
    public static OtpErlangList toTerm(List<Interface> interfaces) {
        OtpErlangObject[] items = new OtpErlangObject[interfaces.size()];
        for (int k = 0; k < items.length; k++) {
            Interface i = interfaces.get(k);
            OtpErlangObject[] opts = new OtpErlangObject[i.opts().size()];
            for (int j = 0; j < opts.length; j++) {
                opts[j] = optTerm(i.opts().get(j));
            }
            items[k] = Terms.tuple(new OtpErlangString(i.name()), new OtpErlangList(opts));
        }
        return new OtpErlangList(items);
    }

    static OtpErlangObject optTerm(IfOpt o) {
        if (o.isFlags()) {
            OtpErlangObject[] atoms = o.flags().stream().map(Terms::atom).toArray(OtpErlangObject[]::new);
            return Terms.tuple(Terms.atom("flags"), new OtpErlangList(atoms));
        }
        OtpErlangObject[] ints = new OtpErlangObject[o.values().length];
        for (int k = 0; k < ints.length; k++) {
            ints[k] = new OtpErlangLong(o.values()[k]);
        }
        OtpErlangObject value = o.isHwaddr() ? new OtpErlangList(ints) : Terms.tuple(ints);
        return Terms.tuple(Terms.atom(o.kind()), value);
    }
}
