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
