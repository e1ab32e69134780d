package jinet.inet.dns;

/** HINFO RDATA, {@code {CPU, OS}}, both as the bytes were (no case folding). */
public record HinfoData(String cpu, String os) {
}
