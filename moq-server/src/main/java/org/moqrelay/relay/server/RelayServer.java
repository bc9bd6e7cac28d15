package org.moqrelay.relay.server;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.moqrelay.model.CacheBudget;
import org.moqrelay.model.Origin;
import org.moqrelay.relay.cache.AvailableMemory;
import org.moqrelay.relay.cache.CacheGovernor;
import org.moqrelay.relay.auth.RelayAuthorizer;
import org.moqrelay.relay.metrics.InternalListener;
import org.moqrelay.relay.metrics.RelayMetrics;
import org.moqrelay.relay.auth.AuthDomains;
import org.moqrelay.session.lite.SessionConfig;
import org.moqrelay.session.lite.TieredMetrics;
import org.moqrelay.token.AuthApi;
import org.moqrelay.token.KeyResolver;
import org.moqrelay.token.TokenVerifier;
import org.moqrelay.relay.web.WebRoutes;
import org.moqrelay.relay.web.WebServer;
import org.moqrelay.relay.web.WebSocketUpgrade;
import java.util.List;
import org.moqrelay.transport.qmux.tcp.TcpListener;
import org.moqrelay.transport.qmux.unix.UnixListener;
import org.moqrelay.transport.quic.EventLoops;
import org.moqrelay.transport.quic.PeerStreamSink;
import org.moqrelay.transport.quic.QuicConnection;
import org.moqrelay.transport.quic.QuicListener;
import org.moqrelay.transport.tls.CertificateBundle;
import org.moqrelay.transport.tls.CertificateReloader;
import org.moqrelay.transport.tls.Certificates;
import org.moqrelay.transport.tls.ReloadingKeyManager;
import org.moqrelay.transport.tls.ReloadingTrustManager;
import org.moqrelay.transport.webtransport.WebTransportServer;
import org.moqrelay.wire.LiteVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running relay: the QUIC endpoint (raw moq-lite and WebTransport on one UDP port), the HTTP
 * listener, and the shared origin. Everything is wired here, in dependency order.
 */
