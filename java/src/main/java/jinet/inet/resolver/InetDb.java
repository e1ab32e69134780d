package jinet.inet.resolver;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jinet.term.Terms;

/**
 * The resolver's configuration and host tables, as OTP's inet_db keeps them: one table of
 * option values under inet_db's own keys (so {@link #getRc()} is a straight port), the inetrc
 * option requests ({@link #addRcList}), the two watched files and the two pairs of host tables.
 * Writes are serialized like calls to the inet_db server.
 */
public final class InetDb {
    private static final OtpErlangAtom OK = Terms.atom("ok");
    private static final OtpErlangAtom ERROR = Terms.atom("error");
    private static final OtpErlangAtom TRUE = Terms.atom("true");
    private static final OtpErlangAtom FALSE = Terms.atom("false");
    static final int NAMESERVER_PORT = 53;

    /** inet_db's reset_db/1: every key and its initial value. */
    private static final Map<String, OtpErlangObject> RESET = new LinkedHashMap<>();

    static {
        RESET.put("hostname", Terms.NIL);
        RESET.put("res_ns", Terms.NIL);
        RESET.put("res_alt_ns", Terms.NIL);
        RESET.put("res_search", Terms.NIL);
        RESET.put("res_domain", Terms.NIL);
        RESET.put("res_lookup", Terms.NIL);
        RESET.put("res_recurse", TRUE);
        RESET.put("res_usevc", FALSE);
        RESET.put("res_retry", new OtpErlangLong(3));
        RESET.put("res_servfail_retry_timeout", new OtpErlangLong(1500));
        RESET.put("res_timeout", new OtpErlangLong(2000));
        RESET.put("res_inet6", FALSE);
        RESET.put("res_edns", FALSE);
        RESET.put("res_udp_payload_size", new OtpErlangLong(1280));
        RESET.put("cache_size", new OtpErlangLong(100));
        RESET.put("cache_refresh_interval", new OtpErlangLong(3600 * 1000));
        RESET.put("socks5_server", Terms.NIL);
        RESET.put("socks5_port", new OtpErlangLong(1080));
        RESET.put("socks5_methods", Terms.list(Terms.atom("none")));
        RESET.put("socks5_noproxy", Terms.NIL);
        RESET.put("tcp_module", Terms.atom("inet_tcp"));
        RESET.put("udp_module", Terms.atom("inet_udp"));
        RESET.put("sctp_module", Terms.atom("inet_sctp"));
    }

    /**
     * inet_db:get_rc/0's keys in its order, with the table key and the value that leaves an
     * option out of the list. {@code hosts}, the name server lists and socks5_noproxy are
     * rendered by their own code.
     */
    private record RcKey(String name, String key, OtpErlangObject omitted) {
    }

    private static final List<RcKey> RC_KEYS = List.of(
            new RcKey("hosts", null, null),
            new RcKey("domain", "res_domain", Terms.NIL),
            new RcKey("nameservers", "res_ns", null),
            new RcKey("search", "res_search", Terms.NIL),
            new RcKey("alt_nameservers", "res_alt_ns", null),
            new RcKey("timeout", "res_timeout", new OtpErlangLong(2000)),
            new RcKey("retry", "res_retry", new OtpErlangLong(3)),
            new RcKey("servfail_retry_timeout", "res_servfail_retry_timeout", new OtpErlangLong(1500)),
            new RcKey("inet6", "res_inet6", FALSE),
            new RcKey("usevc", "res_usevc", FALSE),
            new RcKey("edns", "res_edns", FALSE),
            new RcKey("udp_payload_size", "res_udp_payload_size", new OtpErlangLong(1280)),
            new RcKey("resolv_conf", "res_resolv_conf", Terms.atom("undefined")),
            new RcKey("hosts_file", "res_hosts_file", Terms.atom("undefined")),
            new RcKey("socks5_server", "socks5_server", Terms.NIL),
            new RcKey("socks5_port", "socks5_port", new OtpErlangLong(1080)),
            new RcKey("socks5_methods", "socks5_methods", Terms.list(Terms.atom("none"))),
            new RcKey("socks5_noproxy", "socks5_noproxy", null),
            new RcKey("udp", "udp_module", Terms.atom("inet_udp")),
            new RcKey("sctp", "sctp_module", Terms.atom("inet_sctp")),
            new RcKey("tcp", "tcp_module", Terms.atom("inet_tcp")),
            new RcKey("host", null, null),
            new RcKey("cache_size", "cache_size", new OtpErlangLong(100)),
            new RcKey("cache_refresh", "cache_refresh_interval", new OtpErlangLong(3600 * 1000)),
            new RcKey("lookup", "res_lookup", Terms.list(Terms.atom("native"), Terms.atom("file"))));

