package jinet.inet.resolver;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import jinet.term.Terms;

/**
 * inetrc options as inet_db reads them: {@code rc_opt_req/1} turns an option into server
 * requests, and each request does what inet_db's {@code handle_call/3} clause does, with the
 * same checks ({@code res_check_option/2}). The one table of option names is here.
 */
final class RcOptions {
    private static final OtpErlangAtom TRUE = Terms.atom("true");
    private static final OtpErlangAtom FALSE = Terms.atom("false");

    /** {@code {Name, Value}} options set with res_set: inet_db key and value check. */
    private record ResOption(String key, Predicate<OtpErlangObject> check) {
    }

    private static final Map<String, ResOption> RES_SET = Map.ofEntries(
            Map.entry("domain", new ResOption("res_domain",
                    v -> isEmptyString(v) || ErlText.isVisible(v))),
            Map.entry("timeout", new ResOption("res_timeout", v -> integerAtLeast(v, 1))),
            Map.entry("servfail_retry_timeout", new ResOption("res_servfail_retry_timeout",
                    v -> integerAtLeast(v, 0))),
            Map.entry("retry", new ResOption("res_retry", v -> integerAtLeast(v, 1))),
            Map.entry("inet6", new ResOption("res_inet6", RcOptions::isBoolean)),
            Map.entry("usevc", new ResOption("res_usevc", RcOptions::isBoolean)),
            Map.entry("edns", new ResOption("res_edns",
                    v -> v.equals(FALSE) || v.equals(new OtpErlangLong(0)))),
            Map.entry("udp_payload_size", new ResOption("res_udp_payload_size",
                    v -> integerAtLeast(v, 512))));

    private RcOptions() {
    }

    /** The requests for one option, or null where rc_opt_req/1 gives undefined (badopt). */
    static List<InetDb.Request> requests(OtpErlangObject opt) {
        if (opt instanceof OtpErlangAtom) {
            return atomOption(((OtpErlangAtom) opt).atomValue());
        }
        if (!(opt instanceof OtpErlangTuple)) {
            return null;
        }
        OtpErlangTuple t = (OtpErlangTuple) opt;
        if (t.arity() < 2 || !(t.elementAt(0) instanceof OtpErlangAtom)) {
            return null;
        }
        String name = ((OtpErlangAtom) t.elementAt(0)).atomValue();
        OtpErlangObject arg = t.elementAt(1);
        if (t.arity() == 3) {
            OtpErlangObject arg2 = t.elementAt(2);
            switch (name) {
                case "nameserver":
                    return List.of(db -> listop(db, "res_ns", "add", Terms.tuple(arg, arg2), RcOptions::isNameServer));
                case "alt_nameserver":
                    return List.of(db -> listop(db, "res_alt_ns", "add", Terms.tuple(arg, arg2), RcOptions::isNameServer));
                case "socks5_noproxy":
                    return List.of(db -> {
                        if (!Addresses.isIp4(arg) || !Addresses.isIp4(arg2)) {
                            return false;
                        }
                        db.listop("socks5_noproxy", "add", Terms.tuple(arg, arg2));
                        return true;
                    });
                case "host":
                    return List.of(db -> addHost(db, arg, arg2));
                default:
                    return null;
            }
        }
        if (t.arity() != 2) {
            return null;
        }
        OtpErlangObject port53 = new OtpErlangLong(InetDb.NAMESERVER_PORT);
        switch (name) {
            case "nameserver":
                return List.of(db -> listop(db, "res_ns", "add", Terms.tuple(arg, port53), RcOptions::isNameServer));
            case "alt_nameserver":
                return List.of(db -> listop(db, "res_alt_ns", "add", Terms.tuple(arg, port53), RcOptions::isNameServer));
            case "search": {
                List<OtpErlangObject> domains = properList(arg);
                if (domains == null) {
                    return null;
                }
                List<InetDb.Request> reqs = new ArrayList<>();
                for (OtpErlangObject d : domains) {
                    reqs.add(db -> listop(db, "res_search", "add", d, RcOptions::isSearchDomain));
                }
                return reqs;
            }
            case "lookup": {
                List<OtpErlangObject> methods = properList(arg);
                if (methods == null) {
                    return null;
                }
                OtpErlangObject translated = Terms.list(translateLookup(methods).toArray(new OtpErlangObject[0]));
                return List.of(db -> {
                    db.put("res_lookup", translated);
                    return true;
                });
            }
            case "replace_ns":
                return List.of(db -> listReplace(db, "res_ns", arg, RcOptions::isNameServer));
            case "replace_search":
                return List.of(db -> listReplace(db, "res_search", arg, RcOptions::isSearchDomain));
            case "load_hosts_file":
                return List.of(db -> loadHostsFile(db, arg));
            case "socks5_server":
                return List.of(db -> set(db, "socks5_server", arg, Addresses::isIp4));
            case "socks5_port":
                return List.of(db -> set(db, "socks5_port", arg, v -> v instanceof OtpErlangLong));
            case "socks5_methods":
                return List.of(db -> false); // rc_opt_req makes a request inet_db has no clause for
            case "cache_refresh":
                return List.of(db -> {
                    if (!integerAtLeast(arg, 1)) {
                        return false;
                    }
                    BigInteger ms = ((OtpErlangLong) arg).bigIntegerValue();
                    BigInteger thousand = BigInteger.valueOf(1000);
                    db.put("cache_refresh_interval", new OtpErlangLong(
                            ms.add(BigInteger.valueOf(999)).divide(thousand).multiply(thousand)));
                    return true;
                });
            case "cache_size":
                return List.of(db -> set(db, "cache_size", arg, v -> integerAtLeast(v, 0)));
            case "udp":
                return List.of(db -> set(db, "udp_module", arg, v -> v instanceof OtpErlangAtom));
            case "tcp":
                return List.of(db -> set(db, "tcp_module", arg, v -> v instanceof OtpErlangAtom));
            case "sctp":
                return List.of(db -> set(db, "sctp_module", arg, v -> v instanceof OtpErlangAtom));
            case "resolv_conf":
            case "hosts_file":
                return List.of(db -> InetDb.fileName(arg)
                        .map(file -> db.setFile(name, file, true))
                        .orElse(false));
            default:
                ResOption r = RES_SET.get(name);
                if (r == null) {
                    return null;
                }
                return List.of(db -> set(db, r.key, arg, r.check));
        }
    }

