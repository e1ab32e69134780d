package jinet.dist;

/**
 * The transport's limits and timers, from the kernel parameters erl takes for the same
 * purposes ({@code net_ticktime}, {@code net_setuptime}) and jinet's own bounds.
 */
public final class DistConfig {
    /** {@code net_ticktime} in milliseconds: a peer silent this long is down; ticks go out every quarter. */
    public final long tickTimeMillis;
    /** {@code net_setuptime} in milliseconds: the longest a connection may take to set up. */
    public final long setupTimeMillis;
    /** A frame longer than this closes its connection; larger messages arrive in fragments. */
    public final int maxFrameBytes;
    /** Fragments of unfinished messages held per connection. */
    public final long maxMessageBytes;
    public final int maxFragmentedMessages;
    /** Connections still in their handshake beyond which new ones are closed at once. */
    public final int maxPendingHandshakes;
    public final int writeLowWaterMark;
    public final int writeHighWaterMark;
    /** How long an I/O thread polls for more work before it sleeps. */
    public final long spinNanos;

    private DistConfig(long tickTimeMillis, long setupTimeMillis) {
        this.tickTimeMillis = tickTimeMillis;
        this.setupTimeMillis = setupTimeMillis;
        this.maxFrameBytes = 128 << 20;
        this.maxMessageBytes = 1L << 30;
        this.maxFragmentedMessages = 1024;
        this.maxPendingHandshakes = 4096;
        this.writeLowWaterMark = 256 << 10;
        this.writeHighWaterMark = 1 << 20;
        this.spinNanos = Long.getLong("jinet.spinMicros", 50) * 1000;
    }

    public static DistConfig defaults() {
        return of(60, 7);
    }

    /**
     * {@code net_ticktime} in seconds and {@code net_setuptime} in seconds (erl takes a float
     * there), with erl's defaults 60 and 7.
     */
    public static DistConfig of(long tickTimeSeconds, double setupTimeSeconds) {
        return new DistConfig(tickTimeSeconds * 1000, Math.max(1, Math.round(setupTimeSeconds * 1000)));
    }
}
