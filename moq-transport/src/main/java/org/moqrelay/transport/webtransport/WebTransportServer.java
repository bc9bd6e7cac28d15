package org.moqrelay.transport.webtransport;

import io.netty.handler.codec.quic.QuicChannel;
import java.util.List;
import org.moqrelay.transport.MoqAcceptor;
import org.moqrelay.transport.quic.PeerStreamSink;

/**
 * Accepts WebTransport sessions on QUIC connections that negotiated ALPN {@code h3}, as
 * Chromium speaks it (spec/transports.md §2, spec/chromium-captures.md). As the reference does,
 * a CONNECT is answered 200 and its session authorizes itself from the request URL: a refusal
 * closes the session with code 6 (Unauthorized), or 64 + status (566 when a key or the auth API
 * cannot be reached).
 */
public final class WebTransportServer {
    /** Subprotocols we speak, matched against the client's {@code wt-available-protocols} in its order. */
    static final List<String> PROTOCOLS = List.of("moq-lite-05", "moq-lite-04", "moq-lite-03", "moql");

    private final MoqAcceptor acceptor;

    public WebTransportServer(MoqAcceptor acceptor) {
        this.acceptor = acceptor;
    }

    /** Takes over a handshaken {@code h3} connection; returns where its peer streams go. */
    public PeerStreamSink accept(QuicChannel channel) {
        H3Connection c = H3Connection.server(channel, acceptor);
        channel.pipeline().addLast(c);
        c.start();
        return c;
    }
}
