package jinet.inet.resolver;

import com.ericsson.otp.erlang.OtpErlangObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import jinet.inet.dns.DnsType;
import jinet.term.AtomIndices;
import jinet.term.HashOrder;
import jinet.term.Terms;

/**
 * inet_db's cache of DNS answers (class IN, the asked type and CNAMEs), kept by lower-cased
 * owner name for each record's TTL, with inet_db's size limit and eviction. Hits come back in
 * the order of the map inet_db collects them in, which for the small maps a name has is the
 * term order of the records' data: a cached multi-address answer is sorted where the fresh
 * one was in the server's order.
 */
final class DnsCache {
    /** A record as inet_db stores it: {@code bm} is the lower-cased owner, tm/cnt are seconds. */
    record Rr(String lcDomain, int type, long ttl, OtpErlangObject data, long tm, long cnt) {
        boolean sameKey(Rr o) {
            return lcDomain.equals(o.lcDomain) && type == o.type && data.equals(o.data);
        }
    }

    private final InetDb db;
    private final List<Rr> rrs = new ArrayList<>();

    DnsCache(InetDb db) {
        this.db = db;
    }

    /** res_cache_answer/1 then do_add_rrs/4: TTL 0 records are used once and not kept. */
    void add(List<Rr> answer) {
        long now = now();
        long limit = db.longValue("cache_size");
        synchronized (this) {
            for (Rr r : answer) {
                if (r.ttl <= 0) {
                    continue;
                }
                if (limit <= 0) {
                    return;
                }
                if (limit <= rrs.size()) {
                    deleteOldest();
                }
                Rr rr = new Rr(r.lcDomain, r.type, r.ttl, r.data, now, now);
                rrs.removeIf(x -> x.sameKey(rr) && !x.equals(rr));
                if (!rrs.contains(rr)) {
                    rrs.add(rr);
                }
            }
        }
    }

    /** lookup_cache_data/2 (match_rr/1): expired records go, hits get a fresh use time. */
    synchronized List<OtpErlangObject> lookup(String lcDomain, int type) {
        long now = now();
        List<Rr> hits = new ArrayList<>();
        for (Iterator<Rr> it = rrs.iterator(); it.hasNext(); ) {
            Rr r = it.next();
            if (!r.lcDomain.equals(lcDomain) || r.type != type) {
                continue;
            }
            if (r.tm + r.ttl < now) {
                it.remove();
            } else if (hits.stream().noneMatch(h -> h.sameKey(r))) {
                hits.add(r);
            }
        }
        for (int i = 0; i < rrs.size(); i++) {
            Rr r = rrs.get(i);
            if (r.lcDomain.equals(lcDomain) && r.type == type && r.cnt < now) {
                rrs.set(i, new Rr(r.lcDomain, r.type, r.ttl, r.data, r.tm, now));
            }
        }
        // inet_db collects the hits in a map keyed {LcDomain, in, Type, Data} and takes its values
        List<OtpErlangObject> out = new ArrayList<>();
        HashOrder.mapOrder(hits, r -> Terms.tuple(ErlText.string(r.lcDomain), Terms.atom("in"),
                Terms.atom(DnsType.atomName(r.type).orElse("undefined")), r.data), AtomIndices.get())
                .forEach(r -> out.add(r.data));
        return out;
    }

    synchronized void clear() {
        rrs.clear();
    }

    /**
     * delete_oldest/3 as OTP 25 calls it: alloc_entry/3 passes {@code #dns_rr.tm} (the field's
     * index, 8) where the current time belongs, and ERTS's monotonic clock in seconds is a
     * large negative number, so "tm + ttl &lt; 8" holds for every record: a full cache is
     * emptied, whatever the records' ages.
     */
    private void deleteOldest() {
        rrs.clear();
    }

    private static long now() {
        return Math.floorDiv(System.nanoTime(), 1_000_000_000L);
    }
}
