package org.moqrelay.relay.server;

import java.util.concurrent.atomic.AtomicLong;
import org.moqrelay.model.Origin;
import org.moqrelay.session.lite.Authorizer;
import org.moqrelay.session.lite.LegacyNegotiation;
import org.moqrelay.session.lite.LiteSession;
import org.moqrelay.session.lite.SessionConfig;
import org.moqrelay.session.lite.TieredMetrics;
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
    private final TieredMetrics metrics;
    private final long keepAliveMillis;
    private final AtomicLong ids = new AtomicLong();
    private final java.util.Set<LiteSession> live = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Sessions counting their traffic, and themselves, in {@code metrics}, each in the tier its grant
     * names; quiet lite-05 sessions send a keep-alive datagram every {@code keepAliveMillis}.
     */
    public RelaySessions(Origin origin, long relayId, Authorizer authorizer, TieredMetrics metrics, long keepAliveMillis) {
        this.origin = origin;
        this.relayId = relayId;
        this.authorizer = authorizer;
        this.metrics = metrics;
        this.keepAliveMillis = keepAliveMillis;
    }

    @Override
    public void accept(Connection connection, LiteVersion version) {
        start(connection, version, authorizer);
    }

    /**
     * A connection whose request was authorized before it existed (the WebSocket upgrade, which has the
     * {@code Host} header): its session gets {@code grant} without asking again.
     */
    public void acceptAuthorized(Connection connection, LiteVersion version, Authorizer.Grant grant) {
        start(connection, version, Authorizer.granting(grant));
    }

    private void start(Connection connection, LiteVersion version, Authorizer auth) {
        String id = "s" + ids.incrementAndGet();
        SessionConfig cfg = new SessionConfig(true, relayId, origin, origin, true, null, auth, metrics, keepAliveMillis);
        if (version == null) {
            // moql, WebTransport without a protocol, bare qmux framings: lite-01/02 via legacy SETUP.
            LegacyNegotiation.accept(connection, cfg, id, session -> opened(id, connection, session, live));
            return;
        }
        opened(id, connection, LiteSession.start(connection, version, cfg, id), live);
    }

    /** Sessions open right now. */
    java.util.Set<LiteSession> live() {
        return live;
    }

    private static void opened(String id, Connection connection, LiteSession session, java.util.Set<LiteSession> live) {
        live.add(session);
        session.closed().thenRun(() -> live.remove(session));
        log.info("session {} open: {} {} path '{}'", id, connection.describe(), session.liteVersion().draftName(),
                connection.requestPath() == null ? "(from SETUP)" : Authorizer.stripQuery(connection.requestPath()));
        String where = connection.describe();
        session.closed().thenRun(() -> log.info("session {} closed: {} {}: {}", id, where,
                session.liteVersion().draftName(), session.closeDescription()));
    }
}
