package jinet.inet.resolver;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jinet.inet.AddressParser;
import jinet.term.ErlangException;
import jinet.term.Terms;

/**
 * inet's host functions: gethostbyname/1,2, gethostbyaddr/1, getaddr/2, getaddrs/2. Each walks
 * the configured lookup methods in order as inet.erl does ({@code string} first unless
 * {@code native} is there, {@code file}, {@code dns}, {@code native} and the methods BEAM sends
 * to native), ending with the host's own name on loopback.
 */
public final class Resolver {
    /** The {@code native} method: what inet_gethost_native returns for the same arguments. */
    public interface NativeLookup {
        OtpErlangObject gethostbyname(OtpErlangObject name, OtpErlangObject type) throws ErlangException;

        OtpErlangObject gethostbyaddr(OtpErlangObject addr) throws ErlangException;
    }

    private final InetDb db;
    private final DnsLookup dns;
    private final NativeLookup nativeLookup;

    public Resolver(InetDb db, NativeLookup nativeLookup) {
        this.db = db;
        this.dns = new DnsLookup(db);
        this.nativeLookup = nativeLookup;
    }

    public InetDb db() {
        return db;
    }

    /** inet:gethostbyname/1: the family follows the inet6 option. */
    public OtpErlangObject gethostbyname(OtpErlangObject name) throws ErlangException {
        return gethostbyname(name, db.inet6() ? Hostent.INET6 : Hostent.INET);
    }

    /** inet:gethostbyname/2 (gethostbyname_tm/3,4,5). */
    public OtpErlangObject gethostbyname(OtpErlangObject name, OtpErlangObject type) throws ErlangException {
        List<String> methods = new ArrayList<>(db.lookup());
        if (!methods.contains("native")) {
            methods.add(0, "string");
        }
        for (String method : methods) {
            OtpErlangObject result;
            switch (method) {
                case "string":
                    result = string(name, type);
                    break;
                case "dns":
                    result = dns.gethostbyname(name, type).toTerm();
                    break;
                case "file":
                    result = file(name, type);
                    break;
                case "yp": case "nis": case "nisplus": case "wins": case "native":
                    result = nativeLookup.gethostbyname(name, type);
                    break;
                default:
                    continue;
            }
            if (isOk(result)) {
                return result;
            }
            if (isError(result, "formerr")) {
                return Terms.error("einval");
            }
        }
        OtpErlangObject result = self(name, type);
        if (isOk(result)) {
            return result;
        }
        return Terms.error(isError(result, "formerr") ? "einval" : "nxdomain");
    }

    /** inet:gethostbyaddr/1 (gethostbyaddr_tm/3): the configured methods without string. */
    public OtpErlangObject gethostbyaddr(OtpErlangObject addr) throws ErlangException {
        for (String m : db.lookup()) {
            OtpErlangObject r;
            switch (m) {
                case "dns":
                    r = dns.gethostbyaddr(addr).toTerm();
                    if (isOk(r) || isError(r, "timeout")) {
                        return r;
                    }
                    break;
                case "file":
                    r = fileByAddr(addr);
                    if (isOk(r)) {
                        return r;
                    }
                    break;
                case "yp": case "nis": case "nisplus": case "wins": case "native":
                    r = nativeLookup.gethostbyaddr(addr);
                    if (isOk(r)) {
                        return r;
                    }
                    break;
                default:
                    continue;
            }
            if (isError(r, "formerr")) {
                return Terms.error("einval");
            }
        }
        if (addr.equals(Addresses.LOOPBACK4)) {
            return selfByAddr(addr, Hostent.INET);
        }
        if (addr.equals(Addresses.LOOPBACK6)) {
            return selfByAddr(addr, Hostent.INET6);
        }
        return Terms.error("nxdomain");
    }

    /** inet:getaddr/2. */
    public OtpErlangObject getaddr(OtpErlangObject host, OtpErlangObject family) throws ErlangException {
        OtpErlangObject r = getaddrs(host, family);
        if (isOk(r)) {
            OtpErlangObject list = ((OtpErlangTuple) r).elementAt(1);
            List<OtpErlangObject> ips = RcOptions.properList(list);
            if (ips != null && !ips.isEmpty()) {
                return Terms.ok(ips.get(0));
            }
            // inet:getaddr_tm/3 matches {ok,[IP|_]}; an empty list is returned as it is
        }
        return r;
    }

    /** inet:getaddrs/2 (getaddrs_tm/3). */
    public OtpErlangObject getaddrs(OtpErlangObject host, OtpErlangObject family) throws ErlangException {
        if (host instanceof OtpErlangTuple && ((OtpErlangTuple) host).arity() == 4) {
            if (!Addresses.isIp4(host)) {
                return Terms.error("einval");
            }
            return Terms.isAtom(family, "inet") ? Terms.ok(Terms.list(host)) : Terms.error("eafnosupport");
        }
        if (host instanceof OtpErlangTuple && ((OtpErlangTuple) host).arity() == 8) {
            if (!Addresses.isIp6(host)) {
                return Terms.error("einval");
            }
            return Terms.isAtom(family, "inet6") ? Terms.ok(Terms.list(host)) : Terms.error("eafnosupport");
        }
        OtpErlangObject h = ErlText.atomToList(host);
        if (!ErlText.isVisible(h)) {
            return Terms.error("einval");
        }
        OtpErlangObject r = gethostbyname(h, family);
        if (isOk(r)) {
            OtpErlangTuple hostent = (OtpErlangTuple) ((OtpErlangTuple) r).elementAt(1);
            return Terms.ok(hostent.elementAt(5));
        }
        return r;
    }

