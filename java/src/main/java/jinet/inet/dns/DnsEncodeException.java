package jinet.inet.dns;

/**
 * Where {@code inet_dns:encode/1} raises: the Erlang exception class ({@code error}) and reason
 * atom ({@code function_clause} for a name with a character above 255 or an empty or over-63-byte
 * label, {@code badarg} for a name over 255 bytes on the wire), for the caller to re-raise.
 */
public final class DnsEncodeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String erlangClass;
    private final String reason;

    public DnsEncodeException(String erlangClass, String reason, String why) {
        super(erlangClass + ":" + reason + " (" + why + ")");
        this.erlangClass = erlangClass;
        this.reason = reason;
    }

    /** {@code error}, {@code exit} or {@code throw}. */
    public String erlangClass() {
        return erlangClass;
    }

    /** The reason atom's name. */
    public String reason() {
        return reason;
    }
}
