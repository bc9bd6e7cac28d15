package org.moqrelay.relay.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The HTTPS / WSS listener ({@code [web.https]}): the same routes and WebSocket as the HTTP one,
 * behind TLS. Without its own certificate it serves the QUIC certificate.
 *
 * @param listen TCP address
 * @param cert   PEM chain, or null to reuse the QUIC certificate
 * @param key    PEM key (with {@code cert})
 * @param roots  PEM files of CA certificates ({@code web.https.root}): a client certificate chaining
 *               to one of them gets full access within the request path (mTLS, optional for
 *               clients); empty = no client certificates
 */
public record WebHttpsConfig(InetSocketAddress listen, Path cert, Path key, List<Path> roots) {
    public WebHttpsConfig {
        Objects.requireNonNull(listen, "listen");
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("web.https.cert and web.https.key must be given together");
        }
        roots = roots == null ? List.of() : List.copyOf(roots);
    }

    /** Without client certificates. */
    public WebHttpsConfig(InetSocketAddress listen, Path cert, Path key) {
        this(listen, cert, key, List.of());
    }
}