    private static List<InetDb.Request> atomOption(String name) {
        switch (name) {
            case "clear_ns":
                return List.of(db -> listReplace(db, "res_ns", Terms.NIL, RcOptions::isNameServer),
                        db -> listReplace(db, "res_alt_ns", Terms.NIL, RcOptions::isNameServer));
            case "clear_search":
                return List.of(db -> listReplace(db, "res_search", Terms.NIL, RcOptions::isSearchDomain));
            case "reset":
                return List.of(db -> {
                    db.reset();
                    return true;
                });
            case "clear_cache":
                return List.of(db -> {
                    db.cache().clear();
                    return true;
                });
            case "clear_hosts":
                return List.of(db -> {
                    db.hosts().clear();
                    return true;
                });
            default:
                return null;
        }
    }

    /** inet_db:translate_lookup/1: known names (strings or atoms) to methods, others dropped. */
    static List<OtpErlangObject> translateLookup(List<OtpErlangObject> methods) {
        List<OtpErlangObject> out = new ArrayList<>();
        for (OtpErlangObject m : methods) {
            String s = ErlText.chars(ErlText.atomToList(m));
            if (s == null) {
                continue;
            }
            String method;
            switch (s) {
                case "bind":
                case "dns":
                    method = "dns";
                    break;
                case "hosts":
                case "files":
                case "file":
                    method = "file";
                    break;
                case "yp":
                case "nis":
                case "nisplus":
                case "native":
                    method = s;
                    break;
                default:
                    method = null;
            }
            if (method != null) {
                out.add(Terms.atom(method));
            }
        }
        return out;
    }

    private static boolean set(InetDb db, String key, OtpErlangObject v, Predicate<OtpErlangObject> check) {
        if (!check.test(v)) {
            return false;
        }
        db.put(key, v);
        return true;
    }