    private final Map<String, OtpErlangObject> db = new HashMap<>(RESET);
    private final HostsTable hosts = new HostsTable();
    private final HostsTable fileHosts = new HostsTable();
    private final DnsCache cache = new DnsCache(this);
    private final WatchedFile resolvConf = new WatchedFile("res_resolv_conf");
    private final WatchedFile hostsFile = new WatchedFile("res_hosts_file");
    private int nextId;

    // ---------------------------------------------------------------- reading

    synchronized OtpErlangObject get(String key) {
        OtpErlangObject v = db.get(key);
        return v == null ? Terms.atom("undefined") : v;
    }

    public synchronized String hostname() {
        return ErlText.chars(db.get("hostname"));
    }

    public synchronized String domain() {
        return ErlText.chars(db.get("res_domain"));
    }

    public synchronized List<String> search() {
        return strings(db.get("res_search"));
    }

    /** inet_db:get_searchlist/0: the search list, else the domain alone. */
    public synchronized List<String> searchList() {
        List<String> s = search();
        return s.isEmpty() ? List.of(domain()) : s;
    }

    public synchronized List<String> lookup() {
        List<String> out = new ArrayList<>();
        for (OtpErlangObject m : ((OtpErlangList) db.get("res_lookup")).elements()) {
            out.add(((OtpErlangAtom) m).atomValue());
        }
        return out;
    }

    /** The {@code timeout} option in milliseconds. */
    public synchronized long timeout() {
        return longValue("res_timeout");
    }

    public synchronized boolean inet6() {
        return db.get("res_inet6").equals(TRUE);
    }

    /** The options inet_res's make_options/1 reads from inet_db for one query. */
    public synchronized ResolverOptions resolverOptions() {
        return new ResolverOptions(nameservers("res_ns"), nameservers("res_alt_ns"),
                db.get("res_edns").equals(FALSE) ? -1 : 0,
                longValue("res_udp_payload_size"),
                db.get("res_recurse").equals(TRUE) || db.get("res_recurse").equals(new OtpErlangLong(1)),
                longValue("res_retry"), longValue("res_servfail_retry_timeout"),
                longValue("res_timeout"), db.get("res_usevc").equals(TRUE));
    }

    public synchronized List<ResolverOptions.NameServer> nameservers() {
        return nameservers("res_ns");
    }

    synchronized long longValue(String key) {
        OtpErlangLong v = (OtpErlangLong) db.get(key);
        return v.isLong() ? v.longValue() : Long.MAX_VALUE / 4;
    }

    /** inet_db:res_option(next_id): 16-bit query ids from a counter. */
    public synchronized int nextId() {
        nextId = (nextId + 1) & 0xffff;
        return nextId;
    }

    HostsTable hosts() {
        return hosts;
    }

    HostsTable fileHosts() {
        return fileHosts;
    }

    DnsCache cache() {
        return cache;
    }

    // ---------------------------------------------------------------- get_rc

