package jinet.inet.libc;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The process's glibc through JNA, the one binding the node uses. Calls declared to throw
 * {@link LastErrorException} report errno that way; byte[] strings must end in a NUL byte.
 */
public interface Libc extends Library {
    Libc INSTANCE = load();

    /**
     * glibc by its soname, which dlopen finds at once; JNA's "c" first tries libc.so (a linker script where
     * libc6-dev is installed) and then runs {@code ldconfig -p} to search for it. "c" where there is no libc.so.6.
     */
    private static Libc load() {
        if (com.sun.jna.Platform.isLinux()) {
            try {
                return Native.load("libc.so.6", Libc.class);
            } catch (UnsatisfiedLinkError e) {
                // not glibc: JNA's own search
            }
        }
        return Native.load("c", Libc.class);
    }

    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    int O_PATH = 0x200000;
    int CLONE_NEWNET = 0x40000000;
    int AF_INET = 2;
    int SOCK_DGRAM = 2;

    // glibc: LC_CTYPE is category 0; CODESET is _NL_ITEM(LC_CTYPE, 14).
    int LC_CTYPE_MASK = 1;
    int CODESET = 14;

    Pointer newlocale(int categoryMask, String locale, Pointer base);

    String nl_langinfo_l(int item, Pointer locale);

    void freelocale(Pointer locale);

    String strerror(int errnum);

    int open(byte[] path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    // getifaddrs, in the caller's or another network namespace.

    int getifaddrs(PointerByReference ifap) throws LastErrorException;

    void freeifaddrs(Pointer ifa);

    int setns(int fd, int nstype) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, byte[] addr, int len) throws LastErrorException;

    int getsockname(int fd, byte[] addr, int[] len) throws LastErrorException;

    // Socket options as the inet driver sets them, on any socket's descriptor: an int, or for
    // SO_LINGER two ints. len is a socklen_t.

    int shutdown(int fd, int how) throws LastErrorException;

    /** len is a size_t; addr null with addrlen 0 for a connected socket. */
    int sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrlen) throws LastErrorException;

    int getsockopt(int fd, int level, int optname, int[] optval, int[] optlen) throws LastErrorException;

    int setsockopt(int fd, int level, int optname, int[] optval, int optlen) throws LastErrorException;

    // The resolver calls inet_gethost makes, in their reentrant forms: the port program's workers
    // are processes of their own, here lookups run on many threads of one process, and the _r
    // forms are what glibc's non-reentrant wrappers call, so the answers are the same.
    // buflen is a size_t.

    int gethostbyname_r(byte[] name, Pointer ret, Pointer buf, NativeLong buflen,
            PointerByReference result, IntByReference hErrno);

    int gethostbyaddr_r(byte[] addr, int len, int type, Pointer ret, Pointer buf, NativeLong buflen,
            PointerByReference result, IntByReference hErrno);

    int getaddrinfo(byte[] node, Pointer service, Pointer hints, PointerByReference res);

    void freeaddrinfo(Pointer res);

    int getnameinfo(byte[] sa, int salen, byte[] host, int hostlen, Pointer serv, int servlen, int flags);
}
