package jinet.dist;

import java.net.InetAddress;
import java.net.UnknownHostException;
import jinet.inet.HostName;

/** Full node names from erl's {@code -sname} and {@code -name} arguments. */
public final class NodeName {
    private NodeName() {
    }

    /** {@code -sname N}: N@host, with the host part erl uses (the host name up to its first dot). */
    public static String shortName(String name) {
        return name.contains("@") ? name : name + "@" + HostName.shortName();
    }

    /** {@code -name N}: N@fully.qualified.host. */
    public static String longName(String name) {
        if (name.contains("@")) {
            return name;
        }
        try {
            String host = InetAddress.getLocalHost().getCanonicalHostName();
            if (!host.contains(".")) {
                throw new IllegalArgumentException("can't set long node name: host name '" + host
                        + "' is not fully qualified; use -name " + name + "@HOST");
            }
            return name + "@" + host;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("can't set long node name: " + e.getMessage(), e);
        }
    }
}
