package jinet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jinet.epmd.EpmdMode;

/**
 * The command line, in erl's own flags ({@code -sname}, {@code -name}, {@code -setcookie},
 * {@code -kernel}) and jinet's {@code -epmd external|embedded|auto}: where EPMD comes from.
 */
public final class Options {
    /** {@code -kernel App Key Value}: kept as given for the layers that read kernel parameters. */
    public static final class KernelParameter {
        public final String app;
        public final String key;
        public final String value;

        KernelParameter(String app, String key, String value) {
            this.app = app;
            this.key = key;
            this.value = value;
        }
    }

    String shortName;
    String longName;
    String cookie;
    EpmdMode epmd = EpmdMode.AUTO;
    final List<KernelParameter> kernel = new ArrayList<>();
    /** {@code -proto_dist} and its {@code -ssl_dist_*} companions, as given, for the transport to read. */
    final List<String> protoDist = new ArrayList<>();
    final List<String> ignored = new ArrayList<>();

    public static Options parse(String... args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-sname":
                    o.shortName = value(args, ++i, a);
                    break;
                case "-name":
                    o.longName = value(args, ++i, a);
                    break;
                case "-setcookie":
                    o.cookie = value(args, ++i, a);
                    break;
                case "-epmd":
                    try {
                        o.epmd = EpmdMode.parse(value(args, ++i, a));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("-epmd takes external, embedded or auto");
                    }
                    break;
                case "-proto_dist":
                case "-ssl_dist_optfile":
                    o.protoDist.add(a);
                    o.protoDist.add(value(args, ++i, a));
                    break;
                case "-ssl_dist_opt":
                    // erl takes any number of key-value pairs after one -ssl_dist_opt
                    o.protoDist.add(a);
                    while (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                        o.protoDist.add(args[++i]);
                    }
                    break;
                case "-kernel":
                    String app = "kernel";
                    String key = value(args, ++i, a);
                    String val = value(args, ++i, a);
                    o.kernel.add(new KernelParameter(app, key, val));
                    break;
                default:
                    o.ignored.add(a);
            }
        }
        if (o.shortName != null && o.longName != null) {
            throw new IllegalArgumentException("give -sname or -name, not both");
        }
        if (o.shortName == null && o.longName == null) {
            throw new IllegalArgumentException("a node needs a name: -sname NAME or -name NAME@HOST");
        }
        return o;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    public List<KernelParameter> kernel() {
        return Collections.unmodifiableList(kernel);
    }
}
