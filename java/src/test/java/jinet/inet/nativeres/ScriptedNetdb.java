package jinet.inet.nativeres;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The scripted libc of {@link #C_SOURCE}, for the Java side: the same answers for the names
 * {@code fake-<field>_<field>...[.domain]} and the addresses 192.0.2.X and 2001:db8::X, the real
 * libc for everything else. BEAM's port program gets the C version through LD_PRELOAD, so both
 * sides see one libc and differ only in what they make of it.
 *
 * <p>Fields: {@code sN} sleep N ms first; {@code eN} fail with h_errno / getaddrinfo status N;
 * {@code o} succeed with no addresses; {@code nNAME} h_name (the first canonname); {@code aNAME}
 * an alias (the canonname of the next entries); {@code iXXXXXXXX} an address in hex ({@code i-}:
 * an addrinfo without address). Names take %XX escapes.
 */
final class ScriptedNetdb implements Netdb {
    private static final int HOST_NOT_FOUND = 1;
    private static final int EAI_NONAME = -2;

    private static final class Spec {
        int sleepMillis;
        boolean hasErr;
        int err;
        boolean empty;
        byte[] name;
        final List<byte[]> aliases = new ArrayList<>();
        final List<byte[]> addresses = new ArrayList<>(); // null: an entry without address
    }

    private static Spec parse(byte[] s) {
        String str = new String(s, StandardCharsets.ISO_8859_1);
        if (!str.startsWith("fake-")) {
            return null;
        }
        Spec sp = new Spec();
        int p = 5;
        while (p < str.length() && str.charAt(p) != '.') {
            int end = p;
            while (end < str.length() && str.charAt(end) != '_' && str.charAt(end) != '.') {
                end++;
            }
            String f = str.substring(p, end);
            switch (f.isEmpty() ? '_' : f.charAt(0)) {
                case 's':
                    sp.sleepMillis = (int) leadingInt(f.substring(1), 10);
                    break;
                case 'e':
                    sp.hasErr = true;
                    sp.err = (int) leadingInt(f.substring(1), 10);
                    break;
                case 'o':
                    sp.empty = true;
                    break;
                case 'n':
                    sp.name = unescape(f.substring(1));
                    break;
                case 'a':
                    if (sp.aliases.size() < 8) {
                        sp.aliases.add(unescape(f.substring(1)));
                    }
                    break;
                case 'i':
                    if (sp.addresses.size() < 16) {
                        if (f.length() > 1 && f.charAt(1) == '-') {
                            sp.addresses.add(null);
                        } else {
                            long v = leadingInt(f.substring(1), 16);
                            sp.addresses.add(new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v});
                        }
                    }
                    break;
                default:
                    break;
            }
            p = end < str.length() && str.charAt(end) == '_' ? end + 1 : end;
        }
        return sp;
    }

    private static long leadingInt(String s, int radix) {
        int i = 0;
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < s.length() && Character.digit(s.charAt(i), radix) >= 0) {
            v = v * radix + Character.digit(s.charAt(i), radix);
            i++;
        }
        return neg ? -v : v;
    }

    private static byte[] unescape(String in) {
        byte[] out = new byte[in.length()];
        int n = 0;
        int i = 0;
        while (i < in.length()) {
            if (in.charAt(i) == '%' && i + 2 < in.length()) {
                out[n++] = (byte) leadingInt(in.substring(i + 1, i + 3), 16);
                i += 3;
            } else {
                out[n++] = (byte) in.charAt(i++);
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static void nap(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        for (long left = millis; left > 0; left = (end - System.nanoTime()) / 1_000_000L) {
            try {
                Thread.sleep(left);
            } catch (InterruptedException e) {
                // a lookup is not interruptible
            }
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public HostResult gethostbyname(byte[] name) {
        Spec sp = parse(name);
        if (sp == null) {
            return GlibcNetdb.INSTANCE.gethostbyname(name);
        }
        nap(sp.sleepMillis);
        if (sp.hasErr) {
            return new HostResult(null, sp.err);
        }
        List<byte[]> addrs = new ArrayList<>();
        for (byte[] a : sp.addresses) {
            if (a != null && !sp.empty) {
                addrs.add(a);
            }
        }
        return new HostResult(new Hostent(sp.name != null ? sp.name : ascii("fake"), sp.aliases, 4, addrs), 0);
    }

    @Override
    public AddrInfoResult getaddrinfo(byte[] node, int flags, int family, int socktype) {
        Spec sp = parse(node);
        if (sp == null) {
            return GlibcNetdb.INSTANCE.getaddrinfo(node, flags, family, socktype);
        }
        nap(sp.sleepMillis);
        if (sp.hasErr) {
            return new AddrInfoResult(sp.err, List.of());
        }
        List<AddrInfo> entries = new ArrayList<>();
        for (int i = 0; i < sp.addresses.size() && !sp.empty; i++) {
            byte[] a = sp.addresses.get(i);
            byte[] in6 = null;
            if (a != null) {
                in6 = new byte[16];
                in6[0] = 0x20;
                in6[1] = 0x01;
                in6[2] = 0x0d;
                in6[3] = (byte) 0xb8;
                System.arraycopy(a, 0, in6, 12, 4);
            }
            byte[] canon = i == 0 ? sp.name : (i - 1 < sp.aliases.size() ? sp.aliases.get(i - 1) : null);
            entries.add(new AddrInfo(in6, canon));
        }
        return new AddrInfoResult(0, entries);
    }

    @Override
    public HostResult gethostbyaddr(byte[] addr, int type) {
        if (type != AF_INET || addr.length != 4 || (addr[0] & 0xff) != 192 || addr[1] != 0 || addr[2] != 2) {
            return GlibcNetdb.INSTANCE.gethostbyaddr(addr, type);
        }
        int x = addr[3] & 0xff;
        byte[] asked = addr.clone();
        if (x >= 50) {
            nap((x - 50) * 100L);
            return new HostResult(new Hostent(ascii("slow"), List.of(), 4, List.of(asked)), 0);
        }
        if (x >= 10) {
            return new HostResult(null, x - 11);
        }
        switch (x) {
            case 1:
                return new HostResult(new Hostent(ascii("ptr-one"), List.of(ascii("alias-b"), ascii("alias-a")), 4,
                        List.of(asked, new byte[] {10, 0, 0, 1}, asked)), 0);
            case 2:
                return new HostResult(new Hostent(new byte[0], List.of(), 4, List.of(asked)), 0);
            case 3:
                return new HostResult(new Hostent(new byte[] {'h', (byte) 0xe9, (byte) 0xff}, List.of(), 4,
                        List.of(asked)), 0);
            case 4:
                return new HostResult(new Hostent(ascii("empty"), List.of(), 4, List.of()), 0);
            default:
                return new HostResult(null, HOST_NOT_FOUND);
        }
    }

    @Override
    public NameInfoResult getnameinfo6(byte[] addr, int flags) {
        byte[] prefix = new byte[15];
        prefix[0] = 0x20;
        prefix[1] = 0x01;
        prefix[2] = 0x0d;
        prefix[3] = (byte) 0xb8;
        if (!Arrays.equals(Arrays.copyOf(addr, 15), prefix)) {
            return GlibcNetdb.INSTANCE.getnameinfo6(addr, flags);
        }
        int x = addr[15] & 0xff;
        if (x >= 50) {
            nap((x - 50) * 100L);
            return new NameInfoResult(0, ascii("slow6"));
        }
        if (x >= 20) {
            return new NameInfoResult(x == 33 ? 1 : -(x - 20), null);
        }
        switch (x) {
            case 1:
                return new NameInfoResult(0, ascii("ptr6-one"));
            case 2:
                return new NameInfoResult(0, new byte[0]);
            case 3:
                return new NameInfoResult(0, new byte[] {'h', (byte) 0xe9, (byte) 0xff});
            default:
                return new NameInfoResult(EAI_NONAME, null);
        }
    }

    /** The C version, for LD_PRELOAD into BEAM's inet_gethost. */
    static final String C_SOURCE = """
/* Scripted libc lookups for the oracle: names "fake-<field>_<field>...[.domain]" and the
   addresses 192.0.2.X and 2001:db8::X; everything else goes to the real libc. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netdb.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define MAGIC 0x6a696e65

struct spec {
    int sleep_ms, has_err, err, empty, has_name, naliases, naddrs;
    char name[256];
    char aliases[8][256];
    unsigned char addrs[16][4];
    int addr_null[16];
};

static void nap(int ms) {
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0) ;
}

/* %XX escapes let names hold any byte, separators included. */
static void unescape(char *out, const char *in, size_t n) {
    size_t i = 0;
    while (i < n) {
        if (in[i] == '%' && i + 2 < n) {
            char hex[3] = { in[i + 1], in[i + 2], 0 };
            *out++ = (char) strtoul(hex, NULL, 16);
            i += 3;
        } else {
            *out++ = in[i++];
        }
    }
    *out = 0;
}

static int parse(const char *s, struct spec *sp) {
    if (s == NULL || strncmp(s, "fake-", 5) != 0) return 0;
    memset(sp, 0, sizeof *sp);
    const char *p = s + 5;
    while (*p && *p != '.') {
        const char *end = p;
        while (*end && *end != '_' && *end != '.') end++;
        size_t n = end - p;
        switch (*p) {
        case 's': sp->sleep_ms = atoi(p + 1); break;
        case 'e': sp->has_err = 1; sp->err = atoi(p + 1); break;
        case 'o': sp->empty = 1; break;
        case 'n': sp->has_name = 1; unescape(sp->name, p + 1, n - 1); break;
        case 'a': if (sp->naliases < 8) unescape(sp->aliases[sp->naliases++], p + 1, n - 1); break;
        case 'i':
            if (sp->naddrs < 16) {
                if (p[1] == '-') {
                    sp->addr_null[sp->naddrs] = 1;
                } else {
                    unsigned long v = strtoul(p + 1, NULL, 16);
                    sp->addrs[sp->naddrs][0] = v >> 24; sp->addrs[sp->naddrs][1] = v >> 16;
                    sp->addrs[sp->naddrs][2] = v >> 8; sp->addrs[sp->naddrs][3] = v;
                }
                sp->naddrs++;
            }
            break;
        }
        p = *end == '_' ? end + 1 : end;
    }
    return 1;
}

static struct hostent he;
static char he_name[256];
static char *he_aliases[9];
static char he_alias_buf[8][256];
static char *he_addrs[17];
static unsigned char he_addr_buf[16][4];

static struct hostent *fill(const char *name, char aliases[][256], int naliases,
                            unsigned char addrs[][4], int naddrs) {
    strcpy(he_name, name);
    he.h_name = he_name;
    for (int i = 0; i < naliases; i++) {
        strcpy(he_alias_buf[i], aliases[i]);
        he_aliases[i] = he_alias_buf[i];
    }
    he_aliases[naliases] = NULL;
    he.h_aliases = he_aliases;
    he.h_addrtype = AF_INET;
    he.h_length = 4;
    for (int i = 0; i < naddrs; i++) {
        memcpy(he_addr_buf[i], addrs[i], 4);
        he_addrs[i] = (char *) he_addr_buf[i];
    }
    he_addrs[naddrs] = NULL;
    he.h_addr_list = he_addrs;
    return &he;
}

struct hostent *gethostbyname(const char *name) {
    struct spec sp;
    if (!parse(name, &sp)) {
        struct hostent *(*real)(const char *) = dlsym(RTLD_NEXT, "gethostbyname");
        return real(name);
    }
    nap(sp.sleep_ms);
    if (sp.has_err) { h_errno = sp.err; return NULL; }
    unsigned char addrs[16][4];
    int n = 0;
    for (int i = 0; i < sp.naddrs && !sp.empty; i++) {
        if (!sp.addr_null[i]) memcpy(addrs[n++], sp.addrs[i], 4);
    }
    return fill(sp.has_name ? sp.name : "fake", sp.aliases, sp.naliases, addrs, n);
}

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                struct addrinfo **res) {
    struct spec sp;
    if (!parse(node, &sp)) {
        int (*real)(const char *, const char *, const struct addrinfo *, struct addrinfo **) =
            dlsym(RTLD_NEXT, "getaddrinfo");
        return real(node, service, hints, res);
    }
    nap(sp.sleep_ms);
    if (sp.has_err) return sp.err;
    struct addrinfo *head = NULL, **next = &head;
    for (int i = 0; i < sp.naddrs && !sp.empty; i++) {
        struct addrinfo *ai = calloc(1, sizeof *ai);
        ai->ai_flags = MAGIC;
        ai->ai_family = AF_INET6;
        ai->ai_socktype = SOCK_STREAM;
        if (!sp.addr_null[i]) {
            struct sockaddr_in6 *sin6 = calloc(1, sizeof *sin6);
            sin6->sin6_family = AF_INET6;
            unsigned char a[16] = { 0x20, 0x01, 0x0d, 0xb8 };
            memcpy(a + 12, sp.addrs[i], 4);
            memcpy(&sin6->sin6_addr, a, 16);
            ai->ai_addr = (struct sockaddr *) sin6;
            ai->ai_addrlen = sizeof *sin6;
        }
        const char *canon = i == 0 ? (sp.has_name ? sp.name : NULL)
                                   : (i - 1 < sp.naliases ? sp.aliases[i - 1] : NULL);
        ai->ai_canonname = canon ? strdup(canon) : NULL;
        *next = ai;
        next = &ai->ai_next;
    }
    *res = head;
    return 0;
}

void freeaddrinfo(struct addrinfo *res) {
    if (res != NULL && res->ai_flags == MAGIC) return; /* ours: a test's leak */
    void (*real)(struct addrinfo *) = dlsym(RTLD_NEXT, "freeaddrinfo");
    real(res);
}

struct hostent *gethostbyaddr(const void *addr, socklen_t len, int type) {
    const unsigned char *a = addr;
    if (type != AF_INET || len != 4 || a[0] != 192 || a[1] != 0 || a[2] != 2) {
        struct hostent *(*real)(const void *, socklen_t, int) = dlsym(RTLD_NEXT, "gethostbyaddr");
        return real(addr, len, type);
    }
    int x = a[3];
    unsigned char asked[1][4], three[3][4] = { { 0 }, { 10, 0, 0, 1 }, { 0 } };
    char aliases[2][256] = { "alias-b", "alias-a" };
    memcpy(asked[0], a, 4);
    memcpy(three[0], a, 4);
    memcpy(three[2], a, 4);
    if (x >= 50) { nap((x - 50) * 100); return fill("slow", NULL, 0, asked, 1); }
    if (x >= 10) { h_errno = x - 11; return NULL; }
    switch (x) {
    case 1: return fill("ptr-one", aliases, 2, three, 3);
    case 2: return fill("", NULL, 0, asked, 1);
    case 3: return fill("h\\xe9\\xff", NULL, 0, asked, 1);
    case 4: return fill("empty", NULL, 0, asked, 0);
    default: h_errno = HOST_NOT_FOUND; return NULL;
    }
}

int getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen,
                char *serv, socklen_t servlen, int flags) {
    static const unsigned char prefix[15] = { 0x20, 0x01, 0x0d, 0xb8 };
    const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *) sa;
    if (sa->sa_family != AF_INET6 || memcmp(&sin6->sin6_addr, prefix, 15) != 0) {
        int (*real)(const struct sockaddr *, socklen_t, char *, socklen_t, char *, socklen_t, int) =
            dlsym(RTLD_NEXT, "getnameinfo");
        return real(sa, salen, host, hostlen, serv, servlen, flags);
    }
    int x = sin6->sin6_addr.s6_addr[15];
    const char *name;
    if (x >= 50) { nap((x - 50) * 100); name = "slow6"; }
    else if (x >= 20) return x == 33 ? 1 : -(x - 20);
    else if (x == 1) name = "ptr6-one";
    else if (x == 2) name = "";
    else if (x == 3) name = "h\\xe9\\xff";
    else return EAI_NONAME;
    strcpy(host, name);
    return 0;
}
""";
}
