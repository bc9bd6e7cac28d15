package org.moqrelay.transport.webtransport;

import io.netty.handler.codec.quic.QuicChannel;
import java.util.List;
import org.moqrelay.session.lite.Authorizer;
import org.moqrelay.transport.AuthorizedAcceptor;
import org.moqrelay.transport.quic.PeerStreamSink;

/**
 * Accepts WebTransport sessions on QUIC connections that negotiated ALPN {@code h3}, as
 * Chromium speaks it (spec/transports.md §2, spec/chromium-captures.md). Each CONNECT is
 * authorized before it is answered, as the reference does: a refusal is the response status
 * (401, or 502 when a key or the auth API cannot be reached), never a session.
 */
public final class WebTransportServer {
    /** Subprotocols we speak, matched against the client's {@code wt-available-protocols} in its order. */
    static final List<String> PROTOCOLS = List.of("moq-lite-05", "moq-lite-04", "moq-lite-03", "moql");

    private final Authorizer authorizer;
    private final AuthorizedAcceptor acceptor;

    public WebTransportServer(Authorizer authorizer, AuthorizedAcceptor acceptor) {
        this.authorizer = authorizer;
        this.acceptor = acceptor;
    }

    /** Takes over a handshaken {@code h3} connection; returns where its peer streams go. */
    public PeerStreamSink accept(QuicChannel channel) {
        H3Connection c = H3Connection.server(channel, authorizer, acceptor);
        channel.pipeline().addLast(c);
        c.start();
        return c;
    }
}
