package jinet.log;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

/** One {@link JinetLogger} per name, its level fixed when it is made. */
final class JinetLoggerFactory implements ILoggerFactory {
    private final LogConfig config;
    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();

    JinetLoggerFactory(LogConfig config) {
        this.config = config;
    }

    @Override
    public Logger getLogger(String name) {
        Logger logger = loggers.get(name);
        if (logger == null) {
            Logger made = new JinetLogger(name, config.levelOf(name), config);
            logger = loggers.putIfAbsent(name, made);
            if (logger == null) {
                logger = made;
            }
        }
        return logger;
    }
}