    /** inet_db:get_rc/0. */
    public synchronized OtpErlangObject getRc() {
        List<OtpErlangObject> out = new ArrayList<>();
        for (RcKey k : RC_KEYS) {
            switch (k.name) {
                case "hosts":
                    for (Map.Entry<OtpErlangObject, List<String>> e : hosts.entries()) {
                        out.add(Terms.tuple(Terms.atom("host"), e.getKey(), stringList(e.getValue())));
                    }
                    break;
                case "nameservers":
                case "alt_nameservers":
                    String tag = k.name;
                    for (ResolverOptions.NameServer ns : nameservers(k.key)) {
                        out.add(ns.port() == NAMESERVER_PORT
                                ? Terms.tuple(Terms.atom(tag), ns.ip())
                                : Terms.tuple(Terms.atom(tag), ns.ip(), new OtpErlangLong(ns.port())));
                    }
                    break;
                case "socks5_noproxy":
                    for (OtpErlangObject p : ((OtpErlangList) db.get("socks5_noproxy")).elements()) {
                        OtpErlangTuple t = (OtpErlangTuple) p;
                        out.add(Terms.tuple(Terms.atom("socks5_noproxy"), t.elementAt(0), t.elementAt(1)));
                    }
                    break;
                case "host":
                    break; // listed in get_rc's keys but stored nowhere under that name
                default:
                    OtpErlangObject v = get(k.key);
                    if (!v.equals(k.omitted)) {
                        out.add(Terms.tuple(Terms.atom(k.name), v));
                    }
            }
        }
        return Terms.list(out.toArray(new OtpErlangObject[0]));
    }

    // ---------------------------------------------------------------- option requests

    /** inet_db:add_rc_list/1: ok, error, or {error,{badopt,Opt}}; options before a bad one stay. */
    public synchronized OtpErlangObject addRcList(List<OtpErlangObject> options) {
        for (OtpErlangObject opt : options) {
            List<Request> reqs = RcOptions.requests(opt);
            if (reqs == null) {
                return Terms.tuple(ERROR, Terms.tuple(Terms.atom("badopt"), opt));
            }
            for (Request r : reqs) {
                if (!r.apply(this)) {
                    return ERROR;
                }
            }
        }
        return OK;
    }

    /** One inet_db server request; false where inet_db replies error. */
    @FunctionalInterface
    interface Request {
        boolean apply(InetDb db);
    }

    void put(String key, OtpErlangObject value) {
        db.put(key, Canonical.of(value));
    }

    /** {listop, Opt, add|ins|del, E} after its check. */
    void listop(String key, String op, OtpErlangObject e) {
        List<OtpErlangObject> es = new ArrayList<>();
        for (OtpErlangObject x : ((OtpErlangList) db.get(key)).elements()) {
            if (!x.equals(e)) {
                es.add(x);
            }
        }
        if (op.equals("add")) {
            es.add(e);
        } else if (op.equals("ins")) {
            es.add(0, e);
        }
        db.put(key, Terms.list(es.toArray(new OtpErlangObject[0])));
    }

    void reset() {
        db.putAll(RESET);
    }

    void setHostname(String name) {
        db.put("hostname", Canonical.of(new OtpErlangString(name)));
    }

    // ---------------------------------------------------------------- watched files

    /**
     * A file name as inet_db keeps it: {@code stored} is what get_rc shows (filename:flatten/1
     * of the option: deep lists and atoms become a string, a binary stays a binary), {@code path}
     * the file to read, null where erl_prim_loader cannot read it (it refuses binaries, so such a
     * file always reads as missing).
     */
    record FileName(OtpErlangObject stored, String path) {
        static final FileName NONE = new FileName(Terms.NIL, null);

        boolean isNone() {
            return stored.equals(Terms.NIL);
        }
    }

    /** The name an inetrc resolv_conf/hosts_file option gives, if inet_db takes it. */
    static Optional<FileName> fileName(OtpErlangObject f) {
        if (RcOptions.isEmptyString(f)) {
            return Optional.of(FileName.NONE);
        }
        if (f instanceof OtpErlangBinary) {
            byte[] b = ((OtpErlangBinary) f).binaryValue();
            return b.length > 0 && b[0] == '/' ? Optional.of(new FileName(f, null)) : Optional.empty();
        }
        StringBuilder flat = new StringBuilder();
        if (!flatten(f, flat) || flat.length() == 0 || flat.charAt(0) != '/') {
            return Optional.empty();
        }
        String path = flat.toString();
        return Optional.of(new FileName(new OtpErlangString(path), path));
    }

