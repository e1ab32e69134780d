package jinet.inet.resolver;

import java.util.function.Supplier;
import jinet.term.Exporter;

/** The host functions of the Erlang-facing {@code inet} module, served by one {@link Resolver}. */
public final class ResolverModule {
    private static final String MODULE = "inet";

    private ResolverModule() {
    }

    /** {@code resolver} may still be starting: the functions wait for it (they are blocking ones anyway). */
    public static void exportTo(Exporter exports, Supplier<Resolver> resolver) {
        exports.exportBlocking(MODULE, "gethostbyname", 1, args -> resolver.get().gethostbyname(args[0]));
        exports.exportBlocking(MODULE, "gethostbyname", 2, args -> resolver.get().gethostbyname(args[0], args[1]));
        exports.exportBlocking(MODULE, "gethostbyaddr", 1, args -> resolver.get().gethostbyaddr(args[0]));
        exports.exportBlocking(MODULE, "getaddr", 2, args -> resolver.get().getaddr(args[0], args[1]));
        exports.exportBlocking(MODULE, "getaddrs", 2, args -> resolver.get().getaddrs(args[0], args[1]));
        exports.exportBlocking(MODULE, "get_rc", 0, args -> resolver.get().getRc());
    }
}
