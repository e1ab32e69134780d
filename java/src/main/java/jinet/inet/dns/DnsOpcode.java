package jinet.inet.dns;

import java.util.Optional;

/** Header opcodes and the atoms {@code inet_dns:decode_opcode/1} gives them. */
public final class DnsOpcode {
    public static final int QUERY = 0, IQUERY = 1, STATUS = 2;

    private DnsOpcode() {
    }

    /** {@code 'query'}, {@code iquery} or {@code status}; empty when inet_dns keeps the integer. */
    public static Optional<String> atomName(int opcode) {
        switch (opcode) {
            case QUERY: return Optional.of("query");
            case IQUERY: return Optional.of("iquery");
            case STATUS: return Optional.of("status");
            default: return Optional.empty();
        }
    }
}