    private static boolean listop(InetDb db, String key, String op, OtpErlangObject e,
                                  Predicate<OtpErlangObject> check) {
        if (!check.test(e)) {
            return false;
        }
        db.listop(key, op, Canonical.of(e));
        return true;
    }

    private static boolean listReplace(InetDb db, String key, OtpErlangObject list,
                                       Predicate<OtpErlangObject> check) {
        List<OtpErlangObject> es = properList(list);
        if (es == null || !es.stream().allMatch(check)) {
            return false;
        }
        db.put(key, list);
        return true;
    }

    /** The add_host request: an address and a list whose head is a list. */
    private static boolean addHost(InetDb db, OtpErlangObject ip, OtpErlangObject names) {
        if (!Addresses.isIp4(ip) && !Addresses.isIp6(ip)) {
            return false;
        }
        List<OtpErlangObject> ns = properList(names);
        if (ns == null || ns.isEmpty()) {
            return false;
        }
        List<String> strings = new ArrayList<>();
        for (OtpErlangObject n : ns) {
            String s = ErlText.chars(n);
            if (s == null) {
                return false; // inet_db would crash on tolower; refusing keeps the node sane
            }
            strings.add(s);
        }
        db.hosts().addHost(ip, strings);
        return true;
    }

    private static boolean loadHostsFile(InetDb db, OtpErlangObject arg) {
        List<OtpErlangObject> entries = properList(arg);
        if (entries == null) {
            return false;
        }
        List<HostsTable.Line> lines = new ArrayList<>();
        for (OtpErlangObject e : entries) {
            if (!(e instanceof OtpErlangTuple) || ((OtpErlangTuple) e).arity() != 3) {
                return false;
            }
            OtpErlangTuple t = (OtpErlangTuple) e;
            String name = ErlText.chars(t.elementAt(1));
            List<OtpErlangObject> aliases = properList(t.elementAt(2));
            if (!(Addresses.isIp4(t.elementAt(0)) || Addresses.isIp6(t.elementAt(0))) || name == null
                    || aliases == null) {
                return false;
            }
            List<String> as = new ArrayList<>();
            for (OtpErlangObject a : aliases) {
                String s = ErlText.chars(a);
                if (s == null) {
                    return false;
                }
                as.add(s);
            }
            lines.add(new HostsTable.Line(t.elementAt(0), name, as));
        }
        db.fileHosts().load(lines);
        return true;
    }

    /** res_check_ns/1. */
    static boolean isNameServer(OtpErlangObject ns) {
        if (!(ns instanceof OtpErlangTuple) || ((OtpErlangTuple) ns).arity() != 2) {
            return false;
        }
        OtpErlangTuple t = (OtpErlangTuple) ns;
        OtpErlangObject port = t.elementAt(1);
        return (Addresses.isIp4(t.elementAt(0)) || Addresses.isIp6(t.elementAt(0)))
                && port instanceof OtpErlangLong && ((OtpErlangLong) port).isLong()
                && ((OtpErlangLong) port).longValue() >= 0 && ((OtpErlangLong) port).longValue() <= 65535;
    }

    /** res_check_search/1. */
    private static boolean isSearchDomain(OtpErlangObject d) {
        return isEmptyString(d) || ErlText.isVisible(d);
    }

    static boolean isEmptyString(OtpErlangObject v) {
        return (v instanceof OtpErlangList && ((OtpErlangList) v).arity() == 0
                && ((OtpErlangList) v).getLastTail() == null)
                || (v instanceof OtpErlangString && ((OtpErlangString) v).stringValue().isEmpty());
    }

    private static boolean isBoolean(OtpErlangObject v) {
        return v.equals(TRUE) || v.equals(FALSE);
    }

    private static boolean integerAtLeast(OtpErlangObject v, long min) {
        return v instanceof OtpErlangLong
                && ((OtpErlangLong) v).bigIntegerValue().compareTo(BigInteger.valueOf(min)) >= 0;
    }

    /** The elements of a proper list, else null. */
    static List<OtpErlangObject> properList(OtpErlangObject term) {
        OtpErlangObject[] elements = Terms.properListElements(term);
        return elements == null ? null : List.of(elements);
    }
}
