package jinet.inet.resolver;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jinet.term.AtomIndices;
import jinet.term.HashOrder;
import jinet.term.Terms;

/**
 * One pair of inet_db's host tables: by lower-cased name and by address. inet_db keeps two
 * pairs, the hosts added one by one ({@code {host,IP,Names}} in inetrc, {@link #addHost}) and
 * the hosts file's, loaded whole ({@link #load}); their merge rules differ, so both are here,
 * each following its inet_db function.
 */
final class HostsTable {
    /** A hosts-file line as inet_parse:hosts/2 returns it. */
    record Line(OtpErlangObject ip, String name, List<String> aliases) {
    }

    private record NameKey(OtpErlangAtom family, String lcName) {
    }

    /** inet_db's by-address key {@code {Family, IP}}, kept in an ETS set model for get_rc's order. */
    private static OtpErlangObject addrKey(OtpErlangAtom family, OtpErlangObject ip) {
        return Terms.tuple(family, ip);
    }

    private record ByName(List<OtpErlangObject> ips, List<String> names) {
    }

    private final Map<NameKey, ByName> byName = new LinkedHashMap<>();
    private final Map<OtpErlangObject, List<String>> byAddr = new HashMap<>();
    /**
     * The by-address table's inserts and deletes since it was last emptied: ets:tab2list's
     * order depends on them and on atom indices that are only known once probed
     * ({@link AtomIndices}), so get_rc replays them into a model of the ETS table.
     */
    private final List<Map.Entry<OtpErlangObject, List<String>>> history = new ArrayList<>();

    /** inet_db's do_add_host/5. */
    synchronized void addHost(OtpErlangObject ip, List<String> names) {
        OtpErlangAtom family = Addresses.family(ip);
        List<String> lcNames = new ArrayList<>();
        for (String n : names) {
            lcNames.add(ErlText.toLower(n));
        }
        for (String nm : lcNames) {
            NameKey key = new NameKey(family, nm);
            ByName e = byName.get(key);
            if (e == null) {
                byName.put(key, new ByName(List.of(ip), names));
            } else if (e.ips.get(0).equals(ip)) {
                byName.put(key, new ByName(e.ips, names));
            } else if (!e.ips.contains(ip)) {
                List<OtpErlangObject> ips = new ArrayList<>(e.ips);
                ips.add(ip);
                byName.put(key, new ByName(ips, e.names));
            }
        }
        OtpErlangObject akey = addrKey(family, ip);
        List<String> old = byAddr.get(akey);
        if (old != null) {
            Set<String> kept = new HashSet<>(lcNames);
            List<String> gone = new ArrayList<>();
            for (String n : old) {
                String lc = ErlText.toLower(n);
                if (!kept.contains(lc)) {
                    gone.add(lc);
                }
            }
            deleteIpFromNames(family, ip, gone);
        }
        put(akey, names);
    }

    private void put(OtpErlangObject key, List<String> names) {
        byAddr.put(key, names);
        history.add(new java.util.AbstractMap.SimpleImmutableEntry<>(key, names));
    }

    /** inet_db's do_del_host/3. */
    synchronized void delHost(OtpErlangObject ip) {
        OtpErlangAtom family = Addresses.family(ip);
        OtpErlangObject akey = addrKey(family, ip);
        List<String> names = byAddr.remove(akey);
        history.add(new java.util.AbstractMap.SimpleImmutableEntry<>(akey, null));
        if (names != null) {
            List<String> lc = new ArrayList<>();
            for (String n : names) {
                lc.add(ErlText.toLower(n));
            }
            deleteIpFromNames(family, ip, lc);
        }
    }

    private void deleteIpFromNames(OtpErlangAtom family, OtpErlangObject ip, List<String> lcNames) {
        for (String nm : lcNames) {
            NameKey key = new NameKey(family, nm);
            ByName e = byName.get(key);
            if (e == null) {
                continue;
            }
            if (e.ips.size() == 1 && e.ips.get(0).equals(ip)) {
                byName.remove(key);
            } else if (e.ips.contains(ip)) {
                List<OtpErlangObject> ips = new ArrayList<>(e.ips);
                ips.remove(ip);
                byName.put(key, new ByName(ips, e.names));
            }
        }
    }

    synchronized void clear() {
        byName.clear();
        byAddr.clear();
        history.clear();
    }

    /**
     * inet_db's load_hosts_list/1: all names of an address are gathered over every line that
     * has it; a name's entry takes the addresses in the order they first appear and the names
     * of the first address it was seen on. A name repeated for one address repeats the address.
     */
    synchronized void load(List<Line> lines) {
        Map<OtpErlangObject, List<String>> addrs = new LinkedHashMap<>();
        for (Line l : lines) {
            OtpErlangObject key = addrKey(Addresses.family(l.ip), l.ip);
            List<String> names = addrs.computeIfAbsent(key, k -> new ArrayList<>());
            names.add(l.name);
            names.addAll(l.aliases);
        }
        Map<NameKey, ByName> names = new LinkedHashMap<>();
        for (Map.Entry<OtpErlangObject, List<String>> a : addrs.entrySet()) {
            OtpErlangTuple key = (OtpErlangTuple) a.getKey();
            OtpErlangAtom family = (OtpErlangAtom) key.elementAt(0);
            OtpErlangObject ip = key.elementAt(1);
            List<String> all = List.copyOf(a.getValue());
            for (String n : all) {
                NameKey nkey = new NameKey(family, ErlText.toLower(n));
                ByName e = names.get(nkey);
                if (e == null) {
                    names.put(nkey, new ByName(new ArrayList<>(List.of(ip)), all));
                } else {
                    e.ips.add(ip);
                }
            }
        }
        byAddr.clear();
        history.clear();
        addrs.forEach((k, v) -> put(k, List.copyOf(v)));
        byName.clear();
        byName.putAll(names);
    }

    /** inet_hosts:gethostbyname/3 on this table. */
    synchronized Optional<Hostent> byName(String lcName, OtpErlangAtom type) {
        ByName e = byName.get(new NameKey(type, lcName));
        if (e == null) {
            return Optional.empty();
        }
        return Optional.of(Hostent.of(e.names.get(0), List.copyOf(e.ips),
                e.names.subList(1, e.names.size()), type));
    }

    /** inet_hosts:gethostbyaddr/3 on this table. */
    synchronized Optional<Hostent> byAddr(OtpErlangObject ip) {
        OtpErlangAtom family = Addresses.family(ip);
        List<String> names = byAddr.get(addrKey(family, ip));
        if (names == null) {
            return Optional.empty();
        }
        return Optional.of(Hostent.of(names.get(0), List.of(ip), names.subList(1, names.size()), family));
    }

    /** {IP, Names} pairs in ets:tab2list/1's order, for get_rc's {host, IP, Names}. */
    synchronized List<Map.Entry<OtpErlangObject, List<String>>> entries() {
        HashOrder.EtsSet<List<String>> ets = new HashOrder.EtsSet<>(AtomIndices.get());
        for (Map.Entry<OtpErlangObject, List<String>> op : history) {
            if (op.getValue() == null) {
                ets.delete(op.getKey());
            } else {
                ets.insert(op.getKey(), op.getValue());
            }
        }
        List<Map.Entry<OtpErlangObject, List<String>>> out = new ArrayList<>();
        for (Map.Entry<OtpErlangObject, List<String>> e : ets.tab2list()) {
            out.add(Map.entry(((OtpErlangTuple) e.getKey()).elementAt(1), e.getValue()));
        }
        return out;
    }
}
