package jinet.inet.dns;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code #dns_rec{}}: a decoded DNS message. The answer, authority and additional sections keep
 * every record in wire order, each a {@link DnsRr} or, for type OPT, a {@link DnsOpt} (inet_dns
 * makes a {@code #dns_rr_opt{}} of an OPT record in any section).
 */
public final class DnsMessage {
    private final DnsHeader header;
    private final List<DnsQuery> questions;
    private final List<Object> answerSection;
    private final List<Object> authoritySection;
    private final List<Object> additionals;

    DnsMessage(DnsHeader header, List<DnsQuery> questions, List<Object> answerSection,
               List<Object> authoritySection, List<Object> additionals) {
        this.header = header;
        this.questions = List.copyOf(questions);
        this.answerSection = List.copyOf(answerSection);
        this.authoritySection = List.copyOf(authoritySection);
        this.additionals = List.copyOf(additionals);
    }

    public DnsHeader header() {
        return header;
    }

    public List<DnsQuery> questions() {
        return questions;
    }

    /**
     * The answer section as DnsRr: an OPT record there (rare, but inet_dns decodes it) appears as
     * a DnsRr of type OPT, class its UDP payload size, TTL 0, data the {@link DnsOpt}.
     * {@link #answerSection()} has it as the DnsOpt itself.
     */
    public List<DnsRr> answers() {
        return asRrs(answerSection);
    }

    /** As {@link #answers()}, for the authority section. */
    public List<DnsRr> authorities() {
        return asRrs(authoritySection);
    }

    /** The answer section exactly as inet_dns's {@code anlist}: DnsRr or DnsOpt, in wire order. */
    public List<Object> answerSection() {
        return answerSection;
    }

    /** The authority section exactly as inet_dns's {@code nslist}: DnsRr or DnsOpt, in wire order. */
    public List<Object> authoritySection() {
        return authoritySection;
    }

    /** inet_dns's {@code arlist}: DnsRr or DnsOpt, in wire order. */
    public List<Object> additionals() {
        return additionals;
    }

    /** The first OPT record of the additional section, as inet_res finds it with lists:keyfind/3. */
    public Optional<DnsOpt> opt() {
        for (Object record : additionals) {
            if (record instanceof DnsOpt opt) {
                return Optional.of(opt);
            }
        }
        return Optional.empty();
    }

    /**
     * inet_dns:decode/1; throws DnsFormatException exactly where inet_dns returns
     * {@code {error, formerr}}, and the unchecked {@link DnsDecodeCrashException} where decode/1
     * itself raises {@code error:function_clause}.
     */
    public static DnsMessage decode(byte[] wire) throws DnsFormatException {
        return MessageDecoder.decode(wire);
    }

    /**
     * inet_dns:encode/1 of the query inet_res:make_query/5 builds: header id, qr=false, opcode
     * query, rd, rcode 0, one question; with ednsPayload present an OPT record
     * {udp_payload_size, version=ednsVersion} in the additional section. Same bytes as BEAM,
     * including the bit syntax's truncation of out-of-range id, type, class, payload size and
     * version. Throws DnsEncodeException where inet_dns:encode raises.
     */
    public static byte[] encodeQuery(int id, boolean rd, String domain, int type, int dnsClass,
                                     OptionalInt ednsPayload, int ednsVersion) throws DnsEncodeException {
        return QueryEncoder.encode(id, rd, domain, type, dnsClass, ednsPayload, ednsVersion);
    }

    @Override
    public String toString() {
        return "DnsMessage[" + header + ", qd=" + questions + ", an=" + answerSection + ", ns=" + authoritySection
                + ", ar=" + additionals + "]";
    }

    private static List<DnsRr> asRrs(List<Object> section) {
        return section.stream().map(DnsMessage::asRr).toList();
    }

    private static DnsRr asRr(Object record) {
        if (record instanceof DnsOpt opt) {
            return new DnsRr(opt.domain(), DnsType.OPT, opt.udpPayloadSize(), 0, opt);
        }
        return (DnsRr) record;
    }
}
