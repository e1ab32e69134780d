package jinet.log;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.TimeZone;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * A line per event, as slf4j-simple writes it: {@code 2024-01-31T12:00:00.123 INFO Main - text}, then the
 * throwable's stack trace. The time is local, formatted by hand (no date-format machinery to load at start).
 */
final class JinetLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    private final transient LogConfig config;
    private final int level;
    private final String shown;

    JinetLogger(String name, int level, LogConfig config) {
        this.name = name;
        this.level = level;
        this.config = config;
        if (config.showShortLogName) {
            shown = name.substring(name.lastIndexOf('.') + 1);
        } else if (config.showLogName) {
            shown = name;
        } else {
            shown = null;
        }
    }

    @Override
    public boolean isTraceEnabled() {
        return level <= LogConfig.TRACE;
    }

    @Override
    public boolean isDebugEnabled() {
        return level <= LogConfig.DEBUG;
    }

    @Override
    public boolean isInfoEnabled() {
        return level <= LogConfig.INFO;
    }

    @Override
    public boolean isWarnEnabled() {
        return level <= LogConfig.WARN;
    }

    @Override
    public boolean isErrorEnabled() {
        return level <= LogConfig.ERROR;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level lv, Marker marker, String pattern, Object[] args,
            Throwable t) {
        StringBuilder b = new StringBuilder(64);
        if (config.showDateTime) {
            long now = System.currentTimeMillis();
            timestamp(b, now + TimeZone.getDefault().getOffset(now));
            b.append(' ');
        }
        if (config.showThreadName) {
            b.append('[').append(Thread.currentThread().getName()).append("] ");
        }
        if (config.levelInBrackets) {
            b.append('[').append(lv.name()).append("] ");
        } else {
            b.append(lv.name()).append(' ');
        }
        if (shown != null) {
            b.append(shown).append(" - ");
        }
        b.append(args == null || args.length == 0 ? pattern : MessageFormatter.basicArrayFormat(pattern, args));
        if (t != null) {
            StringWriter w = new StringWriter();
            b.append(System.lineSeparator());
            t.printStackTrace(new PrintWriter(w));
            b.append(w);
        } else {
            b.append(System.lineSeparator());
        }
        PrintStream out = config.out != null ? config.out : System.err;
        synchronized (JinetLogger.class) {
            out.print(b);
            out.flush();
        }
    }

    /**
     * {@code yyyy-MM-dd'T'HH:mm:ss.SSS} of a local time in milliseconds since 1970 (the epoch plus the zone's
     * offset), slf4j-simple's format as jinet configures it; the civil date by Hinnant's days-to-civil,
     * which costs nothing at start where {@code java.time} loads its zone rules and chronology.
     */
    static void timestamp(StringBuilder b, long localMillis) {
        long days = Math.floorDiv(localMillis, 86_400_000L);
        long ms = Math.floorMod(localMillis, 86_400_000L);
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
        pad(b, year, 4).append('-');
        pad(b, month, 2).append('-');
        pad(b, day, 2).append('T');
        pad(b, (int) (ms / 3_600_000), 2).append(':');
        pad(b, (int) (ms / 60_000 % 60), 2).append(':');
        pad(b, (int) (ms / 1000 % 60), 2).append('.');
        pad(b, (int) (ms % 1000), 3);
    }

    private static StringBuilder pad(StringBuilder b, int v, int width) {
        String s = Integer.toString(v);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }
}
