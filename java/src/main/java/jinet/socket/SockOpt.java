package jinet.socket;

import com.sun.jna.LastErrorException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.unix.UnixChannel;
import jinet.inet.Errno;
import jinet.inet.libc.Libc;

/**
 * A kernel socket option read and written on the socket's descriptor, as the inet driver does
 * it: the same call for every kind of socket (listening, connected, datagram, local), and the
 * kernel's own refusal where an option does not apply to one. Netty's channel options differ
 * by channel class and set some options on their own (TCP_NODELAY on every new connection).
 */
final class SockOpt {
    static final int SOL_SOCKET = 1;
    static final int IPPROTO_IP = 0;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_IPV6 = 41;

    final int level;
    final int name;

    SockOpt(int level, int name) {
        this.level = level;
        this.name = name;
    }

    /** The option's value; null where the socket has no such option (ENOPROTOOPT, EOPNOTSUPP). */
    Integer get(Channel ch) {
        int[] v = new int[2];
        try {
            Libc.INSTANCE.getsockopt(fd(ch), level, name, v, new int[] {4});
            return v[0];
        } catch (LastErrorException e) {
            if (notApplicable(e)) {
                return null;
            }
            throw new ChannelException(Errno.name(e.getErrorCode()));
        }
    }

    void set(Channel ch, int value) {
        try {
            Libc.INSTANCE.setsockopt(fd(ch), level, name, new int[] {value}, 4);
        } catch (LastErrorException e) {
            throw new ChannelException(Errno.name(e.getErrorCode()));
        }
    }

    /** SO_LINGER: {onoff, seconds}. */
    static int[] getLinger(Channel ch) {
        int[] v = new int[2];
        try {
            Libc.INSTANCE.getsockopt(fd(ch), SOL_SOCKET, 13, v, new int[] {8});
            return v;
        } catch (LastErrorException e) {
            throw new ChannelException(Errno.name(e.getErrorCode()));
        }
    }

    static void setLinger(Channel ch, boolean on, int seconds) {
        try {
            Libc.INSTANCE.setsockopt(fd(ch), SOL_SOCKET, 13, new int[] {on ? 1 : 0, seconds}, 8);
        } catch (LastErrorException e) {
            throw new ChannelException(Errno.name(e.getErrorCode()));
        }
    }

    /**
     * shutdown(2) itself, as gen_tcp:shutdown/2 makes it: Netty's shutdowns fail or do nothing
     * where the kernel answers otherwise (a read side the peer already closed is still ok).
     * Returns null, or the errno name.
     */
    static String shutdown(Channel ch, int how) {
        try {
            Libc.INSTANCE.shutdown(fd(ch), how);
            return null;
        } catch (LastErrorException e) {
            return Errno.name(e.getErrorCode());
        }
    }

    /**
     * Sends a datagram with no data, which Netty's datagram channels skip and the kernel (and
     * BEAM) send: to {@code to}, or the connected peer when it is null. Null, or the errno name.
     */
    static String sendEmpty(Channel ch, java.net.SocketAddress to) {
        byte[] addr = to == null ? null : sockaddr(to);
        try {
            Libc.INSTANCE.sendto(fd(ch), new byte[1], new com.sun.jna.NativeLong(0), 0, addr,
                    addr == null ? 0 : addr.length);
            return null;
        } catch (LastErrorException e) {
            return Errno.name(e.getErrorCode());
        }
    }

    /** struct sockaddr_in, sockaddr_in6 or sockaddr_un, as Linux lays them out. */
    private static byte[] sockaddr(java.net.SocketAddress to) {
        java.nio.ByteBuffer b;
        if (to instanceof io.netty.channel.unix.DomainSocketAddress) {
            byte[] path = ((io.netty.channel.unix.DomainSocketAddress) to).path()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            b = java.nio.ByteBuffer.allocate(2 + path.length + 1).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.putShort((short) 1).put(path).put((byte) 0);
            return b.array();
        }
        java.net.InetSocketAddress a = (java.net.InetSocketAddress) to;
        byte[] ip = a.getAddress().getAddress();
        boolean six = ip.length == 16;
        b = java.nio.ByteBuffer.allocate(six ? 28 : 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) (six ? 10 : 2));
        b.order(java.nio.ByteOrder.BIG_ENDIAN).putShort((short) a.getPort());
        if (six) {
            b.putInt(0).put(ip).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putInt(((java.net.Inet6Address) a.getAddress()).getScopeId());
        } else {
            b.put(ip);
        }
        return b.array();
    }

    private static boolean notApplicable(LastErrorException e) {
        int errno = e.getErrorCode();
        return errno == 92 || errno == 95; // ENOPROTOOPT, EOPNOTSUPP
    }

    private static int fd(Channel ch) {
        if (!(ch instanceof UnixChannel)) {
            throw new ChannelException("eopnotsupp");
        }
        int fd = ((UnixChannel) ch).fd().intValue();
        if (fd < 0) {
            throw new ChannelException("einval");
        }
        return fd;
    }
}
