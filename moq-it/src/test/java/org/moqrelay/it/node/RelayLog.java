package org.moqrelay.it.node;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Captures the relay's own log lines (logger {@code org.moqrelay}, INFO and up, as configured in
 * logback-test.xml) while a test runs, so tests can assert what the relay decided, e.g. the
 * WebSocket subprotocol in {@code session s3 open: websocket(qmux-01.moq-lite-05) /127.0.0.1:40123 ...}.
 * Lines are still printed as usual. Waits are bounded.
 */
public final class RelayLog implements AutoCloseable {
    private final Logger logger;
    private final Capture capture = new Capture();

    private RelayLog(String loggerName) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        capture.setContext(logger.getLoggerContext());
        capture.setName("relay-log-capture");
        capture.start();
        logger.addAppender(capture);
    }

    /** Starts capturing everything logged under {@code org.moqrelay}. */
    public static RelayLog capture() {
        return new RelayLog("org.moqrelay");
    }

    /** Formatted lines so far ({@code LoggerSimpleName - message}). */
    public List<String> lines() {
        return capture.lines();
    }

    /** Lines so far that contain {@code text}. */
    public List<String> linesContaining(String text) {
        return lines().stream().filter(l -> l.contains(text)).toList();
    }

    /** Waits (bounded) for a line matching {@code p}; fails with the recent lines on timeout. */
    public String await(Predicate<String> p, Duration timeout, String what) {
        return capture.await(p, timeout, what);
    }

    /**
     * The relay's "session ... open: websocket(SUBPROTOCOL) /127.0.0.1:PORT ..." line for the client
     * whose local TCP port is {@code clientPort}, waiting (bounded) for it.
     */
    public String awaitWebSocketSession(long clientPort, Duration timeout) {
        return await(l -> l.contains(" open: websocket(") && l.contains(":" + clientPort + " "), timeout,
                "session-open line for the WebSocket client on port " + clientPort);
    }

    /** The subprotocol in a {@code websocket(...)} description, or null. */
    public static String subprotocolIn(String line) {
        int i = line.indexOf("websocket(");
        if (i < 0) return null;
        int end = line.indexOf(") ", i);
        return end < 0 ? null : line.substring(i + "websocket(".length(), end);
    }

    @Override
    public void close() {
        logger.detachAppender(capture);
        capture.stop();
    }

    private static final class Capture extends AppenderBase<ILoggingEvent> {
        private final List<String> lines = new ArrayList<>();

        @Override
        protected void append(ILoggingEvent e) {
            String name = e.getLoggerName();
            String line = name.substring(name.lastIndexOf('.') + 1) + " - " + e.getFormattedMessage();
            synchronized (this) {
                lines.add(line);
                notifyAll();
            }
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        synchronized String await(Predicate<String> p, Duration timeout, String what) {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                for (;;) {
                    // Newest first: ephemeral client ports are reused, so an older session may share one.
                    for (int i = lines.size() - 1; i >= 0; i--) if (p.test(lines.get(i))) return lines.get(i);
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("relay log: no " + what + " within " + timeout.toMillis() + " ms; last lines:\n  "
                                + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
                    }
                    wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, ex);
            }
        }
    }
}
