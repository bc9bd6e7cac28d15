package org.moqrelay.relay.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The HTTPS / WSS listener ({@code [web.https]}): the same routes and WebSocket as the HTTP one,
 * behind TLS. Without its own certificate it serves the QUIC certificate.
 *
 * @param listen TCP address
 * @param cert   PEM chain, or null to reuse the QUIC certificate
 * @param key    PEM key (with {@code cert})
 */
public record WebHttpsConfig(InetSocketAddress listen, Path cert, Path key) {
    public WebHttpsConfig {
        Objects.requireNonNull(listen, "listen");
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("web.https.cert and web.https.key must be given together");
        }
    }
}
