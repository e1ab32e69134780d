package jinet.inet.dns;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.util.List;

/**
 * The Erlang terms inet_dns:decode/1 gives, for answering an Erlang caller: {@code #dns_rec{}},
 * {@code #dns_header{}}, {@code #dns_query{}}, {@code #dns_rr{}} (cnt 0, tm undefined, bm "",
 * func the cache-flush flag) and {@code #dns_rr_opt{}}, with types, classes and opcodes as the
 * atoms inet_dns has for them and integers otherwise.
 */
public final class DnsTerms {
    private static final OtpErlangAtom UNDEFINED = new OtpErlangAtom("undefined");
    private static final OtpErlangList NIL = new OtpErlangList();

    private DnsTerms() {
    }

    public static OtpErlangTuple message(DnsMessage m) {
        return tuple(atom("dns_rec"), header(m.header()),
                new OtpErlangList(m.questions().stream().map(DnsTerms::query).toArray(OtpErlangObject[]::new)),
                section(m.answerSection()), section(m.authoritySection()), section(m.additionals()));
    }

    public static OtpErlangTuple header(DnsHeader h) {
        OtpErlangObject opcode = DnsOpcode.atomName(h.opcode()).<OtpErlangObject>map(OtpErlangAtom::new)
                .orElseGet(() -> integer(h.opcode()));
        return tuple(atom("dns_header"), integer(h.id()), bool(h.qr()), opcode, bool(h.aa()), bool(h.tc()),
                bool(h.rd()), bool(h.ra()), bool(h.pr()), integer(h.rcode()));
    }

    public static OtpErlangTuple query(DnsQuery q) {
        return tuple(atom("dns_query"), string(q.domain()), type(q.type()), dnsClass(q.dnsClass()),
                bool(q.unicastResponse()));
    }

    /** A DnsRr or DnsOpt as the record inet_dns puts in a section. */
    public static OtpErlangTuple record(Object record) {
        if (record instanceof DnsOpt opt) {
            return tuple(atom("dns_rr_opt"), string(opt.domain()), atom("opt"), integer(opt.udpPayloadSize()),
                    integer(opt.extRcode()), integer(opt.version()), integer(opt.z()), new OtpErlangBinary(opt.data()));
        }
        DnsRr rr = (DnsRr) record;
        if (rr.data() instanceof DnsOpt opt) {
            return record(opt);  // an OPT record seen through DnsMessage.answers()
        }
        return tuple(atom("dns_rr"), string(rr.domain()), type(rr.type()), dnsClass(rr.dnsClass()), integer(0),
                integer(rr.ttl()), data(rr.data()), UNDEFINED, NIL, bool(rr.cacheFlush()));
    }

    /** The RDATA term, from the Java form documented at {@link DnsRr}. */
    @SuppressWarnings("unchecked")
    public static OtpErlangObject data(Object data) {
        if (data instanceof byte[] bytes) {
            return new OtpErlangBinary(bytes);
        }
        if (data instanceof int[] numbers) {
            return integers(numbers);
        }
        if (data instanceof String s) {
            return string(s);
        }
        if (data instanceof List<?> strings) {
            return new OtpErlangList(((List<String>) strings).stream().map(DnsTerms::string)
                    .toArray(OtpErlangObject[]::new));
        }
        if (data instanceof WksData w) {
            return tuple(integers(w.address()), integer(w.protocol()), new OtpErlangBinary(w.bitmap()));
        }
        if (data instanceof SoaData s) {
            return tuple(string(s.mname()), string(s.rname()), integer(s.serial()), integer(s.refresh()),
                    integer(s.retry()), integer(s.expire()), integer(s.minimum()));
        }
        if (data instanceof MxData mx) {
            return tuple(integer(mx.preference()), string(mx.exchange()));
        }
        if (data instanceof SrvData srv) {
            return tuple(integer(srv.priority()), integer(srv.weight()), integer(srv.port()), string(srv.target()));
        }
        if (data instanceof HinfoData h) {
            return tuple(string(h.cpu()), string(h.os()));
        }
        if (data instanceof MinfoData m) {
            return tuple(string(m.responsibleMailbox()), string(m.errorMailbox()));
        }
        if (data instanceof NaptrData n) {
            return tuple(integer(n.order()), integer(n.preference()), string(n.flags()), string(n.services()),
                    data(n.regexp()), string(n.replacement()));
        }
        if (data instanceof Utf8DecodeFailure f) {
            return tuple(atom(f.kind().atom()), string(f.converted()), new OtpErlangBinary(f.rest()));
        }
        if (data instanceof UriData u) {
            return tuple(integer(u.priority()), integer(u.weight()), string(u.target()));
        }
        if (data instanceof CaaData c) {
            return tuple(integer(c.flags()), string(c.tag()), string(c.value()));
        }
        if (data instanceof DnsOpt opt) {
            return record(opt);
        }
        throw new IllegalArgumentException("not an RDATA form: " + data);
    }

    private static OtpErlangList section(List<Object> records) {
        return new OtpErlangList(records.stream().map(DnsTerms::record).toArray(OtpErlangObject[]::new));
    }

    private static OtpErlangObject type(int type) {
        return DnsType.atomName(type).<OtpErlangObject>map(OtpErlangAtom::new).orElseGet(() -> integer(type));
    }

    private static OtpErlangObject dnsClass(int dnsClass) {
        return DnsClass.atomName(dnsClass).<OtpErlangObject>map(OtpErlangAtom::new)
                .orElseGet(() -> integer(dnsClass));
    }

    /** A char list: each Java char one element, except that surrogate pairs are one code point. */
    private static OtpErlangObject string(String s) {
        return s.isEmpty() ? NIL : new OtpErlangString(s);
    }

    private static OtpErlangTuple integers(int[] numbers) {
        OtpErlangObject[] items = new OtpErlangObject[numbers.length];
        for (int i = 0; i < numbers.length; i++) {
            items[i] = integer(numbers[i]);
        }
        return new OtpErlangTuple(items);
    }

    private static OtpErlangTuple tuple(OtpErlangObject... items) {
        return new OtpErlangTuple(items);
    }

    private static OtpErlangAtom atom(String name) {
        return new OtpErlangAtom(name);
    }

    private static OtpErlangAtom bool(boolean b) {
        return new OtpErlangAtom(b);
    }

    private static OtpErlangLong integer(long n) {
        return new OtpErlangLong(n);
    }
}
