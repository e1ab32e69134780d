package jinet.inet.dns;

/**
 * {@code #dns_query{}}: a question. {@code dnsClass} is the class without its top bit; that bit is
 * {@code unicastResponse} (RFC 6762), split off by {@code decode_class/1}.
 */
public record DnsQuery(String domain, int type, int dnsClass, boolean unicastResponse) {
    public DnsQuery(String domain, int type, int dnsClass) {
        this(domain, type, dnsClass, false);
    }
}