    /** filename:flatten/1 for names made of characters, nested lists and atoms. */
    private static boolean flatten(OtpErlangObject t, StringBuilder out) {
        if (t instanceof OtpErlangAtom) {
            out.append(((OtpErlangAtom) t).atomValue());
            return true;
        }
        String s = ErlText.chars(t);
        if (s != null) {
            out.append(s);
            return true;
        }
        List<OtpErlangObject> items = RcOptions.properList(t);
        if (items == null) {
            return false;
        }
        for (OtpErlangObject i : items) {
            if (!flatten(i, out)) {
                return false;
            }
        }
        return true;
    }

    /** The resolv_conf / hosts_file option with a file name: set, or set and read now. */
    boolean setFile(String option, FileName name, boolean readNow) {
        WatchedFile f = option.startsWith("resolv") ? resolvConf : hostsFile;
        if (name.isNone()) {
            put(f.key, Terms.NIL);
            f.forget();
            return applyFile(f, new byte[0]);
        }
        put(f.key, name.stored());
        if (!readNow) {
            f.watchFromNowOn(name.path());
            return true;
        }
        return f.watch(name.path()).map(bytes -> applyFile(f, bytes)).orElse(true);
    }

    /** inet_db:res_update_conf/0. */
    public void updateResolvConf() {
        update(resolvConf);
    }

    /** inet_db:res_update_hosts/0. */
    public void updateHosts() {
        update(hostsFile);
    }

    private synchronized void update(WatchedFile f) {
        if (f.due()) {
            f.update().ifPresent(bytes -> applyFile(f, bytes));
        }
    }

    private boolean applyFile(WatchedFile f, byte[] content) {
        if (f == hostsFile) {
            fileHosts.load(ConfigFiles.hosts(content));
            return true;
        }
        // resolv_conf's parse fun: the search list (last search or domain line wins), the
        // name servers on port 53, and an emptied cache; the domain option is left alone.
        OtpErlangObject search = Terms.NIL;
        List<OtpErlangObject> nss = new ArrayList<>();
        for (OtpErlangObject o : ConfigFiles.resolv(content)) {
            OtpErlangTuple t = (OtpErlangTuple) o;
            String what = ((OtpErlangAtom) t.elementAt(0)).atomValue();
            if (what.equals("search")) {
                search = t.elementAt(1);
            } else if (what.equals("domain") && !ErlText.chars(t.elementAt(1)).isEmpty()) {
                search = Terms.list(t.elementAt(1));
            } else if (what.equals("nameserver")) {
                nss.add(Terms.tuple(t.elementAt(1), new OtpErlangLong(NAMESERVER_PORT)));
            }
        }
        OtpErlangObject result = addRcList(List.of(
                Terms.tuple(Terms.atom("replace_search"), search),
                Terms.tuple(Terms.atom("replace_ns"), Terms.list(nss.toArray(new OtpErlangObject[0]))),
                Terms.atom("clear_cache")));
        return result.equals(OK);
    }

    // ---------------------------------------------------------------- helpers

    private List<ResolverOptions.NameServer> nameservers(String key) {
        List<ResolverOptions.NameServer> out = new ArrayList<>();
        for (OtpErlangObject o : ((OtpErlangList) db.get(key)).elements()) {
            OtpErlangTuple t = (OtpErlangTuple) o;
            out.add(new ResolverOptions.NameServer(t.elementAt(0),
                    (int) ((OtpErlangLong) t.elementAt(1)).longValue()));
        }
        return out;
    }

    private static List<String> strings(OtpErlangObject list) {
        List<String> out = new ArrayList<>();
        for (OtpErlangObject o : ((OtpErlangList) Canonical.of(list)).elements()) {
            out.add(ErlText.chars(o));
        }
        return out;
    }

    static OtpErlangObject stringList(List<String> names) {
        OtpErlangObject[] e = new OtpErlangObject[names.size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = ErlText.string(names.get(i));
        }
        return Terms.list(e);
    }

}
