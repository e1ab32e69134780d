package jinet.inet.nativeres;

import java.util.List;

/**
 * What a worker of inet_gethost writes back for one request: an error string, or the unit (4 or
 * 16), the addresses and the names, first the official one, then the aliases.
 */
sealed interface Reply {
    record Error(String reason) implements Reply {
    }

    record Hosts(int unit, List<byte[]> addresses, List<byte[]> names) implements Reply {
    }
}
