package org.moqrelay.transport;

import org.moqrelay.session.spi.Connection;
import org.moqrelay.wire.LiteVersion;

/**
 * Receives a transport connection once its MoQ version is known (ALPN, or the qmux framing); its
 * session authorizes itself. WebTransport, which authorizes before answering, uses
 * {@link AuthorizedAcceptor}. Called on the connection's event loop; must not block.
 */
@FunctionalInterface
public interface MoqAcceptor {
    void accept(Connection connection, LiteVersion version);
}
