package jinet.inet.nativeres;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The resolver calls of glibc that inet_gethost makes, in their reentrant forms: the port program
 * calls gethostbyname and gethostbyaddr, but each of its workers is a process of its own, while
 * here lookups run on many threads of one process. The _r forms are what glibc's own
 * non-reentrant wrappers call, so the answers are the same.
 */
interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    /** Strings must end in a NUL byte; {@code buflen} is a size_t. */
    int gethostbyname_r(byte[] name, Pointer ret, Pointer buf, NativeLong buflen,
            PointerByReference result, IntByReference hErrno);

    int gethostbyaddr_r(byte[] addr, int len, int type, Pointer ret, Pointer buf, NativeLong buflen,
            PointerByReference result, IntByReference hErrno);

    int getaddrinfo(byte[] node, Pointer service, Pointer hints, PointerByReference res);

    void freeaddrinfo(Pointer res);

    int getnameinfo(byte[] sa, int salen, byte[] host, int hostlen, Pointer serv, int servlen, int flags);
}
