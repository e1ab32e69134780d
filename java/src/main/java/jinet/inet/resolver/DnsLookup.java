package jinet.inet.resolver;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import jinet.inet.AddressParser;
import jinet.inet.dns.DnsClass;
import jinet.inet.dns.DnsClient;
import jinet.inet.dns.DnsDecodeCrashException;
import jinet.inet.dns.DnsEncodeException;
import jinet.inet.dns.DnsMessage;
import jinet.inet.dns.DnsRr;
import jinet.inet.dns.DnsType;
import jinet.term.ErlangException;
import jinet.term.Terms;

/**
 * The {@code dns} lookup method: inet_res's gethostbyname/gethostbyaddr with inet_db's half of
 * the work (the cache first, the search list, following CNAMEs in an answer, caching what an
 * answer proved). Errors are the atoms inet_res returns.
 */
final class DnsLookup {
    /** inet_res resolves CNAME chains without a bound; BEAM loops for ever on a cycle of three. */
    private static final int MAX_CNAME_HOPS = 64;

    private final InetDb db;
    private final DnsClient client;

    DnsLookup(InetDb db) {
        this.db = db;
        this.client = new DnsClient(db::nextId);
    }

    /** A hostent, or the reason of {@code {error, Reason}}. */
    record Result(Hostent hostent, String error) {
        static Result ok(Hostent h) {
            return new Result(h, null);
        }

        static Result error(String e) {
            return new Result(null, e);
        }

        OtpErlangObject toTerm() {
            return hostent != null ? hostent.ok() : Terms.error(error);
        }
    }

    /** inet_res:gethostbyname_tm/3. */
    Result gethostbyname(OtpErlangObject name, OtpErlangObject family) throws ErlangException {
        int type;
        if (Terms.isAtom(family, "inet")) {
            type = DnsType.A;
        } else if (Terms.isAtom(family, "inet6")) {
            type = DnsType.AAAA;
        } else {
            return Result.error("einval");
        }
        OtpErlangObject n = ErlText.atomToList(name);
        if (!ErlText.isList(n)) {
            return Result.error("formerr");
        }
        String s = ErlText.chars(n);
        if (!ErlText.isVisible(s)) {
            return Result.error("formerr");
        }
        db.updateResolvConf();
        Optional<Hostent> cached = cachedByName(s, type);
        if (cached.isPresent()) {
            return Result.ok(cached.get());
        }
        return resolveByName(s, type);
    }

    /** inet_db:getbyname/2: the cache, with the same search rules as the query. */
    private Optional<Hostent> cachedByName(String name, int type) throws ErlangException {
        boolean trailingDot = name.endsWith(".");
        long dots = embeddedDots(name);
        if (trailingDot) {
            return hostentByDomain(name, type);
        }
        if (dots > 0) {
            Optional<Hostent> h = hostentByDomain(name, type);
            if (h.isPresent()) {
                return h;
            }
        }
        for (String dom : db.searchList()) {
            Optional<Hostent> h = hostentByDomain(name + "." + dom, type);
            if (h.isPresent()) {
                return h;
            }
        }
        return Optional.empty();
    }

    private Optional<Hostent> hostentByDomain(String domain, int type) {
        Chain c = resolveCnames(stripDot(domain), type, (lc, t) -> db.cache().lookup(lc, t));
        return c == null ? Optional.empty() : Optional.of(hostent(c, type));
    }

    /** inet_res:res_getbyname/3. */
    private Result resolveByName(String name, int type) throws ErlangException {
        if (name.endsWith(".")) {
            return query(name.substring(0, name.length() - 1), type, null);
        }
        Result r;
        if (embeddedDots(name) == 0) {
            r = Result.error("nxdomain");
        } else {
            r = query(name, type, null);
            if (r.hostent != null) {
                return r;
            }
        }
        List<ResolverOptions.NameServer> nss = db.nameservers();
        for (String dom : db.searchList()) {
            String qname;
            if (dom.equals(".") || dom.isEmpty()) {
                qname = name;
            } else if (dom.charAt(0) != '.') {
                qname = name + "." + dom;
            } else {
                throw ErlangException.error(Terms.tuple(Terms.atom("if_clause"),
                        ErlText.string(name), ErlText.string(dom)));
            }
            r = query(qname, type, nss);
            if (r.hostent != null) {
                return r;
            }
        }
        return r;
    }

    /** inet_res:res_getby_query/3,4 and inet_db:res_hostent_by_domain/3. */
    private Result query(String name, int type, List<ResolverOptions.NameServer> only) throws ErlangException {
        DnsClient.Outcome o = ask(name, type, only);
        if (!o.isOk()) {
            return Result.error(errorAtom(o));
        }
        List<DnsRr> rrs = answerRecords(o.reply(), type);
        Chain c = resolveCnames(stripDot(name), type, lookupIn(rrs));
        if (c == null) {
            return Result.error("nxdomain");
        }
        cache(rrs);
        return Result.ok(hostent(c, type));
    }

