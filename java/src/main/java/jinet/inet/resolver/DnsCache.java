package jinet.inet.resolver;

import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

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
        List<OtpErlangObject> out = new ArrayList<>();
        hits.stream().map(Rr::data).sorted(TERM_ORDER).forEach(out::add);
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

    /** Erlang's term order for the data a cached record holds: address tuples and names. */
    static final Comparator<OtpErlangObject> TERM_ORDER = DnsCache::compare;

    private static int compare(OtpErlangObject a, OtpErlangObject b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        if (a instanceof OtpErlangLong) {
            return ((OtpErlangLong) a).bigIntegerValue().compareTo(((OtpErlangLong) b).bigIntegerValue());
        }
        if (a instanceof OtpErlangTuple) {
            OtpErlangTuple ta = (OtpErlangTuple) a;
            OtpErlangTuple tb = (OtpErlangTuple) b;
            if (ta.arity() != tb.arity()) {
                return Integer.compare(ta.arity(), tb.arity());
            }
            for (int i = 0; i < ta.arity(); i++) {
                int c = compare(ta.elementAt(i), tb.elementAt(i));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }
        String sa = ErlText.chars(a);
        String sb = ErlText.chars(b);
        if (sa != null && sb != null) {
            int[] ca = sa.codePoints().toArray();
            int[] cb = sb.codePoints().toArray();
            return java.util.Arrays.compare(ca, cb);
        }
        return Objects.toString(a).compareTo(Objects.toString(b));
    }

    private static int rank(OtpErlangObject t) {
        if (t instanceof OtpErlangLong) {
            return 0;
        }
        if (t instanceof OtpErlangTuple) {
            return 5;
        }
        if (t instanceof OtpErlangString || t instanceof com.ericsson.otp.erlang.OtpErlangList) {
            return 8;
        }
        return 9;
    }
}
