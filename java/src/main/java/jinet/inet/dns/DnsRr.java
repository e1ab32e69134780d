package jinet.inet.dns;

/**
 * {@code #dns_rr{}}: a resource record as inet_dns decodes it.
 *
 * <p>{@code dnsClass} is the class without its top bit, which is {@code cacheFlush} (RFC 6762;
 * the record's {@code func} field). {@code ttl} is already {@code max(0, TTL)} of the signed wire
 * value.
 *
 * <p>{@code data}, as {@code decode_data/4} gives it:
 * <ul>
 * <li>class IN: A {@code int[4]}, AAAA {@code int[8]} (16-bit words), WKS {@link WksData};</li>
 * <li>a class inet_dns does not know by name (not in, chaos, hs, any): {@code byte[]}, whatever the type;</li>
 * <li>NS, MD, MF, CNAME, MB, MG, MR, PTR: {@code String}, the name in inet_dns's text form
 *     (labels joined with '.', a '.' or '\' inside a label escaped with '\');</li>
 * <li>SOA {@link SoaData}, HINFO {@link HinfoData}, MINFO {@link MinfoData}, MX {@link MxData},
 *     SRV {@link SrvData}, NAPTR {@link NaptrData}, URI {@link UriData}, CAA {@link CaaData};</li>
 * <li>TXT, SPF: {@code List<String>}, one string per character-string;</li>
 * <li>NULL and types inet_dns has no name for: {@code byte[]}, the RDATA as is.</li>
 * </ul>
 * An OPT record outside the additional section (see {@link DnsMessage#answers()}) is shown as a
 * DnsRr of type OPT whose data is the {@link DnsOpt}.
 */
public record DnsRr(String domain, int type, int dnsClass, long ttl, Object data, boolean cacheFlush) {
    public DnsRr(String domain, int type, int dnsClass, long ttl, Object data) {
        this(domain, type, dnsClass, ttl, data, false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DnsRr r && domain.equals(r.domain) && type == r.type && dnsClass == r.dnsClass
                && ttl == r.ttl && cacheFlush == r.cacheFlush && DataValues.equal(data, r.data);
    }

    @Override
    public int hashCode() {
        return ((domain.hashCode() * 31 + type) * 31 + dnsClass) * 31 + DataValues.hash(data);
    }

    @Override
    public String toString() {
        return "DnsRr[domain=" + domain + ", type=" + type + ", dnsClass=" + dnsClass + ", ttl=" + ttl
                + ", data=" + DataValues.show(data) + ", cacheFlush=" + cacheFlush + "]";
    }
}