    /** inet_res:gethostbyaddr_tm/2. */
    Result gethostbyaddr(OtpErlangObject addr) throws ErlangException {
        OtpErlangObject a = ErlText.atomToList(addr);
        OtpErlangObject ip = a;
        if (ErlText.isList(a)) {
            Optional<OtpErlangObject> parsed = Addresses.parse(AddressParser::parseAddress, a);
            if (parsed.isEmpty()) {
                return Result.error("formerr");
            }
            ip = parsed.get();
        }
        String name = reverseName(normIp(ip));
        if (name == null) {
            return Result.error("formerr");
        }
        db.updateResolvConf();
        OtpErlangObject theIp = ip;
        Chain cached = resolveCnames(name, DnsType.PTR, (lc, t) -> db.cache().lookup(lc, t));
        if (cached != null && cached.results.size() == 1) {
            return Result.ok(byAddr(cached, theIp));
        }
        DnsClient.Outcome o = ask(name, DnsType.PTR, null);
        if (!o.isOk()) {
            return Result.error(errorAtom(o));
        }
        List<DnsRr> rrs = answerRecords(o.reply(), DnsType.PTR);
        Chain c = resolveCnames(name, DnsType.PTR, lookupIn(rrs));
        if (c == null || c.results.size() != 1) {
            return Result.error("nxdomain");
        }
        cache(rrs);
        return Result.ok(byAddr(c, theIp));
    }

    private static Hostent byAddr(Chain c, OtpErlangObject ip) {
        return Hostent.of(ErlText.chars(c.results.get(0)), List.of(ip), List.of(), Addresses.family(ip));
    }

    private DnsClient.Outcome ask(String name, int type, List<ResolverOptions.NameServer> only)
            throws ErlangException {
        ResolverOptions ro = db.resolverOptions();
        DnsClient.Options o = new DnsClient.Options(servers(ro.nameservers()), servers(ro.altNameservers()),
                ro.edns(), (int) Math.min(Integer.MAX_VALUE, ro.udpPayloadSize()), ro.recurse(),
                (int) Math.min(Integer.MAX_VALUE, ro.retry()), ro.servfailRetryTimeout(), ro.timeout(), ro.usevc());
        try {
            return only == null ? client.resQuery(name, type, o) : client.resQuery(name, type, o, servers(only));
        } catch (DnsEncodeException e) {
            throw reraise(e.erlangClass(), e.reason());
        } catch (DnsDecodeCrashException e) {
            // inet_dns:decode/1 crashes on some record types; inet_res lets it reach the caller
            throw reraise(e.erlangClass(), e.reason());
        }
    }

    private static ErlangException reraise(String erlangClass, String reasonAtom) {
        OtpErlangAtom reason = Terms.atom(reasonAtom);
        switch (erlangClass) {
            case "exit":
                return ErlangException.exit(reason);
            case "throw":
                return ErlangException.thrown(reason);
            default:
                return ErlangException.error(reason);
        }
    }

    /** The caller's mapping of inet_res errors: a FORMERR answer means our query was bad. */
    private static String errorAtom(DnsClient.Outcome o) {
        return o.withMessage() && o.error().equals("qfmterror") ? "einval" : o.error();
    }

    private static List<DnsClient.Server> servers(List<ResolverOptions.NameServer> nss) {
        List<DnsClient.Server> out = new ArrayList<>();
        for (ResolverOptions.NameServer ns : nss) {
            out.add(new DnsClient.Server(inetAddress(ns.ip()), ns.port()));
        }
        return out;
    }

