package jinet.inet.dns;

/**
 * {@code inet_dns:decode/1} did not return but raised: it only catches its own throws, so an
 * RR whose type inet_dns names but has no {@code decode_data/3} clause for (A, AAAA or WKS in a
 * class other than IN; UINFO, UID, GID, UNSPEC, AXFR, MAILB, MAILA, ANY in any named class)
 * escapes as {@code error:function_clause}. Unchecked, since a resolver can only re-raise it in
 * the caller, as inet_res does by not catching it.
 */
public final class DnsDecodeCrashException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String erlangClass;
    private final String reason;

    public DnsDecodeCrashException(String erlangClass, String reason, String why) {
        super(erlangClass + ":" + reason + " (" + why + ")");
        this.erlangClass = erlangClass;
        this.reason = reason;
    }

    public String erlangClass() {
        return erlangClass;
    }

    public String reason() {
        return reason;
    }
}
