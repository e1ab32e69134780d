package jinet.inet.libc;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The process's glibc through JNA, the one binding the node uses. Calls declared to throw
 * {@link LastErrorException} report errno that way; byte[] strings must end in a NUL byte.
 */
public interface Libc extends Library {
    Libc INSTANCE = Native.load("c", Libc.class);

    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    int O_PATH = 0x200000;

    // glibc: LC_CTYPE is category 0; CODESET is _NL_ITEM(LC_CTYPE, 14).
    int LC_CTYPE_MASK = 1;
    int CODESET = 14;

    Pointer newlocale(int categoryMask, String locale, Pointer base);

    String nl_langinfo_l(int item, Pointer locale);

    void freelocale(Pointer locale);

    int open(byte[] path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;
}