    static InetAddress inetAddress(OtpErlangObject ip) {
        int[] w = Addresses.words(ip, 4, 255);
        byte[] b;
        if (w != null) {
            b = new byte[] {(byte) w[0], (byte) w[1], (byte) w[2], (byte) w[3]};
        } else {
            w = Addresses.words(ip, 8, 65535);
            b = new byte[16];
            for (int i = 0; i < 8; i++) {
                b[2 * i] = (byte) (w[i] >> 8);
                b[2 * i + 1] = (byte) w[i];
            }
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------ answers and CNAME chains

    /** inet_db:res_filter_rrs/2: class IN records of the asked type or CNAMEs. */
    private static List<DnsRr> answerRecords(DnsMessage m, int type) {
        List<DnsRr> out = new ArrayList<>();
        for (DnsRr rr : m.answers()) {
            if (rr.dnsClass() == DnsClass.IN && (rr.type() == type || rr.type() == DnsType.CNAME)) {
                out.add(rr);
            }
        }
        return out;
    }

    private static BiFunction<String, Integer, List<OtpErlangObject>> lookupIn(List<DnsRr> rrs) {
        return (lc, t) -> {
            List<OtpErlangObject> out = new ArrayList<>();
            for (DnsRr rr : rrs) {
                if (rr.type() == t && ErlText.toLower(rr.domain()).equals(lc)) {
                    out.add(data(rr));
                }
            }
            return out;
        };
    }

    private void cache(List<DnsRr> rrs) {
        List<DnsCache.Rr> out = new ArrayList<>();
        for (DnsRr rr : rrs) {
            out.add(new DnsCache.Rr(ErlText.toLower(rr.domain()), rr.type(), rr.ttl(), data(rr), 0, 0));
        }
        db.cache().add(out);
    }

    private static OtpErlangObject data(DnsRr rr) {
        Object d = rr.data();
        if (d instanceof int[]) {
            return Addresses.tuple((int[]) d);
        }
        if (d instanceof String) {
            return ErlText.string((String) d);
        }
        return Terms.atom("undefined");
    }

    /** The canonical name, its data and the aliases that led there (last alias first). */
    private record Chain(String domain, List<OtpErlangObject> results, List<String> aliases) {
    }

    /** inet_db:resolve_cnames/3. */
    private static Chain resolveCnames(String domain, int type,
                                       BiFunction<String, Integer, List<OtpErlangObject>> lookup) {
        String d = domain;
        String lc = ErlText.toLower(d);
        String previousLc = null;
        List<String> aliases = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
            List<OtpErlangObject> results = lookup.apply(lc, type);
            if (!results.isEmpty()) {
                return new Chain(d, results, aliases);
            }
            List<OtpErlangObject> cnames = lookup.apply(lc, DnsType.CNAME);
            if (cnames.size() != 1) {
                return null;
            }
            String cname = ErlText.chars(cnames.get(0));
            String lcCname = ErlText.toLower(cname);
            // inet_db compares with the current and the previous name only
            if (lcCname.equals(lc) || lcCname.equals(previousLc) || seen.contains(lcCname)) {
                return null;
            }
            seen.add(lc);
            aliases.add(0, d);
            previousLc = lc;
            d = cname;
            lc = lcCname;
        }
        return null;
    }

    private static Hostent hostent(Chain c, int type) {
        OtpErlangAtom family = type == DnsType.A ? Hostent.INET : Hostent.INET6;
        return Hostent.of(c.domain, c.results, c.aliases, family);
    }

    // ------------------------------------------------------------ names

    /** inet_parse:dots/1's first half: dots not at the end. */
    private static long embeddedDots(String name) {
        long n = name.chars().filter(ch -> ch == '.').count();
        return name.endsWith(".") ? n - 1 : n;
    }

    /** inet_db:stripdot/1: one trailing dot off. */
    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** inet_res:norm_ip/1: IPv4-mapped IPv6 addresses are looked up as IPv4. */
    private static OtpErlangObject normIp(OtpErlangObject ip) throws ErlangException {
        if (ip instanceof OtpErlangTuple && ((OtpErlangTuple) ip).arity() == 8) {
            OtpErlangTuple t = (OtpErlangTuple) ip;
            for (int i = 0; i < 5; i++) {
                if (!t.elementAt(i).equals(new OtpErlangLong(0))) {
                    return ip;
                }
            }
            if (!t.elementAt(5).equals(new OtpErlangLong(0xffff))) {
                return ip;
            }
            OtpErlangObject g = t.elementAt(6);
            OtpErlangObject h = t.elementAt(7);
            if (!(g instanceof OtpErlangLong) || !(h instanceof OtpErlangLong)) {
                throw ErlangException.error(Terms.atom("badarith"));
            }
            long gv = ((OtpErlangLong) g).longValue();
            long hv = ((OtpErlangLong) h).longValue();
            return new OtpErlangTuple(new OtpErlangObject[] {
                new OtpErlangLong(gv >> 8), new OtpErlangLong(gv & 0xff),
                new OtpErlangLong(hv >> 8), new OtpErlangLong(hv & 0xff)});
        }
        return ip;
    }

    /** inet_res:dn_ip/1: the in-addr.arpa or ip6.arpa name, or null (formerr). */
    static String reverseName(OtpErlangObject ip) {
        int[] w = Addresses.words(ip, 4, 255);
        if (w != null) {
            return w[3] + "." + w[2] + "." + w[1] + "." + w[0] + ".in-addr.arpa";
        }
        w = Addresses.words(ip, 8, 65535);
        if (w == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 7; i >= 0; i--) {
            for (int shift = 0; shift < 16; shift += 4) {
                sb.append(Character.forDigit((w[i] >> shift) & 0xf, 16)).append('.');
            }
        }
        return sb.append("ip6.arpa").toString();
    }
}
