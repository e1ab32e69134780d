package jinet.inet.ifaddrs;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the list getifaddrs(3) returns, decoding {@code struct ifaddrs} and the sockaddrs by hand,
 * and keeps what OTP's inet driver keeps (inet_drv.c, inet_ctl_getifaddrs): for each entry the
 * name and flags; for AF_INET/AF_INET6 the address, the netmask, and the destination address when
 * the interface is point-to-point, else the broadcast address when it is broadcast; for AF_PACKET
 * the hardware address when it has at least 2 bytes; nothing more for other families.
 */
public final class IfAddrsDecoder {
    static final int AF_UNSPEC = 0;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_PACKET = 17;

    // <net/if.h>
    static final int IFF_UP = 0x1;
    static final int IFF_BROADCAST = 0x2;
    static final int IFF_LOOPBACK = 0x8;
    static final int IFF_POINTOPOINT = 0x10;
    static final int IFF_MULTICAST = 0x1000;

    private static final int P = Native.POINTER_SIZE;
    // struct ifaddrs { next; name; unsigned flags; addr; netmask; union {broad,dst}; data; }
    private static final long OFF_NEXT = 0;
    private static final long OFF_NAME = P;
    private static final long OFF_FLAGS = 2L * P;
    private static final long OFF_ADDR = 3L * P;
    private static final long OFF_NETMASK = 4L * P;
    private static final long OFF_IFU = 5L * P;

    private IfAddrsDecoder() {
    }

    public static List<DriverEntry> decode(Pointer head) {
        List<DriverEntry> out = new ArrayList<>();
        for (Pointer ifa = head; ifa != null; ifa = ifa.getPointer(OFF_NEXT)) {
            out.add(decodeOne(ifa));
        }
        return out;
    }

    private static DriverEntry decodeOne(Pointer ifa) {
        Pointer namePtr = ifa.getPointer(OFF_NAME);
        String name = namePtr == null ? "" : latin1(namePtr);
        int flags = ifa.getInt(OFF_FLAGS);
        List<IfOpt> opts = new ArrayList<>();
        opts.add(IfOpt.flags(flagAtoms(flags)));
        Pointer addr = ifa.getPointer(OFF_ADDR);
        if (addr != null) {
            int family = family(addr);
            if (family == AF_INET || family == AF_INET6) {
                add(opts, "addr", addr);
                add(opts, "netmask", ifa.getPointer(OFF_NETMASK));
                Pointer ifu = ifa.getPointer(OFF_IFU);
                if (ifu != null && (flags & IFF_POINTOPOINT) != 0) {
                    add(opts, "dstaddr", ifu);
                } else if (ifu != null && (flags & IFF_BROADCAST) != 0) {
                    add(opts, "broadaddr", ifu);
                }
            } else if (family == AF_PACKET) {
                int halen = addr.getByte(11) & 0xff; // sockaddr_ll.sll_halen
                if (2 + halen > 3) {
                    opts.add(IfOpt.of("hwaddr", unsigned(addr.getByteArray(12, halen))));
                }
            }
        }
        return new DriverEntry(name, opts);
    }

    /** The driver's flag word as prim_inet decodes it; "running" is the driver's emulation: IFF_UP. */
    public static List<String> flagAtoms(int flags) {
        List<String> out = new ArrayList<>();
        if ((flags & IFF_UP) != 0) out.add("up");
        if ((flags & IFF_BROADCAST) != 0) out.add("broadcast");
        if ((flags & IFF_LOOPBACK) != 0) out.add("loopback");
        if ((flags & IFF_POINTOPOINT) != 0) out.add("pointtopoint");
        if ((flags & IFF_UP) != 0) out.add("running");
        if ((flags & IFF_MULTICAST) != 0) out.add("multicast");
        return out;
    }

    /** sockaddr_to_buf: AF_INET (or family 0) and AF_INET6 give an address; others nothing. */
    private static void add(List<IfOpt> opts, String kind, Pointer sa) {
        if (sa == null) {
            return;
        }
        int[] words = address(sa);
        if (words != null) {
            opts.add(IfOpt.of(kind, words));
        }
    }

    /** The address of a sockaddr_in (family 0 read as one) or sockaddr_in6, else null. */
    static int[] address(Pointer sa) {
        int family = family(sa);
        if (family == AF_INET || family == AF_UNSPEC) {
            return unsigned(sa.getByteArray(4, 4)); // sin_addr
        }
        if (family == AF_INET6) {
            byte[] b = sa.getByteArray(8, 16); // sin6_addr; the scope id is not part of it
            int[] words = new int[8];
            for (int k = 0; k < 8; k++) {
                words[k] = ((b[2 * k] & 0xff) << 8) | (b[2 * k + 1] & 0xff);
            }
            return words;
        }
        return null;
    }

    static int family(Pointer sa) {
        return sa.getShort(0) & 0xffff;
    }

    private static int[] unsigned(byte[] bytes) {
        int[] out = new int[bytes.length];
        for (int k = 0; k < bytes.length; k++) {
            out[k] = bytes[k] & 0xff;
        }
        return out;
    }

    private static String latin1(Pointer p) {
        int n = 0;
        while (p.getByte(n) != 0) {
            n++;
        }
        return new String(p.getByteArray(0, n), StandardCharsets.ISO_8859_1);
    }
}
