package org.moqrelay.relay.server;

import java.util.concurrent.atomic.AtomicLong;
import org.moqrelay.model.Origin;
import org.moqrelay.session.lite.Authorizer;
import org.moqrelay.session.lite.LiteSession;
import org.moqrelay.session.lite.SessionConfig;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.transport.MoqAcceptor;
import org.moqrelay.wire.LiteVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a relay-side moq-lite session for every accepted connection: it serves the shared
 * origin to the client and takes the client's broadcasts into it, both through the session's root.
 */
public final class RelaySessions implements MoqAcceptor {
    private static final Logger log = LoggerFactory.getLogger(RelaySessions.class);
    private final Origin origin;
    private final long relayId;
    private final Authorizer authorizer;
    private final AtomicLong ids = new AtomicLong();

    public RelaySessions(Origin origin, long relayId, Authorizer authorizer) {
        this.origin = origin;
        this.relayId = relayId;
        this.authorizer = authorizer;
    }

    @Override
    public void accept(Connection connection, LiteVersion version) {
        String id = "s" + ids.incrementAndGet();
        if (version == null) {
            // moql / bare framings negotiate lite-01/02 or draft-14 with a legacy SETUP: not served yet.
            log.info("session {} ({}): no MoQ version negotiated and legacy SETUP is not supported; closing",
                    id, connection.describe());
            connection.close(org.moqrelay.wire.ErrorCode.VERSION.code(), "legacy SETUP negotiation is not supported");
            return;
        }
        SessionConfig cfg = new SessionConfig(true, relayId, origin, origin, true, null, authorizer);
        LiteSession session = LiteSession.start(connection, version, cfg, id);
        log.info("session {} open: {} {} path '{}'", id, connection.describe(), version.alpn(),
                connection.requestPath() == null ? "(from SETUP)" : Authorizer.stripQuery(connection.requestPath()));
        session.closed().thenRun(() -> log.info("session {} closed", id));
    }
}
