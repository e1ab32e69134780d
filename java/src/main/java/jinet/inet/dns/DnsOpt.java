package jinet.inet.dns;

import java.util.Arrays;

/**
 * {@code #dns_rr_opt{}}: the EDNS OPT pseudo record (RFC 6891) as inet_dns decodes it. The wire
 * CLASS is {@code udpPayloadSize} as is (no flag bit split off), the TTL is
 * {@code <<ExtRcode, Version, Z:16>>}, {@code data} the undecoded RDATA. {@code dnssecOk} is the
 * top bit of {@code z}, which inet_dns keeps whole.
 */
public record DnsOpt(int udpPayloadSize, int extRcode, int version, boolean dnssecOk, byte[] data,
                     String domain, int z) {
    public DnsOpt {
        if (dnssecOk != ((z & 0x8000) != 0)) {
            throw new IllegalArgumentException("dnssecOk must be the top bit of z");
        }
    }

    /** An OPT record for the root domain with only the DO bit of Z possibly set. */
    public DnsOpt(int udpPayloadSize, int extRcode, int version, boolean dnssecOk, byte[] data) {
        this(udpPayloadSize, extRcode, version, dnssecOk, data, ".", dnssecOk ? 0x8000 : 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DnsOpt r && udpPayloadSize == r.udpPayloadSize && extRcode == r.extRcode
                && version == r.version && z == r.z && domain.equals(r.domain) && Arrays.equals(data, r.data);
    }

    @Override
    public int hashCode() {
        return ((udpPayloadSize * 31 + extRcode) * 31 + version) * 31 + z + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "DnsOpt[domain=" + domain + ", udpPayloadSize=" + udpPayloadSize + ", extRcode=" + extRcode
                + ", version=" + version + ", z=" + z + ", data=" + DataValues.show(data) + "]";
    }
}
