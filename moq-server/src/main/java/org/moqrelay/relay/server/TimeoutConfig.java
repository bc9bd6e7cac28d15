package org.moqrelay.relay.server;

import java.time.Duration;
import java.util.Objects;
import org.moqrelay.relay.web.HttpRequestTimeout;
import org.moqrelay.transport.qmux.QmuxConnection;

/**
 * How long the TCP listeners wait for a client to say something: a whole HTTP request (on a new
 * connection, or one idle after a response), and a qmux client's transport parameters (WebSocket
 * after the upgrade, TCP, Unix socket). An established qmux session then runs the idle timeout
 * both sides advertise. Not a reference setting; set in code only.
 *
 * @param httpRequest   the HTTP listeners' request timeout
 * @param qmuxHandshake the qmux handshake timeout
 */
public record TimeoutConfig(Duration httpRequest, Duration qmuxHandshake) {
    /** 30 s for a request (hyper's header timeout), 10 s for qmux parameters (the reference's qmux). */
    public static final TimeoutConfig DEFAULT = new TimeoutConfig(HttpRequestTimeout.DEFAULT, QmuxConnection.DEFAULT_HANDSHAKE_TIMEOUT);

    public TimeoutConfig {
        positive(Objects.requireNonNull(httpRequest, "httpRequest"), "httpRequest");
        positive(Objects.requireNonNull(qmuxHandshake, "qmuxHandshake"), "qmuxHandshake");
    }

    private static void positive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
    }
}
