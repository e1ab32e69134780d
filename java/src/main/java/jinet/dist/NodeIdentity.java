package jinet.dist;

import com.ericsson.otp.erlang.AbstractNode;
import com.ericsson.otp.erlang.OtpLocalNode;
import com.ericsson.otp.erlang.OtpTransport;
import java.lang.reflect.Field;

/**
 * This node as the handshake and the term codec see it: name, cookie, creation, pid and
 * reference counters, and the distribution flags jinet advertises. JInterface keeps the flags
 * package-private and fixed to what its own runtime implements; jinet's runtime implements more,
 * so it sets them here, once, before any handshake.
 */
final class NodeIdentity extends OtpLocalNode {
    static final long DFLAG_DIST_MONITOR = 0x08;
    static final long DFLAG_DIST_MONITOR_NAME = 0x20;
    static final long DFLAG_SPAWN = 1L << 32;

    /** What this runtime implements beyond JInterface's defaults. */
    static final long EXTRA_FLAGS = DFLAG_DIST_MONITOR | DFLAG_DIST_MONITOR_NAME | DFLAG_SPAWN;

    NodeIdentity(String name, String cookie) {
        super(name, cookie);
        addFlags(EXTRA_FLAGS);
    }

    void setListenPort(int listenPort) {
        this.port = listenPort;
    }

    OtpTransport epmdConnection() {
        return getEpmd();
    }

    void forgetEpmdConnection() {
        setEpmd(null);
    }

    private void addFlags(long extra) {
        try {
            Field f = AbstractNode.class.getDeclaredField("flags");
            f.setAccessible(true);
            f.setLong(this, f.getLong(this) | extra);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this JInterface keeps its distribution flags elsewhere; "
                    + "jinet cannot advertise spawn and monitors", e);
        }
    }
}
