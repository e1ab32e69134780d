package jinet.term.ext;

/**
 * The bytes are not a term this decoder accepts: truncated, malformed, unsupported, or larger
 * than the stated bounds. A peer can make the decoder throw this on every message, so it
 * carries no stack trace.
 */
public final class TermDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    public TermDecodeException(String message) {
        super(message, null, false, false);
    }
}
