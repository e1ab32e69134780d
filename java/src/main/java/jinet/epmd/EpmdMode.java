package jinet.epmd;

import java.util.Locale;

/** Where jinet's EPMD comes from; see {@link jinet.epmd.EpmdLauncher#ensure(EpmdMode)}. */
public enum EpmdMode {
    /** Use the EPMD that answers on the port, else start Erlang's {@code epmd -daemon}; fail if neither works. */
    EXTERNAL,
    /** Serve EPMD from this JVM ({@link EpmdServer}); fail if the port is taken. */
    EMBEDDED,
    /** Use the EPMD that answers on the port, else serve it from this JVM; never starts {@code epmd}. */
    AUTO;

    /** Parses {@code "external"}, {@code "embedded"} or {@code "auto"} (any case, surrounding blanks ignored). */
    public static EpmdMode parse(String text) {
        if (text != null) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            for (EpmdMode mode : values()) {
                if (mode.text().equals(t)) {
                    return mode;
                }
            }
        }
        throw new IllegalArgumentException("unknown EPMD mode \"" + text + "\": expected external, embedded or auto");
    }

    /** The lower-case name {@link #parse} accepts. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return text();
    }
}
