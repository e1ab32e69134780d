package jinet.inet.ifaddrs;

import java.util.List;

/**
 * One {@code struct ifaddrs} as the inet driver hands it to prim_inet: the interface name (its
 * bytes as Latin-1 characters, which is what the driver's Latin-1-to-UTF-8 step and prim_inet's
 * UTF-8 decoding amount to) and its options, {@code flags} first.
 */
public record DriverEntry(String name, List<IfOpt> opts) {
    public DriverEntry {
        opts = List.copyOf(opts);
    }
}
