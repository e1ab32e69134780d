package jinet.dist;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * This node as the handshake sees it: its full name, cookie and creation. The cookie never
 * leaves this class except as a digest.
 */
public final class NodeIdentity {
    private final String name;
    private final byte[] cookie;
    private volatile int creation;

    public NodeIdentity(String name, String cookie) {
        if (name.indexOf('@') <= 0) {
            throw new IllegalArgumentException("not a node name: " + name);
        }
        this.name = name;
        this.cookie = cookie.getBytes(StandardCharsets.ISO_8859_1);
    }

    public String name() {
        return name;
    }

    /** The part before the {@code @}: what EPMD knows the node by. */
    public String alive() {
        return name.substring(0, name.indexOf('@'));
    }

    public String host() {
        return name.substring(name.indexOf('@') + 1);
    }

    public int creation() {
        return creation;
    }

    /** Set once EPMD has given this incarnation its number, before any connection is made. */
    public void setCreation(int creation) {
        this.creation = creation;
    }

    /** {@code md5(Cookie ++ integer_to_list(Challenge))}, the challenge read as unsigned. */
    byte[] digest(int challenge) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(cookie);
            md5.update(Long.toString(challenge & 0xffffffffL).getBytes(StandardCharsets.ISO_8859_1));
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no MD5 in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
