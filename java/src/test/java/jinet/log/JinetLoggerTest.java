package jinet.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class JinetLoggerTest {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    private static String stamp(long millis) {
        StringBuilder b = new StringBuilder();
        JinetLogger.timestamp(b, millis);
        return b.toString();
    }

    @Test
    void timestampsAreJavaTimes() {
        long[] fixed = {0, -1, 951_782_400_000L, 951_868_799_999L, 4_107_542_400_000L, 1_709_164_800_000L,
            253_402_300_799_999L};
        for (long t : fixed) {
            assertEquals(FORMAT.format(Instant.ofEpochMilli(t).atOffset(ZoneOffset.UTC)), stamp(t), "at " + t);
        }
        Random r = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long t = r.nextLong() % 253_402_300_800_000L;
            if (t < 0) {
                t = -t;
            }
            assertEquals(FORMAT.format(Instant.ofEpochMilli(t).atOffset(ZoneOffset.UTC)), stamp(t), "at " + t);
        }
    }

    @Test
    void levelsComeFromSimpleLoggerKeys() {
        // the test class path's simplelogger.properties: warn by default, jinet.call.Exports off
        LogConfig config = LogConfig.load();
        assertEquals(LogConfig.WARN, config.levelOf("jinet.Main"));
        assertEquals(LogConfig.OFF, config.levelOf("jinet.call.Exports"));
        assertEquals(LogConfig.OFF, config.levelOf("jinet.call.Exports.Inner"));
        System.setProperty(LogConfig.PREFIX + "log.jinet.dist", "debug");
        try {
            assertEquals(LogConfig.DEBUG, config.levelOf("jinet.dist.Handshake"));
            assertEquals(LogConfig.WARN, config.levelOf("jinet.distx.Other"));
        } finally {
            System.clearProperty(LogConfig.PREFIX + "log.jinet.dist");
        }
    }

    @Test
    void slf4jFindsThisBackEnd() {
        Logger log = LoggerFactory.getLogger("jinet.log.Probe");
        assertTrue(log instanceof JinetLogger);
        assertTrue(log.isWarnEnabled());
        assertFalse(log.isInfoEnabled());
    }
}
