package jinet.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Properties;

/**
 * slf4j-simple's configuration keys, read the way it reads them: a system property wins over
 * {@code simplelogger.properties} on the class path. Understood: {@code defaultLogLevel},
 * {@code log.NAME} (a level for a logger and the loggers under it), {@code logFile} ({@code System.err},
 * {@code System.out} or a file), {@code showDateTime}, {@code showThreadName}, {@code showLogName},
 * {@code showShortLogName}, {@code levelInBrackets}. Levels: trace, debug, info, warn, error, off.
 */
final class LogConfig {
    static final String PREFIX = "org.slf4j.simpleLogger.";
    /** Level numbers as slf4j-simple's: lower is more verbose. */
    static final int TRACE = 0;
    static final int DEBUG = 10;
    static final int INFO = 20;
    static final int WARN = 30;
    static final int ERROR = 40;
    static final int OFF = 50;

    private final Properties file;
    final int defaultLevel;
    final boolean showDateTime;
    final boolean showThreadName;
    final boolean showLogName;
    final boolean showShortLogName;
    final boolean levelInBrackets;
    final PrintStream out;

    private LogConfig(Properties file) {
        this.file = file;
        this.defaultLevel = level(get("defaultLogLevel"), INFO);
        this.showDateTime = bool(get("showDateTime"), false);
        this.showThreadName = bool(get("showThreadName"), true);
        this.showLogName = bool(get("showLogName"), true);
        this.showShortLogName = bool(get("showShortLogName"), false);
        this.levelInBrackets = bool(get("levelInBrackets"), false);
        this.out = stream(get("logFile"));
    }

    static LogConfig load() {
        Properties props = new Properties();
        ClassLoader loader = LogConfig.class.getClassLoader();
        try (InputStream in = loader != null
                ? loader.getResourceAsStream("simplelogger.properties")
                : ClassLoader.getSystemResourceAsStream("simplelogger.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException | SecurityException e) {
            // as slf4j-simple: no file, defaults
        }
        return new LogConfig(props);
    }

    private String get(String key) {
        String v = null;
        try {
            v = System.getProperty(PREFIX + key);
        } catch (SecurityException e) {
            // fall back to the file
        }
        return v != null ? v : file.getProperty(PREFIX + key);
    }

    /** The level of {@code name}: its own, else its nearest parent's ({@code a.b} for {@code a.b.C}), else the default. */
    int levelOf(String name) {
        String n = name;
        while (true) {
            String v = get("log." + n);
            if (v != null) {
                return level(v, defaultLevel);
            }
            int dot = n.lastIndexOf('.');
            if (dot < 0) {
                return defaultLevel;
            }
            n = n.substring(0, dot);
        }
    }

    static int level(String v, int otherwise) {
        if (v == null) {
            return otherwise;
        }
        switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "trace": return TRACE;
            case "debug": return DEBUG;
            case "info": return INFO;
            case "warn": return WARN;
            case "error": return ERROR;
            case "off": return OFF;
            default: return otherwise;
        }
    }

    private static boolean bool(String v, boolean otherwise) {
        return v == null ? otherwise : "true".equalsIgnoreCase(v.trim());
    }

    private static PrintStream stream(String v) {
        if (v == null || v.equalsIgnoreCase("System.err")) {
            return null;     // System.err as it is when a line is written
        }
        if (v.equalsIgnoreCase("System.out")) {
            return System.out;
        }
        try {
            return new PrintStream(new FileOutputStream(v, true), true);
        } catch (IOException | SecurityException e) {
            System.err.println("jinet: cannot open log file " + v + ": " + e.getMessage());
            return null;
        }
    }
}