public final class RelayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayServer.class);
    /** ALPNs in server preference order; h3 last, as the reference. */
    static final String[] ALPNS = {"moq-lite-05", "moq-lite-04", "moq-lite-03", "moql", "h3"};
    /** MoQ versions offered over WebTransport and WebSocket, most preferred first. */
    static final List<String> MOQ_ALPNS = List.of("moq-lite-05", "moq-lite-04", "moq-lite-03", "moql");

    private final EventLoopGroup group;
    private final ScheduledExecutorService timer;
    private final RelayMetrics metrics;
    private final RelaySessions sessions;
    private final RelayAuthorizer authorizer;
    private final ReloadingKeyManager keyManager;
    // Set by start() as each starts; close() closes whichever did.
    private QuicListener quic;
    private WebServer web;
    private TcpListener tcp;
    private UnixListener unix;
    private InternalListener internal;
    private WebServer webHttps;
    private CertificateReloader httpsReloader;
    private ReloadingTrustManager httpsRoots;
    private ReloadingTrustManager quicRoots;
    private CertificateReloader reloader;
    private CacheGovernor governor;
    /** How often certificate files are checked for a renewal. */
    static final long RELOAD_MILLIS = 2_000;
    private final Origin origin;
    private final long relayId;

    private RelayServer(EventLoopGroup group, ScheduledExecutorService timer, RelayMetrics metrics, Origin origin, long relayId,
                        RelaySessions sessions, RelayAuthorizer authorizer, ReloadingKeyManager keyManager) {
        this.group = group;
        this.timer = timer;
        this.metrics = metrics;
        this.origin = origin;
        this.relayId = relayId;
        this.sessions = sessions;
        this.authorizer = authorizer;
        this.keyManager = keyManager;
    }

    public static RelayServer start(RelayConfig config) throws Exception {
        CertificateBundle cert = config.tlsCert() != null
                ? Certificates.load(config.tlsCert(), config.tlsKey())
                : Certificates.generateSelfSigned(config.tlsGenerate());
        long relayId = config.clusterId() != 0 ? config.clusterId() : randomId();
        // One loop per QUIC socket; the TCP listeners' connections are spread over the same loops.
        EventLoopGroup group = EventLoops.newGroup(config.effectiveQuicThreads(), "moq-loop");
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "moq-timer");
            t.setDaemon(true);
            return t;
        });
        CacheBudget budget = budget(config.cache());
        Origin origin = new Origin(timer, config.lingerMillis(), budget, config.cache().durationMillis());
        RelayAuthorizer authorizer = authorizer(config.auth());
        // Counters only when someone can read them.
        RelayMetrics metrics = config.internalListen() != null ? new RelayMetrics() : null;
        RelaySessions sessions = new RelaySessions(origin, relayId, authorizer, metrics == null ? TieredMetrics.NOOP : metrics,
                // A third of the QUIC idle timeout, at most the default 10 s: shorter idle timeouts would end quiet sessions.
                SessionConfig.keepAliveWithin(SessionConfig.DEFAULT_KEEP_ALIVE_MILLIS, config.quic().idleTimeout().toMillis()));
        WebTransportServer webTransport = new WebTransportServer(sessions);
        // The key manager is asked on every handshake: a renewed certificate on disk is picked up
        // for new connections without a restart.
        ReloadingKeyManager keyManager = new ReloadingKeyManager(cert);
        QuicSslContextBuilder sslBuilder = QuicSslContextBuilder
                .forServer(new io.netty.handler.ssl.util.KeyManagerFactoryWrapper(keyManager), null)
                .applicationProtocols(ALPNS);
        RelayServer server = new RelayServer(group, timer, metrics, origin, relayId, sessions, authorizer, keyManager);
        try {
            if (config.tlsRoot() != null) {
                // Optional: clients without a certificate fall through to tokens and public paths. Asked
                // on every handshake, so a rotated CA file applies to new connections without a restart;
                // no CA names are sent, as BoringSSL would keep sending the first file's.
                server.quicRoots = ReloadingTrustManager.withoutIssuerHints(List.of(config.tlsRoot())).watch(timer, RELOAD_MILLIS);
                sslBuilder.trustManager(new io.netty.handler.ssl.util.TrustManagerFactoryWrapper(server.quicRoots))
                        .clientAuth(io.netty.handler.ssl.ClientAuth.OPTIONAL);
            }
            QuicSslContext ssl = sslBuilder.build();
            server.quic = QuicListener.bind(config.serverBind(), ssl, group, config.effectiveQuicThreads(), config.quic(),
                    (QuicChannel ch, String alpn) -> dispatch(ch, alpn, sessions, webTransport));
            WebRoutes routes = WebRoutes.builder().standard(() -> keyManager.current().sha256Hex())
                    .relay(origin, authorizer)
                    .websocket(new WebSocketUpgrade(MOQ_ALPNS, authorizer, sessions::acceptAuthorized,
                            config.timeouts().qmuxHandshake()))
                    .build();
            if (config.webHttpListen() != null) {
                server.web = WebServer.start(config.webHttpListen(), routes, group, null, acceptHealth(metrics, "web"),
                        config.timeouts().httpRequest());
            }
            if (config.webHttps() != null) {
                ReloadingKeyManager httpsKeys = keyManager;
                if (config.webHttps().cert() != null) {
                    httpsKeys = new ReloadingKeyManager(Certificates.load(config.webHttps().cert(), config.webHttps().key()));
                    server.httpsReloader = new CertificateReloader(config.webHttps().cert(), config.webHttps().key(), httpsKeys,
                            timer, RELOAD_MILLIS);
                }
                io.netty.handler.ssl.SslContextBuilder httpsBuilder = io.netty.handler.ssl.SslContextBuilder
                        .forServer(new io.netty.handler.ssl.util.KeyManagerFactoryWrapper(httpsKeys));
                if (!config.webHttps().roots().isEmpty()) {
                    // Optional client certificates, like server.tls.root on QUIC: clients without one
                    // fall through to tokens and public paths. Rotated CA files apply to new handshakes.
                    server.httpsRoots = new ReloadingTrustManager(config.webHttps().roots()).watch(timer, RELOAD_MILLIS);
                    httpsBuilder.trustManager(new io.netty.handler.ssl.util.TrustManagerFactoryWrapper(server.httpsRoots))
                            .clientAuth(io.netty.handler.ssl.ClientAuth.OPTIONAL);
                }
                io.netty.handler.ssl.SslContext https = httpsBuilder.build();
                server.webHttps = WebServer.start(config.webHttps().listen(), routes, group, https, acceptHealth(metrics, "web"),
                        config.timeouts().httpRequest());
            }
            if (config.tcpBind() != null) {
                server.tcp = TcpListener.bind(config.tcpBind(), group, MOQ_ALPNS, sessions, acceptHealth(metrics, "tcp"),
                        config.timeouts().qmuxHandshake());
            }
            if (config.unix() != null) {
                server.unix = UnixListener.bind(config.unix().bind(), group, MOQ_ALPNS, sessions, config.unix().allow(),
                        acceptHealth(metrics, "unix"), config.timeouts().qmuxHandshake());
            }
            if (metrics != null) {
                server.internal = InternalListener.start(config.internalListen(), metrics, config.timeouts().httpRequest());
            }
        } catch (Exception e) {
            // Closes what did start before the event loops stop: a channel still open when they do
            // is closed by their shutdown, too late for its handlers' cleanup, which leaks.
            server.close();
            throw e;
        }
        log.info("relay {} ready; certificate sha256 {}", relayId, cert.sha256Hex());
        if (config.cache().headroomBytes() > 0) {
            server.governor = new CacheGovernor(budget, config.cache().capacityBytes(), config.cache().headroomBytes(),
                    new AvailableMemory()).start(timer);
            log.info("cache governor enabled: keeping {} bytes of memory available (capacity {})",
                    config.cache().headroomBytes(), capacityText(config.cache()));
        } else if (config.cache().capacityBytes() != Long.MAX_VALUE) {
            log.info("cache capacity {} bytes", config.cache().capacityBytes());
        }
        if (config.tlsCert() != null) {
            server.reloader = new CertificateReloader(config.tlsCert(), config.tlsKey(), keyManager, timer, RELOAD_MILLIS);
        }
        return server;
    }

    /** The origin's byte budget: counted (and resizable) whenever a capacity or a headroom is set. */
    private static CacheBudget budget(CacheConfig c) {
        if (c.headroomBytes() > 0) {
            CacheBudget b = CacheBudget.resizable();
            if (c.capacityBytes() != Long.MAX_VALUE) b.resize(c.capacityBytes());
            return b;
        }
        return c.capacityBytes() == Long.MAX_VALUE ? CacheBudget.UNLIMITED : new CacheBudget(c.capacityBytes());
    }

    private static String capacityText(CacheConfig c) {
        return c.capacityBytes() == Long.MAX_VALUE ? "unlimited" : c.capacityBytes() + " bytes";
    }

    /** Keys and public prefixes, or the auth API; subdomain routing and the mTLS tier either way. */
    private static RelayAuthorizer authorizer(AuthConfig auth) {
        // The historical claim names (pub, sub, cluster) are honoured as the reference once did,
        // so tokens from older issuers keep working.
        TokenVerifier verifier = TokenVerifier.builder().legacyClaimNames(true).build();
        RelayAuthorizer.Builder b = RelayAuthorizer.builder()
                .domains(AuthDomains.of(auth.domains()))
                .mtlsTier(auth.mtlsTier());
        if (auth.authApi() != null) {
            return b.api(AuthApi.builder(auth.authApi()).verifier(verifier).build()).build();
        }
        if (auth.key() != null || auth.keyDir() != null) {
            KeyResolver.Builder kb = KeyResolver.builder().verifier(verifier);
            b.keys(auth.key() != null ? kb.key(auth.key()).build() : kb.keyDir(auth.keyDir()).build());
        }
        return b.publicAccess(auth.publicSubscribe(), auth.publicPublish()).build();
    }

    /** Counts accept failures of a TCP listener when metrics are on. */
    private static io.netty.channel.ChannelHandler acceptHealth(RelayMetrics metrics, String listener) {
        return metrics == null ? null : new org.moqrelay.relay.metrics.AcceptHealthHandler(metrics.acceptHealth(listener));
    }

    private static PeerStreamSink dispatch(QuicChannel ch, String alpn, RelaySessions sessions, WebTransportServer wt) {
        if ("h3".equals(alpn)) {
            return wt.accept(ch);
        }
        LiteVersion v = LiteVersion.fromAlpn(alpn);
        if (v == null && !"moql".equals(alpn)) return null;
        QuicConnection conn = new QuicConnection(ch, alpn);
        ch.pipeline().addLast(conn);
        sessions.accept(conn, v);
        return conn;
    }

    private static long randomId() {
        return 1 + (new SecureRandom().nextLong() & ((1L << 53) - 2));
    }

    public InetSocketAddress quicAddress() {
        return quic.localAddress();
    }

    /** How many UDP sockets, each on its own event loop, serve {@link #quicAddress()}. */
    public int quicSockets() {
        return quic.sockets();
    }

    /** The plain TCP qmux listener's address, or null when disabled. */
    public InetSocketAddress tcpAddress() {
        return tcp == null ? null : tcp.localAddress();
    }

    /** The Unix-socket qmux listener's socket file, or null when disabled. */
    public java.nio.file.Path unixPath() {
        return unix == null ? null : unix.path();
    }

    /** The HTTPS listener's address, or null when disabled. */
    public InetSocketAddress webHttpsAddress() {
        return webHttps == null ? null : webHttps.localAddress();
    }

    /** The HTTP listener's address, or null when disabled. */
    public InetSocketAddress webAddress() {
        return web == null ? null : web.localAddress();
    }

    /** The internal ops listener's address, or null when disabled. */
    public InetSocketAddress internalAddress() {
        return internal == null ? null : internal.localAddress();
    }

    public Origin origin() {
        return origin;
    }

    public long relayId() {
        return relayId;
    }

    public String certificateSha256() {
        return keyManager.current().sha256Hex();
    }

    /** Checks the certificate files now instead of at the next tick (for tests and SIGHUP-style use). */
    public void reloadCertificate() {
        if (reloader != null) reloader.check();
        if (httpsReloader != null) httpsReloader.check();
        if (httpsRoots != null) httpsRoots.check();
        if (quicRoots != null) quicRoots.check();
    }

    /**
     * Graceful stop: GOAWAY to every session, then wait up to {@code drainMillis} for them to
     * leave before closing what is left.
     */
    public void shutdown(long drainMillis) {
        java.util.List<org.moqrelay.session.lite.LiteSession> open = new java.util.ArrayList<>(sessions.live());
        log.info("shutting down: GOAWAY to {} sessions, draining up to {} ms", open.size(), drainMillis);
        for (var s : open) s.goaway("");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
        for (var s : open) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            try {
                s.closed().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                break;
            }
        }
        for (var s : sessions.live()) s.close(0, "relay shutting down");
        close();
    }

    /** The sessions open now (a snapshot), e.g. to see which event loop serves each. */
    public java.util.List<org.moqrelay.session.lite.LiteSession> sessions() {
        return java.util.List.copyOf(sessions.live());
    }

    /** Number of sessions open now. */
    public int sessionCount() {
        return sessions.live().size();
    }

    @Override
    public void close() {
        if (reloader != null) reloader.close();
        if (governor != null) governor.close();
        if (quic != null) quic.close();
        if (web != null) web.close();
        if (webHttps != null) webHttps.close();
        if (httpsReloader != null) httpsReloader.close();
        if (httpsRoots != null) httpsRoots.close();
        if (quicRoots != null) quicRoots.close();
        if (tcp != null) tcp.close();
        if (unix != null) unix.close();
        origin.closeAll();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
        timer.shutdownNow();
        if (internal != null) internal.close();
        if (metrics != null) metrics.close();
        authorizer.close();
    }
}
