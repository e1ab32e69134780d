package jinet.inet.nativeres;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One worker of OTP's inet_gethost port program (erts/etc/common/inet_gethost.c, worker_loop) as
 * built for Linux, where configure finds getaddrinfo and getnameinfo: IPv4 goes through
 * gethostbyname and gethostbyaddr, IPv6 through getaddrinfo and getnameinfo.
 */
final class PortProgram {
    static final int OP_GETHOSTBYNAME = 1;
    static final int OP_GETHOSTBYADDR = 2;
    static final int PROTO_IPV4 = 1;
    static final int PROTO_IPV6 = 2;

    // <netdb.h> h_errno values
    private static final int HOST_NOT_FOUND = 1;
    private static final int TRY_AGAIN = 2;
    private static final int NO_RECOVERY = 3;
    private static final int NO_DATA = 4;
    // glibc's EAI_* (EAI_NODATA and EAI_ADDRFAMILY exist: OTP builds with _GNU_SOURCE)
    private static final int EAI_AGAIN = -3;
    private static final int EAI_FAIL = -4;
    private static final int EAI_NODATA = -5;
    private static final int EAI_NONAME = -2;

    private PortProgram() {
    }

    /** The reply to one request; {@code data} is the name (NUL-terminated on the wire) or address. */
    static Reply lookup(Netdb netdb, int op, int proto, byte[] data) {
        if (op == OP_GETHOSTBYNAME) {
            byte[] name = untilNul(data);
            if (proto == PROTO_IPV6) {
                Netdb.AddrInfoResult r = netdb.getaddrinfo(name, Netdb.AI_CANONNAME, Netdb.AF_INET6,
                        Netdb.SOCK_STREAM);
                if (r.status() != 0) {
                    return new Reply.Error(aiError(r.status()));
                }
                // A success without a list leaves error_num at 0, which errcode_to_string's default names.
                return r.entries().isEmpty() ? new Reply.Error("netdb_internal") : fromAddrInfo(r.entries());
            }
            return fromHostent(netdb.gethostbyname(name));
        }
        if (proto == PROTO_IPV6) {
            Netdb.NameInfoResult r = netdb.getnameinfo6(data, Netdb.NI_NAMEREQD);
            if (r.status() != 0) {
                return new Reply.Error(aiError(r.status()));
            }
            // build_reply_ai over one addrinfo holding the asked sockaddr and the found name
            return fromAddrInfo(List.of(new Netdb.AddrInfo(data, r.host())));
        }
        return fromHostent(netdb.gethostbyaddr(data, Netdb.AF_INET));
    }

    /** build_reply: h_length is the unit; the names are h_name, then h_aliases in order. */
    private static Reply fromHostent(Netdb.HostResult r) {
        Netdb.Hostent he = r.hostent();
        if (he == null) {
            return new Reply.Error(hostError(r.hErrno()));
        }
        List<byte[]> names = new ArrayList<>();
        names.add(he.name());
        names.addAll(he.aliases());
        return new Reply.Hosts(he.length(), he.addresses(), names);
    }

    /** build_reply_ai with addrlen 16: every entry with an address, every entry with a canonname. */
    private static Reply fromAddrInfo(List<Netdb.AddrInfo> entries) {
        List<byte[]> addresses = new ArrayList<>();
        List<byte[]> names = new ArrayList<>();
        for (Netdb.AddrInfo ai : entries) {
            if (ai.in6Addr() != null) {
                addresses.add(ai.in6Addr());
            }
            if (ai.canonName() != null) {
                names.add(ai.canonName());
            }
        }
        return new Reply.Hosts(16, addresses, names);
    }

    /** map_netdb_error, then errcode_to_string. */
    static String hostError(int hErrno) {
        switch (hErrno) {
            case HOST_NOT_FOUND:
                return "notfound";
            case TRY_AGAIN:
                return "try_again";
            case NO_RECOVERY:
                return "no_recovery";
            case NO_DATA:
                return "no_data";
            default:
                return "netdb_internal";
        }
    }

    /** map_netdb_error_ai, then errcode_to_string: EAI_FAIL and EAI_NODATA count as not found. */
    static String aiError(int eai) {
        switch (eai) {
            case EAI_AGAIN:
                return "try_again";
            case EAI_FAIL:
            case EAI_NODATA:
            case EAI_NONAME:
                return "notfound";
            default:
                return "netdb_internal";
        }
    }

    private static byte[] untilNul(byte[] data) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == 0) {
                return Arrays.copyOf(data, i);
            }
        }
        return data;
    }
}
