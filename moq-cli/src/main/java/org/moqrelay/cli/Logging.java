package org.moqrelay.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Sets the log level from {@code --log-level} / {@code MOQ_LOG_LEVEL} / {@code [log] level}. */
final class Logging {
    private Logging() {}

    static void setLevel(String level) {
        Level l = Level.toLevel(level, null);
        if (l == null) throw new IllegalArgumentException("log.level: unknown level '" + level + "' (expected error, warn, info, debug, trace)");
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(l);
        // Netty's own debug output is noise for an operator unless asked for explicitly.
        ((Logger) LoggerFactory.getLogger("io.netty")).setLevel(l.isGreaterOrEqual(Level.INFO) ? l : Level.INFO);
    }
}
