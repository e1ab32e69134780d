package jinet.inet.nativeres;

import java.util.List;

/**
 * The four libc lookups inet_gethost's workers make, with their answers copied out of libc's
 * memory. Byte strings are C strings without their NUL. Tests put a scripted libc here.
 */
interface Netdb {
    // <netdb.h>, glibc
    int AF_INET = 2;
    int AF_INET6 = 10;
    int SOCK_STREAM = 1;
    int AI_CANONNAME = 0x2;
    int NI_NAMEREQD = 8;
    int NI_MAXHOST = 1025;

    /** A {@code struct hostent}: every address is {@code length} bytes. */
    record Hostent(byte[] name, List<byte[]> aliases, int length, List<byte[]> addresses) {
    }

    /** The hostent, or null and the h_errno value. */
    record HostResult(Hostent hostent, int hErrno) {
    }

    /**
     * One {@code struct addrinfo}: the 16 bytes at the place of a sockaddr_in6's address (null
     * when ai_addr is NULL) and ai_canonname (null when NULL).
     */
    record AddrInfo(byte[] in6Addr, byte[] canonName) {
    }

    /** getaddrinfo's return value and, when it is 0, the list. */
    record AddrInfoResult(int status, List<AddrInfo> entries) {
    }

    /** getnameinfo's return value and, when it is 0, the host name. */
    record NameInfoResult(int status, byte[] host) {
    }

    HostResult gethostbyname(byte[] name);

    HostResult gethostbyaddr(byte[] addr, int type);

    AddrInfoResult getaddrinfo(byte[] node, int flags, int family, int socktype);

    /** For a sockaddr_in6 holding {@code addr}, port, flow info and scope id 0. */
    NameInfoResult getnameinfo6(byte[] addr, int flags);
}
