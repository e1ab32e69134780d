package jinet.dist;

/** Distribution capability flags, as OTP 25's {@code dist.hrl} numbers them. */
public final class DistFlags {
    public static final long PUBLISHED = 0x1;
    public static final long EXTENDED_REFERENCES = 0x4;
    public static final long DIST_MONITOR = 0x8;
    public static final long FUN_TAGS = 0x10;
    public static final long DIST_MONITOR_NAME = 0x20;
    public static final long NEW_FUN_TAGS = 0x80;
    public static final long EXTENDED_PIDS_PORTS = 0x100;
    public static final long EXPORT_PTR_TAG = 0x200;
    public static final long BIT_BINARIES = 0x400;
    public static final long NEW_FLOATS = 0x800;
    public static final long DIST_HDR_ATOM_CACHE = 0x2000;
    public static final long UTF8_ATOMS = 0x10000;
    public static final long MAP_TAG = 0x20000;
    public static final long BIG_CREATION = 0x40000;
    public static final long BIG_SEQTRACE_LABELS = 0x100000;
    public static final long EXIT_PAYLOAD = 0x400000;
    public static final long FRAGMENTS = 0x800000;
    public static final long HANDSHAKE_23 = 0x1000000;
    public static final long UNLINK_ID = 0x2000000;
    /** OTP 25's shorthand for all of {@link #MANDATORY}: a peer may send it instead of them. */
    public static final long MANDATORY_25_DIGEST = 0x4000000;
    public static final long SPAWN = 1L << 32;

    /** What OTP 25 refuses to connect without, in either direction: dist.hrl's MANDATORY_DFLAGS_25. */
    public static final long MANDATORY = EXTENDED_REFERENCES | FUN_TAGS | EXTENDED_PIDS_PORTS | UTF8_ATOMS
            | NEW_FUN_TAGS | BIG_CREATION | NEW_FLOATS | MAP_TAG | EXPORT_PTR_TAG | BIT_BINARIES | HANDSHAKE_23;

    /**
     * What jinet offers: a hidden node (no PUBLISHED) that serves monitors, spawn, the unlink
     * protocol, exit reasons as payload, fragmented messages and the distribution header's atom
     * cache (atoms a peer has seen are sent as an index, in both directions).
     */
    public static final long OFFERED = MANDATORY | DIST_MONITOR | DIST_MONITOR_NAME | FUN_TAGS
            | BIG_SEQTRACE_LABELS | EXIT_PAYLOAD | FRAGMENTS | UNLINK_ID | SPAWN | DIST_HDR_ATOM_CACHE;

    /** A peer's flags as dist_util reads them: the digest flag stands for every mandatory flag. */
    public static long expandMandatory(long flags) {
        return (flags & MANDATORY_25_DIGEST) != 0 ? flags | MANDATORY : flags;
    }

    private DistFlags() {
    }
}
