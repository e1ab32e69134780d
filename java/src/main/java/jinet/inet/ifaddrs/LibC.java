package jinet.inet.ifaddrs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/** The few libc calls getifaddrs needs, through JNA; failures raise {@link LastErrorException}. */
interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    int CLONE_NEWNET = 0x40000000;
    int AF_INET = 2;
    int SOCK_DGRAM = 2;

    int getifaddrs(PointerByReference ifap) throws LastErrorException;

    void freeifaddrs(Pointer ifa);

    /** {@code path} must end in a NUL byte. */
    int open(byte[] path, int flags) throws LastErrorException;

    int setns(int fd, int nstype) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, byte[] addr, int len) throws LastErrorException;

    int getsockname(int fd, byte[] addr, int[] len) throws LastErrorException;
}
