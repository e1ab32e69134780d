package jinet.inet.dns;

/** URI RDATA, {@code {Prio, Weight, Target}}; the target is the remaining bytes, one char each. */
public record UriData(int priority, int weight, String target) {
}
