package jinet.inet.dns;

/** SRV RDATA, {@code {Prio, Weight, Port, Domain}}. */
public record SrvData(int priority, int weight, int port, String target) {
}
