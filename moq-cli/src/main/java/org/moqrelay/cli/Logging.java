package org.moqrelay.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** The log level from {@code --log-level} / {@code MOQ_LOG_LEVEL} / {@code [log] level}. */
final class Logging {
    private Logging() {}

    /**
     * {@code error}, {@code warn}, {@code info}, {@code debug} or {@code trace} in any case, or
     * {@code 1}..{@code 5} (error..trace), as the reference's {@code tracing::Level} reads them; else null.
     */
    static Level parse(String level) {
        return switch (level.trim().toLowerCase(Locale.ROOT)) {
            case "error", "1" -> Level.ERROR;
            case "warn", "2" -> Level.WARN;
            case "info", "3" -> Level.INFO;
            case "debug", "4" -> Level.DEBUG;
            case "trace", "5" -> Level.TRACE;
            default -> null;
        };
    }

    static void setLevel(Level l) {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(l);
        // Netty's own debug output is noise for an operator unless asked for explicitly.
        ((Logger) LoggerFactory.getLogger("io.netty")).setLevel(l.isGreaterOrEqual(Level.INFO) ? l : Level.INFO);
    }
}
