package jinet.inet.dns;

/**
 * SOA RDATA, {@code {MName,RName,Serial,Refresh,Retry,Expiry,Minimum}}: serial and minimum are
 * unsigned 32-bit on the wire, refresh, retry and expire signed (decode_data/3 for ?S_SOA).
 */
public record SoaData(String mname, String rname, long serial, int refresh, int retry, int expire,
                      long minimum) {
}
