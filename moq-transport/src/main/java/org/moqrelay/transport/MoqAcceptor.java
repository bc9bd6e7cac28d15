package org.moqrelay.transport;

import org.moqrelay.session.spi.Connection;
import org.moqrelay.wire.LiteVersion;

/**
 * Receives every transport connection once its MoQ version is known (ALPN or WebTransport
 * subprotocol). Called on the connection's event loop; must not block.
 */
@FunctionalInterface
public interface MoqAcceptor {
    void accept(Connection connection, LiteVersion version);
}
