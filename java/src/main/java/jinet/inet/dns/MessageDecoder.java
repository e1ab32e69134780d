package jinet.inet.dns;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** inet_dns's {@code do_decode/1}: header, then the four sections, then the truncation rule. */
final class MessageDecoder {
    private static final int HEADER_SIZE = 12;

    private final byte[] message;
    private int pos;

    private MessageDecoder(byte[] message) {
        this.message = message;
    }

    static DnsMessage decode(byte[] message) throws DnsFormatException {
        if (message.length < HEADER_SIZE) {
            throw new DnsFormatException("shorter than a header");
        }
        return new MessageDecoder(message).decodeMessage();
    }

    private DnsMessage decodeMessage() throws DnsFormatException {
        int flags = RdataDecoder.u16(message, 2);
        pos = HEADER_SIZE;
        List<DnsQuery> questions = new ArrayList<>();
        boolean qdTruncated = decodeQuestions(RdataDecoder.u16(message, 4), questions);
        List<Object> answers = new ArrayList<>();
        boolean anTruncated = decodeRecords(RdataDecoder.u16(message, 6), answers);
        List<Object> authorities = new ArrayList<>();
        boolean nsTruncated = decodeRecords(RdataDecoder.u16(message, 8), authorities);
        List<Object> additionals = new ArrayList<>();
        boolean arTruncated = decodeRecords(RdataDecoder.u16(message, 10), additionals);
        if (pos != message.length) {
            throw new DnsFormatException("bytes after the last section");
        }
        boolean tc = (flags & 0x0200) != 0;
        // "a section marked as truncated, but not the header - is a parse error"
        if (!tc && (qdTruncated || anTruncated || nsTruncated || arTruncated)) {
            throw new DnsFormatException("message ends before its counts, TC not set");
        }
        DnsHeader header = new DnsHeader(RdataDecoder.u16(message, 0), (flags & 0x8000) != 0, (flags >> 11) & 0xF,
                (flags & 0x0400) != 0, tc, (flags & 0x0100) != 0, (flags & 0x0080) != 0, (flags & 0x0040) != 0,
                flags & 0xF);
        return new DnsMessage(header, questions, answers, authorities, additionals);
    }

    /**
     * decode_query_section/4. True when the message ended before {@code count} questions were
     * read: the end of the message is checked before the count, and only at an entry boundary.
     */
    private boolean decodeQuestions(int count, List<DnsQuery> out) throws DnsFormatException {
        for (int left = count; ; left--) {
            if (pos == message.length) {
                return left != 0;
            }
            if (left == 0) {
                return false;
            }
            DomainNameDecoder.Decoded name = DomainNameDecoder.decode(message, pos, message.length);
            int p = name.next();
            if (message.length - p < 4) {
                throw new DnsFormatException("question: no type and class");
            }
            int wireClass = RdataDecoder.u16(message, p + 2);
            out.add(new DnsQuery(name.name(), RdataDecoder.u16(message, p), wireClass & ~DnsClass.FLAG_BIT,
                    (wireClass & DnsClass.FLAG_BIT) != 0));
            pos = p + 4;
        }
    }

    /** decode_rr_section/4; same truncation rule as the questions. */
    private boolean decodeRecords(int count, List<Object> out) throws DnsFormatException {
        for (int left = count; ; left--) {
            if (pos == message.length) {
                return left != 0;
            }
            if (left == 0) {
                return false;
            }
            DomainNameDecoder.Decoded name = DomainNameDecoder.decode(message, pos, message.length);
            int p = name.next();
            if (message.length - p < 10) {
                throw new DnsFormatException("RR: no fixed fields");
            }
            int type = RdataDecoder.u16(message, p);
            int wireClass = RdataDecoder.u16(message, p + 2);
            int dataLength = RdataDecoder.u16(message, p + 8);
            int dataAt = p + 10;
            if (message.length - dataAt < dataLength) {
                throw new DnsFormatException("RR: RDLENGTH past the message");
            }
            int dataEnd = dataAt + dataLength;
            if (type == DnsType.OPT) {
                // ?S_OPT: class and TTL reinterpreted, RDATA kept as is, no class decoding.
                int z = RdataDecoder.u16(message, p + 6);
                out.add(new DnsOpt(wireClass, message[p + 4] & 0xFF, message[p + 5] & 0xFF, (z & 0x8000) != 0,
                        Arrays.copyOfRange(message, dataAt, dataEnd), name.name(), z));
            } else {
                int dnsClass = wireClass & ~DnsClass.FLAG_BIT;
                Object data = RdataDecoder.decode(message, dataAt, dataEnd, dnsClass, type);
                long ttl = Math.max(0, RdataDecoder.s32(message, p + 4));
                out.add(new DnsRr(name.name(), type, dnsClass, ttl, data, (wireClass & DnsClass.FLAG_BIT) != 0));
            }
            pos = dataEnd;
        }
    }
}
