package org.moqrelay.transport;

import org.moqrelay.session.lite.Authorizer;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.wire.LiteVersion;

/**
 * Receives a connection whose request was authorized before the transport answered it (a
 * WebTransport CONNECT): its session starts with {@code grant}. Called on the connection's event
 * loop; must not block.
 */
@FunctionalInterface
public interface AuthorizedAcceptor {
    void accept(Connection connection, LiteVersion version, Authorizer.Grant grant);
}
