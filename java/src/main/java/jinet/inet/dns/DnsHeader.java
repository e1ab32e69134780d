package jinet.inet.dns;

/**
 * {@code #dns_header{}} as inet_dns decodes it. The two bits between PR and RCODE (today's AD and
 * CD) are skipped by do_decode's {@code _:2}, so they are not here.
 */
public record DnsHeader(int id, boolean qr, int opcode, boolean aa, boolean tc, boolean rd, boolean ra,
                        boolean pr, int rcode) {
}
