package jinet.dist;

import com.ericsson.otp.erlang.OtpEpmd;
import com.ericsson.otp.erlang.OtpMbox;
import com.ericsson.otp.erlang.OtpNode;
import java.io.IOException;
import java.net.InetAddress;

/**
 * The distribution runtime: today JInterface's {@link OtpNode} (handshake, connections,
 * mailboxes); the call protocols only see named mailboxes, so a runtime of jinet's own can
 * replace it without touching them.
 */
public final class JinetNode implements AutoCloseable {
    private final OtpNode node;

    private JinetNode(OtpNode node) {
        this.node = node;
    }

    /** Starts the node and registers it with EPMD; fails if the name is taken. */
    public static JinetNode start(String fullName, String cookie) throws IOException {
        OtpNode node = new OtpNode(fullName, cookie);
        // JInterface ignores a refused registration; erl does not start under a taken name.
        if (!registered(node)) {
            node.close();
            throw new IOException("the name " + fullName + " seems to be in use by another Erlang node");
        }
        return new JinetNode(node);
    }

    /** Asks the local EPMD by NAMES, which needs no resolvable host name. */
    private static boolean registered(OtpNode node) throws IOException {
        String expected = "name " + node.alive() + " at port " + node.port();
        for (String line : OtpEpmd.lookupNames(InetAddress.getLoopbackAddress())) {
            if (line.trim().equals(expected)) {
                return true;
            }
        }
        return false;
    }

    public String name() {
        return node.node();
    }

    /** A mailbox registered under {@code name}, as a registered process would be. */
    public OtpMbox registeredMailbox(String name) {
        OtpMbox mbox = node.createMbox(name);
        if (mbox == null) {
            throw new IllegalStateException("name already registered: " + name);
        }
        return mbox;
    }

    /** Unregisters from EPMD and closes every connection. */
    @Override
    public void close() {
        node.close();
    }
}
