package jinet.inet.ifaddrs;

import jinet.inet.Errno;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import jinet.inet.libc.Libc;
import jinet.term.ErlangException;
import jinet.term.Terms;

/**
 * getifaddrs(3) through libc, in the node's network namespace or, for {@code {netns, Path}}, in
 * the one Path names: there the call runs on a short-lived thread of its own that enters the
 * namespace (setns(2) changes only the calling thread) and then ends, so that no thread of any
 * pool is ever left in a foreign namespace.
 */
public final class GetIfAddrs {
    /** An errno from a system call, named as BEAM names it. */
    static final class PosixError extends Exception {
        final String name;

        PosixError(String name) {
            super(name, null, false, false);
            this.name = name;
        }
    }

    private GetIfAddrs() {
    }

    /** {@code inet:getifaddrs()}. */
    public static OtpErlangObject getifaddrs() {
        return run(new OpenSpec(null, -1, null, 0, null));
    }

    /** {@code inet:getifaddrs(Opts)}. */
    public static OtpErlangObject getifaddrs(OtpErlangObject opts) throws ErlangException {
        return run(UdpOptions.parse(opts));
    }

    private static OtpErlangObject run(OpenSpec spec) {
        try {
            List<DriverEntry> entries = spec.netns() == null ? open(spec) : inNamespace(spec);
            return Terms.ok(IfAddrsComposer.toTerm(IfAddrsComposer.compose(entries)));
        } catch (PosixError e) {
            return Terms.error(e.name);
        }
    }

    /** The raw entries of the node's own namespace (for tests and tools). */
    public static List<DriverEntry> entries() throws PosixError {
        return read();
    }

    private static List<DriverEntry> inNamespace(OpenSpec spec) throws PosixError {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                enter(spec.netns());
                result.set(open(spec));
            } catch (PosixError e) {
                result.set(e);
            } catch (RuntimeException | Error e) {
                result.set(e);
            }
        }, "jinet-netns-getifaddrs");
        t.setDaemon(true);
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Object r = result.get();
        if (r instanceof PosixError e) {
            throw e;
        }
        if (r instanceof RuntimeException e) {
            throw e;
        }
        if (r instanceof Error e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        List<DriverEntry> entries = (List<DriverEntry>) r;
        return entries;
    }

    /** As the driver does it: open the file (up to its first NUL byte), setns, close. */
    private static void enter(byte[] path) throws PosixError {
        byte[] cpath = Arrays.copyOf(path, path.length + 1);
        int fd;
        try {
            fd = Libc.INSTANCE.open(cpath, Libc.O_RDONLY | Libc.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new PosixError(Errno.name(e.getErrorCode()));
        }
        try {
            Libc.INSTANCE.setns(fd, Libc.CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw new PosixError(Errno.name(e.getErrorCode()));
        } finally {
            closeQuietly(fd);
        }
    }

    /** The socket inet_udp:open makes (only where it can fail), then getifaddrs. */
    private static List<DriverEntry> open(OpenSpec spec) throws PosixError {
        if (spec.fd() >= 0) {
            checkFd(spec.fd());
        }
        if (spec.setoptsError() != null) {
            throw new PosixError(spec.setoptsError());
        }
        boolean anyAddr = spec.bindAddr() == null || Arrays.equals(spec.bindAddr(), new int[4]);
        if (spec.fd() < 0 && (!anyAddr || spec.port() != 0)) {
            bind(spec.bindAddr() == null ? new int[4] : spec.bindAddr(), spec.port());
        }
        return read();
    }

    /** prim_inet:fdopen(udp, inet, dgram, Fd, true): the descriptor must be a bound IPv4 socket. */
    private static void checkFd(long fd) throws PosixError {
        if (fd > Integer.MAX_VALUE) {
            throw new PosixError("ebadf");
        }
        byte[] sa = new byte[128];
        int[] len = {sa.length};
        try {
            Libc.INSTANCE.getsockname((int) fd, sa, len);
        } catch (LastErrorException e) {
            throw new PosixError(Errno.name(e.getErrorCode()));
        }
        int family = (sa[0] & 0xff) | (sa[1] & 0xff) << 8;
        if (family != Libc.AF_INET) {
            throw new PosixError("einval");
        }
    }

    private static void bind(int[] addr, int port) throws PosixError {
        int s;
        try {
            s = Libc.INSTANCE.socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
        } catch (LastErrorException e) {
            throw new PosixError(Errno.name(e.getErrorCode()));
        }
        try {
            byte[] sin = new byte[16];
            sin[0] = (byte) Libc.AF_INET; // sin_family, little-endian host order
            sin[2] = (byte) (port >> 8);
            sin[3] = (byte) port;
            for (int k = 0; k < 4; k++) {
                sin[4 + k] = (byte) addr[k];
            }
            Libc.INSTANCE.bind(s, sin, sin.length);
        } catch (LastErrorException e) {
            throw new PosixError(Errno.name(e.getErrorCode()));
        } finally {
            closeQuietly(s);
        }
    }

    private static List<DriverEntry> read() throws PosixError {
        PointerByReference ref = new PointerByReference();
        try {
            Libc.INSTANCE.getifaddrs(ref);
        } catch (LastErrorException e) {
            throw new PosixError(Errno.name(e.getErrorCode()));
        }
        Pointer head = ref.getValue();
        try {
            return IfAddrsDecoder.decode(head);
        } finally {
            if (head != null) {
                Libc.INSTANCE.freeifaddrs(head);
            }
        }
    }

    private static void closeQuietly(int fd) {
        try {
            Libc.INSTANCE.close(fd);
        } catch (LastErrorException ignored) {
            // nothing to do
        }
    }
}
