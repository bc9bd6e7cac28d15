package org.moqrelay.it.auth;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.util.FingerprintTrustManagerFactory;
import io.netty.util.concurrent.Future;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Origin;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.session.lite.LiteSession;
import org.moqrelay.session.lite.SessionConfig;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.session.spi.ConnectionHandler;
import org.moqrelay.session.spi.RecvStream;
import org.moqrelay.session.spi.SendStream;
import org.moqrelay.transport.quic.QuicClient;
import org.moqrelay.transport.quic.QuicConnection;
import org.moqrelay.transport.quic.QuicTransportConfig;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;

/**
 * The Java moq-lite-05 client over raw QUIC, wired exactly like {@code MoqClient} (same session code,
 * path and {@code ?jwt=} in the SETUP Path), but reporting how the relay ended the session: the
 * CONNECTION_CLOSE code and reason, and when it arrived. {@code MoqClient} does not expose the code.
 */
public final class AuthQuicClient implements AutoCloseable {
    /**
     * How the session ended.
     *
     * @param code     the peer's close code (6 = Unauthorized), or 0 / -1 when none was received
     * @param reason   the peer's reason phrase
     * @param clean    as reported to the session (code 0 or local close)
     * @param atMillis wall-clock time the close reached the session
     */
    public record Close(long code, String reason, boolean clean, long atMillis) {}

    private final LiteSession session;
    private final Origin published;
    private final CompletableFuture<Close> closed;

    private AuthQuicClient(LiteSession session, Origin published, CompletableFuture<Close> closed) {
        this.session = session;
        this.published = published;
        this.closed = closed;
    }

    /**
     * Dials the relay's raw-QUIC port (certificate pinned) and starts a client session whose SETUP
     * Path is {@code pathAndQuery}, e.g. {@code /room?jwt=...}. Returns once the QUIC handshake is
     * done; the relay decides on the SETUP afterwards (a refusal shows up in {@link #closed()}).
     */
    public static AuthQuicClient connect(EventLoopGroup group, RelayServer relay, String pathAndQuery, Duration timeout)
            throws Exception {
        LiteVersion version = LiteVersion.LITE_05;
        QuicSslContext ssl = QuicSslContextBuilder.forClient().applicationProtocols(version.alpn())
                .trustManager(FingerprintTrustManagerFactory.builder("SHA-256").fingerprints(relay.certificateSha256()).build())
                .endpointIdentificationAlgorithm(null)
                .build();
        QuicConnection conn = QuicClient.connect(group, ssl, QuicTransportConfig.DEFAULT, relay.quicAddress(), version.alpn())
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        long originId = 1 + (new SecureRandom().nextLong() & ((1L << 53) - 2));
        Origin published = new Origin(group, 0);
        Origin ingest = new Origin(group, 0);
        CompletableFuture<Close> closed = new CompletableFuture<>();
        SessionConfig cfg = new SessionConfig(false, originId, published, ingest, false, pathAndQuery, null);
        CompletableFuture<LiteSession> started = new CompletableFuture<>();
        conn.eventLoop().execute(() -> {
            try {
                started.complete(LiteSession.start(new Recording(conn, closed), version, cfg, "auth-client"));
            } catch (RuntimeException e) {
                started.completeExceptionally(e);
            }
        });
        return new AuthQuicClient(started.get(timeout.toMillis(), TimeUnit.MILLISECONDS), published, closed);
    }

    /** Publishes a local broadcast at {@code path} (relative to the connection path). */
    public Broadcast publish(Path path) {
        Broadcast b = Broadcast.local(path);
        published.publish(b);
        return b;
    }

    /** The relay's broadcast at {@code path} (relative to the connection path). */
    public Broadcast consume(Path path) {
        return session.consume(path);
    }

    public LiteSession session() {
        return session;
    }

    /** Completes when the session ended, with the relay's close code; never fails. */
    public CompletableFuture<Close> closed() {
        return closed;
    }

    @Override
    public void close() {
        session.close(0, "");
        published.closeAll();
    }

    /** Passes everything through to the QUIC connection and records the close the session is told about. */
    private record Recording(Connection delegate, CompletableFuture<Close> closed) implements Connection {
        @Override
        public EventLoop eventLoop() {
            return delegate.eventLoop();
        }

        @Override
        public void handler(ConnectionHandler h) {
            delegate.handler(new ConnectionHandler() {
                @Override
                public void onBidiStream(BidiStream stream) {
                    h.onBidiStream(stream);
                }

                @Override
                public void onUniStream(RecvStream stream) {
                    h.onUniStream(stream);
                }

                @Override
                public void onDatagram(ByteBuf data) {
                    h.onDatagram(data);
                }

                @Override
                public void onClosed(long code, String reason, boolean clean) {
                    closed.complete(new Close(code, reason, clean, System.currentTimeMillis()));
                    h.onClosed(code, reason, clean);
                }
            });
        }

        @Override
        public Future<BidiStream> openBidi() {
            return delegate.openBidi();
        }

        @Override
        public Future<SendStream> openUni() {
            return delegate.openUni();
        }

        @Override
        public int maxDatagramSize() {
            return delegate.maxDatagramSize();
        }

        @Override
        public void sendDatagram(ByteBuf data) {
            delegate.sendDatagram(data);
        }

        @Override
        public void close(long code, String reason) {
            delegate.close(code, reason);
        }

        @Override
        public boolean isOpen() {
            return delegate.isOpen();
        }

        @Override
        public String protocol() {
            return delegate.protocol();
        }

        @Override
        public String requestPath() {
            return delegate.requestPath();
        }

        @Override
        public java.security.cert.X509Certificate peerCertificate() {
            return delegate.peerCertificate();
        }

        @Override
        public String describe() {
            return delegate.describe();
        }
    }
}
