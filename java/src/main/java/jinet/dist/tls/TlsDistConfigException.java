package jinet.dist.tls;

/**
 * The TLS distribution configuration cannot be used: a bad or unreadable option file, an
 * option or value erl would reject, or one jinet does not implement. The message names the
 * culprit and is meant for the user as is; the node must not start.
 */
public final class TlsDistConfigException extends Exception {
    public TlsDistConfigException(String message) {
        super(message);
    }

    public TlsDistConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
