package org.moqrelay.transport.quic;

import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicTransportParameters;

/** The idle timeout a QUIC peer announced in its transport parameters. */
public final class PeerIdleTimeout {
    private PeerIdleTimeout() {}

    /**
     * Milliseconds, or 0 when the peer announced none or the handshake has not told yet. A QUIC
     * connection idles out after the smaller of both sides' timeouts (RFC 9000 §10.1), so a peer's
     * short one shortens ours too.
     */
    public static long millis(QuicChannel channel) {
        QuicTransportParameters p = channel.peerTransportParameters();
        return p == null ? 0 : Math.max(0, p.maxIdleTimeout());
    }
}
