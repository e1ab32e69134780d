package jinet.inet.dns;

/** MX RDATA, {@code {Prio, Domain}}. */
public record MxData(int preference, String exchange) {
}
