package jinet.inet.nativeres;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jinet.inet.libc.Libc;

/** {@link Netdb} on the process's own glibc, through JNA; every call is thread-safe. */
final class GlibcNetdb implements Netdb {
    static final GlibcNetdb INSTANCE = new GlibcNetdb();

    private static final int P = Native.POINTER_SIZE;
    // struct hostent { char *h_name; char **h_aliases; int h_addrtype; int h_length; char **h_addr_list; }
    private static final long H_NAME = 0;
    private static final long H_ALIASES = P;
    private static final long H_LENGTH = 2L * P + 4;
    private static final long H_ADDR_LIST = 2L * P + 8;
    private static final long HOSTENT_SIZE = 3L * P + 8;
    // struct addrinfo { int flags, family, socktype, protocol; socklen_t addrlen;
    //                   struct sockaddr *ai_addr; char *ai_canonname; struct addrinfo *ai_next; }
    private static final long AI_FLAGS = 0;
    private static final long AI_FAMILY = 4;
    private static final long AI_SOCKTYPE = 8;
    private static final long AI_ADDR = align(20, P);
    private static final long AI_CANONNAME = AI_ADDR + P;
    private static final long AI_NEXT = AI_ADDR + 2L * P;
    private static final long ADDRINFO_SIZE = AI_ADDR + 3L * P;
    // struct sockaddr_in6 { sa_family_t family; in_port_t port; uint32_t flowinfo; in6_addr; uint32_t scope_id; }
    private static final int SIN6_ADDR = 8;
    private static final int SOCKADDR_IN6_SIZE = 28;

    private static final int ERANGE = 34;
    private static final int NETDB_INTERNAL = -1;
    /** What glibc's gethostbyname starts with before it doubles the buffer on ERANGE. */
    private static final int FIRST_BUFFER = 1024;
    /** Where glibc's realloc would have failed long before (it then answers NETDB_INTERNAL). */
    private static final long LAST_BUFFER = 1L << 26;

    private GlibcNetdb() {
    }

    @Override
    public HostResult gethostbyname(byte[] name) {
        byte[] cname = cString(name);
        return withGrowingBuffer((ret, buf, result, herr) -> Libc.INSTANCE.gethostbyname_r(
                cname, ret, buf, new NativeLong(buf.size()), result, herr));
    }

    @Override
    public HostResult gethostbyaddr(byte[] addr, int type) {
        return withGrowingBuffer((ret, buf, result, herr) -> Libc.INSTANCE.gethostbyaddr_r(
                addr, addr.length, type, ret, buf, new NativeLong(buf.size()), result, herr));
    }

    private interface HostCall {
        int call(Memory ret, Memory buf, PointerByReference result, IntByReference hErrno);
    }

    /** The loop of glibc's non-reentrant wrappers: a bigger buffer while the answer is ERANGE. */
    private static HostResult withGrowingBuffer(HostCall call) {
        try (Memory ret = new Memory(HOSTENT_SIZE)) {
            for (long size = FIRST_BUFFER; size <= LAST_BUFFER; size *= 2) {
                try (Memory buf = new Memory(size)) {
                    PointerByReference result = new PointerByReference();
                    IntByReference herr = new IntByReference(0);
                    int rc = call.call(ret, buf, result, herr);
                    if (rc == ERANGE && herr.getValue() == NETDB_INTERNAL) {
                        continue;
                    }
                    Pointer he = result.getValue();
                    return he == null ? new HostResult(null, herr.getValue()) : new HostResult(hostent(he), 0);
                }
            }
            return new HostResult(null, NETDB_INTERNAL);
        }
    }

    private static Hostent hostent(Pointer he) {
        int length = he.getInt(H_LENGTH);
        List<byte[]> aliases = new ArrayList<>();
        Pointer aliasList = he.getPointer(H_ALIASES);
        if (aliasList != null) {
            for (int i = 0; aliasList.getPointer((long) i * P) != null; i++) {
                aliases.add(bytes(aliasList.getPointer((long) i * P)));
            }
        }
        List<byte[]> addresses = new ArrayList<>();
        Pointer addrList = he.getPointer(H_ADDR_LIST);
        for (int i = 0; addrList.getPointer((long) i * P) != null; i++) {
            addresses.add(addrList.getPointer((long) i * P).getByteArray(0, length));
        }
        return new Hostent(bytes(he.getPointer(H_NAME)), aliases, length, addresses);
    }

    @Override
    public AddrInfoResult getaddrinfo(byte[] node, int flags, int family, int socktype) {
        try (Memory hints = new Memory(ADDRINFO_SIZE)) {
            hints.clear();
            hints.setInt(AI_FLAGS, flags);
            hints.setInt(AI_FAMILY, family);
            hints.setInt(AI_SOCKTYPE, socktype);
            PointerByReference res = new PointerByReference();
            int status = Libc.INSTANCE.getaddrinfo(cString(node), null, hints, res);
            if (status != 0) {
                return new AddrInfoResult(status, List.of());
            }
            Pointer head = res.getValue();
            try {
                List<AddrInfo> entries = new ArrayList<>();
                for (Pointer ai = head; ai != null; ai = ai.getPointer(AI_NEXT)) {
                    Pointer sa = ai.getPointer(AI_ADDR);
                    Pointer canon = ai.getPointer(AI_CANONNAME);
                    entries.add(new AddrInfo(sa == null ? null : sa.getByteArray(SIN6_ADDR, 16),
                            canon == null ? null : bytes(canon)));
                }
                return new AddrInfoResult(0, entries);
            } finally {
                if (head != null) {
                    Libc.INSTANCE.freeaddrinfo(head);
                }
            }
        }
    }

    @Override
    public NameInfoResult getnameinfo6(byte[] addr, int flags) {
        byte[] sin6 = new byte[SOCKADDR_IN6_SIZE];
        ByteBuffer.wrap(sin6).order(ByteOrder.nativeOrder()).putShort(0, (short) AF_INET6);
        System.arraycopy(addr, 0, sin6, SIN6_ADDR, 16);
        byte[] host = new byte[NI_MAXHOST];
        int status = Libc.INSTANCE.getnameinfo(sin6, sin6.length, host, host.length, null, 0, flags);
        if (status != 0) {
            return new NameInfoResult(status, null);
        }
        int end = 0;
        while (end < host.length && host[end] != 0) {
            end++;
        }
        return new NameInfoResult(0, Arrays.copyOf(host, end));
    }

    private static byte[] bytes(Pointer cstr) {
        if (cstr == null) {
            return new byte[0];
        }
        long len = cstr.indexOf(0, (byte) 0);
        return cstr.getByteArray(0, (int) len);
    }

    private static byte[] cString(byte[] s) {
        return Arrays.copyOf(s, s.length + 1);
    }

    private static long align(long offset, int to) {
        return (offset + to - 1) / to * to;
    }
}
