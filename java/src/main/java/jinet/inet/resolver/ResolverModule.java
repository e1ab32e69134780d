package jinet.inet.resolver;

import jinet.term.Exporter;

/** The host functions of the Erlang-facing {@code inet} module, served by one {@link Resolver}. */
public final class ResolverModule {
    private static final String MODULE = "inet";

    private ResolverModule() {
    }

    public static void exportTo(Exporter exports, Resolver resolver) {
        exports.exportBlocking(MODULE, "gethostbyname", 1, args -> resolver.gethostbyname(args[0]));
        exports.exportBlocking(MODULE, "gethostbyname", 2, args -> resolver.gethostbyname(args[0], args[1]));
        exports.exportBlocking(MODULE, "gethostbyaddr", 1, args -> resolver.gethostbyaddr(args[0]));
        exports.exportBlocking(MODULE, "getaddr", 2, args -> resolver.getaddr(args[0], args[1]));
        exports.exportBlocking(MODULE, "getaddrs", 2, args -> resolver.getaddrs(args[0], args[1]));
        exports.exportBlocking(MODULE, "get_rc", 0, args -> resolver.getRc());
    }
}
