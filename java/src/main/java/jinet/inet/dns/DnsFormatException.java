package jinet.inet.dns;

/**
 * {@code inet_dns:decode/1} returned {@code {error, formerr}}: the message does not parse. The
 * message text says which clause refused it; callers only need the fact.
 */
public final class DnsFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public DnsFormatException(String why) {
        // Thrown for every malformed packet a server sends: no stack trace to fill in.
        super(why, null, false, false);
    }
}
