package jinet.inet.ifaddrs;

import jinet.term.Exporter;

/** {@code inet:getifaddrs/0,1} bound to their terms. */
public final class IfAddrsModule {
    private IfAddrsModule() {
    }

    public static void exportTo(Exporter exports) {
        exports.exportBlocking("inet", "getifaddrs", 0, args -> GetIfAddrs.getifaddrs());
        exports.exportBlocking("inet", "getifaddrs", 1, args -> GetIfAddrs.getifaddrs(args[0]));
    }
}
