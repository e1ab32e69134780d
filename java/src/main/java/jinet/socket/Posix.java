package jinet.socket;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;
import java.util.HashMap;
import java.util.Map;
import jinet.inet.Errno;
import jinet.inet.libc.Libc;

/**
 * The POSIX error atom BEAM would give for a failed socket call. epoll reports errno itself;
 * where only a message is left (a connect, or NIO) the message is libc's strerror text.
 */
final class Posix {
    private static volatile Map<String, String> byMessage;
    private static final java.util.regex.Pattern ERRNO = java.util.regex.Pattern.compile("error\\(-(\\d+)\\)");

    private Posix() {
    }

    static String reason(Throwable t) {
        // Netty wraps what the kernel said (a ChannelException around a NativeIoException)
        while (t.getCause() != null && !(t instanceof Errors.NativeIoException) && !(t instanceof IOException)) {
            t = t.getCause();
        }
        if (t instanceof Errors.NativeIoException) {
            return Errno.name(-((Errors.NativeIoException) t).expectedErr());
        }
        if (t instanceof ConnectTimeoutException) {
            return "timeout";
        }
        if (t instanceof ClosedChannelException) {
            return "closed";
        }
        String m = t.getMessage();
        if (m != null && m.matches("e[a-z0-9]+") && !Errno.isUnknown(m)) {
            return m; // an errno name put there by SockOpt
        }
        if (m != null) {
            // Netty's connect errors name the errno: "connect(..) failed with error(-111): ..."
            java.util.regex.Matcher errno = ERRNO.matcher(m);
            if (errno.find()) {
                return Errno.name(Integer.parseInt(errno.group(1)));
            }
            for (Map.Entry<String, String> e : messages().entrySet()) {
                if (m.endsWith(e.getKey()) || m.contains(": " + e.getKey() + ":")) {
                    return e.getValue();
                }
            }
        }
        if (t instanceof java.io.FileNotFoundException) {
            return "enoent"; // a local socket's path that is not there
        }
        if (t instanceof BindException) {
            return "eaddrinuse";
        }
        if (t instanceof NoRouteToHostException) {
            return "ehostunreach";
        }
        if (t instanceof ConnectException) {
            return "econnrefused";
        }
        return t instanceof IOException ? "eio" : "einval";
    }

    private static Map<String, String> messages() {
        Map<String, String> m = byMessage;
        if (m == null) {
            m = new HashMap<>();
            for (int errno = 1; errno < 134; errno++) {
                String name = Errno.name(errno);
                if (!name.equals("unknown")) {
                    try {
                        m.put(Libc.INSTANCE.strerror(errno), name);
                    } catch (RuntimeException | LinkageError e) {
                        break;
                    }
                }
            }
            byMessage = m;
        }
        return m;
    }
}