    public OtpErlangObject getRc() {
        return db.getRc();
    }

    // ------------------------------------------------------------------ methods

    /** inet:gethostbyname_string/2: a name that is itself an address. */
    private OtpErlangObject string(OtpErlangObject name, OtpErlangObject type) throws ErlangException {
        OtpErlangObject n = nameForFamily(name, type);
        if (n == null) {
            return Terms.error("formerr");
        }
        boolean inet = Terms.isAtom(type, "inet");
        Optional<OtpErlangObject> ip = Addresses.parse(
                inet ? AddressParser::parseIpv4Address : AddressParser::parseIpv6StrictAddress, n);
        if (ip.isEmpty()) {
            return Terms.error("nxdomain");
        }
        return Hostent.of(ErlText.chars(n), List.of(ip.get()), List.of(), (OtpErlangAtom) type).ok();
    }

    /**
     * The guard gethostbyname_string/2 and gethostbyname_self/2 share: an atom is taken as its
     * name, and the name must be a list and the family inet or inet6; null where it is not.
     */
    private static OtpErlangObject nameForFamily(OtpErlangObject name, OtpErlangObject type) {
        OtpErlangObject n = ErlText.atomToList(name);
        boolean family = Terms.isAtom(type, "inet") || Terms.isAtom(type, "inet6");
        return ErlText.isList(n) && family ? n : null;
    }

    /** inet_hosts:gethostbyname/2: the inetrc hosts, then the hosts file. */
    private OtpErlangObject file(OtpErlangObject name, OtpErlangObject type) throws ErlangException {
        OtpErlangObject n = ErlText.atomToList(name);
        if (!ErlText.isList(n) || !(type instanceof OtpErlangAtom)) {
            return Terms.error("formerr");
        }
        String lc = ErlText.toLower(n);
        db.updateHosts();
        Optional<Hostent> h = db.hosts().byName(lc, (OtpErlangAtom) type)
                .or(() -> db.fileHosts().byName(lc, (OtpErlangAtom) type));
        return h.map(Hostent::ok).orElse(Terms.error("nxdomain"));
    }

    /** inet_hosts:gethostbyaddr/1. */
    private OtpErlangObject fileByAddr(OtpErlangObject addr) throws ErlangException {
        OtpErlangObject a = ErlText.atomToList(addr);
        if (ErlText.isList(a)) {
            Optional<OtpErlangObject> ip = Addresses.parse(AddressParser::parseAddress, a);
            if (ip.isEmpty()) {
                return Terms.error("formerr");
            }
            a = ip.get();
        }
        if (!Addresses.isIp4(a) && !Addresses.isIp6(a)) {
            return Terms.error("formerr");
        }
        db.updateHosts();
        OtpErlangObject ip = a;
        return db.hosts().byAddr(ip).or(() -> db.fileHosts().byAddr(ip))
                .map(Hostent::ok).orElse(Terms.error("nxdomain"));
    }

    /** inet:gethostbyname_self/2: the node's own host name is always on loopback. */
    private OtpErlangObject self(OtpErlangObject name, OtpErlangObject type) throws ErlangException {
        OtpErlangObject n = nameForFamily(name, type);
        if (n == null) {
            return Terms.error("formerr");
        }
        boolean inet = Terms.isAtom(type, "inet");
        String lc = ErlText.toLower(n);
        String self = db.hostname();
        OtpErlangObject loopback = inet ? Addresses.LOOPBACK4 : Addresses.LOOPBACK6;
        if (ErlText.toLower(self).equals(lc)) {
            return Hostent.of(self, List.of(loopback), List.of(), (OtpErlangAtom) type).ok();
        }
        String domain = db.domain();
        if (domain.isEmpty()) {
            return Terms.error("nxdomain");
        }
        String fqdn = self + "." + domain;
        if (ErlText.toLower(fqdn).equals(lc)) {
            return Hostent.of(fqdn, List.of(loopback), List.of(), (OtpErlangAtom) type).ok();
        }
        return Terms.error("nxdomain");
    }

    /** inet:gethostbyaddr_self/2. */
    private OtpErlangObject selfByAddr(OtpErlangObject ip, OtpErlangAtom type) {
        String name = db.hostname();
        String domain = db.domain();
        if (domain.isEmpty()) {
            return Hostent.of(name, List.of(ip), List.of(), type).ok();
        }
        return Hostent.of(name + "." + domain, List.of(ip), List.of(name), type).ok();
    }

    private static boolean isOk(OtpErlangObject r) {
        return r instanceof OtpErlangTuple && ((OtpErlangTuple) r).arity() == 2
                && Terms.isAtom(((OtpErlangTuple) r).elementAt(0), "ok");
    }

    private static boolean isError(OtpErlangObject r, String reason) {
        return r instanceof OtpErlangTuple && ((OtpErlangTuple) r).arity() == 2
                && Terms.isAtom(((OtpErlangTuple) r).elementAt(0), "error")
                && Terms.isAtom(((OtpErlangTuple) r).elementAt(1), reason);
    }
}
