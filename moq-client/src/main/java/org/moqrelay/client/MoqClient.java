package org.moqrelay.client;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.util.FingerprintTrustManagerFactory;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Origin;
import org.moqrelay.session.lite.LegacyClientSetup;
import org.moqrelay.session.lite.LiteSession;
import org.moqrelay.session.lite.SessionConfig;
import org.moqrelay.transport.qmux.tcp.TcpClient;
import org.moqrelay.transport.qmux.unix.UnixClient;
import org.moqrelay.transport.qmux.ws.WebSocketClient;
import org.moqrelay.transport.quic.QuicClient;
import org.moqrelay.transport.quic.QuicTransportConfig;
import org.moqrelay.transport.webtransport.WebTransportClient;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;

/**
 * A moq-lite client over raw QUIC, WebTransport, WebSocket or plain qmux (TCP, Unix socket): publishes local broadcasts to
 * a relay and subscribes to the relay's. Uses the same session code as the relay, from the other side.
 *
 * <pre>{@code
 * MoqClient c = MoqClient.connect(group, URI.create("moqt://localhost:4443/anon"), ClientOptions.INSECURE).get();
 * Broadcast b = c.publish(Path.of("clock"));
 * Track t = b.createTrack("seconds", TrackInfo.DEFAULT);
 * }</pre>
 */
public final class MoqClient implements AutoCloseable {
    private final LiteSession session;
    private final org.moqrelay.session.spi.Connection connection;
    private final Origin published;
    private final Origin announced;
    private final long originId;

    private MoqClient(LiteSession session, org.moqrelay.session.spi.Connection connection, Origin published,
                      Origin announced, long originId) {
        this.session = session;
        this.connection = connection;
        this.published = published;
        this.announced = announced;
        this.originId = originId;
    }

    /**
     * Connects to {@code url} and completes once the session is up:
     *
     * <ul>
     *   <li>{@code moqt://host:port/path?jwt=...}: raw QUIC; the path and query travel in the lite-05 SETUP;</li>
     *   <li>{@code https://host:port/path?jwt=...}: WebTransport (HTTP/3 extended CONNECT over QUIC), as
     *       {@code @moq/net} speaks it in browsers; the path and query travel in the CONNECT; the
     *       options' version and every older one are offered as subprotocols, newest first, and the
     *       session speaks the one the server chose; a relay refusing the token closes the session
     *       with code 6, a non-2xx answer fails with {@code WebTransportRefusedException}, a server
     *       whose HTTP/3 SETTINGS do not allow WebTransport with {@code WebTransportUnsupportedException};</li>
     *   <li>{@code tcp://host:port/path?jwt=...}: plain qmux over TCP, likewise;</li>
     *   <li>{@code ws://host:port/path?jwt=...} and {@code wss://...}: qmux over a WebSocket, as
     *       {@code @moq/net} falls back to; the path and query travel in the upgrade request;</li>
     *   <li>{@code unix:///run/moq.sock?path=/room%3Fjwt%3D...}: plain qmux over a Unix socket (an epoll
     *       {@code group}); the URL path is the socket file, so the SETUP path rides the form-encoded
     *       {@code path} parameter, as in the reference.</li>
     * </ul>
     */
    public static CompletableFuture<MoqClient> connect(EventLoopGroup group, URI url, ClientOptions options) {
        CompletableFuture<MoqClient> result = new CompletableFuture<>();
        String scheme = url.getScheme();
        if ("unix".equals(scheme)) {
            return connectUnix(group, url, options.version(), result);
        }
        if ("ws".equals(scheme) || "wss".equals(scheme)) {
            return connectWebSocket(group, url, options, result);
        }
        if (!"moqt".equals(scheme) && !"moql".equals(scheme) && !"tcp".equals(scheme) && !"https".equals(scheme)) {
            result.completeExceptionally(new IllegalArgumentException("unsupported URL scheme '" + scheme
                    + "' (expected moqt:// for raw QUIC, https:// for WebTransport, ws:// or wss:// for a WebSocket,"
                    + " tcp:// or unix:// for plain qmux)"));
            return result;
        }
        if (url.getPort() < 0) {
            result.completeExceptionally(new IllegalArgumentException("URL needs a port: " + url));
            return result;
        }
        if ("tcp".equals(scheme)) {
            return connectTcp(group, url, options.version(), result);
        }
        boolean webTransport = "https".equals(scheme);
        QuicSslContext ssl;
        try {
            ssl = sslContext(options, webTransport ? WebTransportClient.ALPN : options.version().alpn());
        } catch (Exception e) {
            result.completeExceptionally(e);
            return result;
        }
        if (webTransport) {
            connectWebTransport(group, ssl, url, options.version(), result);
            return result;
        }
        InetSocketAddress remote = new InetSocketAddress(url.getHost(), url.getPort());
        startWhenUp(QuicClient.connect(group, ssl, QuicTransportConfig.DEFAULT, remote, options.version().alpn()),
                group, options.version(), pathAndQuery(url), result);
        return result;
    }

    /**
     * A WebTransport session offering {@code newest} and every older version, as {@code @moq/net}
     * does, speaking the one the server chose; closed with code 9 (Version) and failed if it chose
     * one that was not offered. The relay takes the path from the CONNECT request, as from a browser.
     */
    private static void connectWebTransport(EventLoopGroup group, QuicSslContext ssl, URI url, LiteVersion newest,
                                            CompletableFuture<MoqClient> result) {
        java.util.List<String> offered = WebTransportProtocols.offered(newest);
        startWhenUp(WebTransportClient.connect(group, ssl, QuicTransportConfig.DEFAULT, url, offered), group,
                conn -> WebTransportProtocols.chosen(conn.protocol(), offered), offered, "", result);
    }

    private static CompletableFuture<MoqClient> connectWebSocket(EventLoopGroup group, URI url, ClientOptions options,
                                                                 CompletableFuture<MoqClient> result) {
        io.netty.handler.ssl.SslContext ssl = null;
        try {
            if ("wss".equals(url.getScheme())) ssl = webSslContext(options);
        } catch (Exception e) {
            result.completeExceptionally(e);
            return result;
        }
        // The relay takes the path from the upgrade request, as from a browser.
        startWhenUp(WebSocketClient.connect(group, url, ssl, java.util.List.of(options.version().alpn())),
                group, options.version(), "", result);
        return result;
    }

    /** TLS for {@code wss://}, verified as {@link #sslContext} verifies QUIC. */
    private static io.netty.handler.ssl.SslContext webSslContext(ClientOptions o) throws javax.net.ssl.SSLException {
        io.netty.handler.ssl.SslContextBuilder b = io.netty.handler.ssl.SslContextBuilder.forClient();
        if (o.clientCertificate() != null) b.keyManager(o.clientCertificate().key(), chain(o));
        javax.net.ssl.TrustManagerFactory trust = pinnedTrust(o);
        if (trust != null) b.trustManager(trust).endpointIdentificationAlgorithm(null);
        return b.build();
    }

    private static CompletableFuture<MoqClient> connectTcp(EventLoopGroup group, URI url, LiteVersion version,
                                                           CompletableFuture<MoqClient> result) {
        InetSocketAddress remote = new InetSocketAddress(url.getHost(), url.getPort());
        startWhenUp(TcpClient.connect(group, remote, java.util.List.of(version.alpn())), group, version, pathAndQuery(url),
                result);
        return result;
    }

    private static CompletableFuture<MoqClient> connectUnix(EventLoopGroup group, URI url, LiteVersion version,
                                                            CompletableFuture<MoqClient> result) {
        if (url.getPath() == null || url.getPath().isEmpty()) {
            result.completeExceptionally(new IllegalArgumentException(
                    "no socket path in " + url + " (expected unix:///path/to/relay.sock?path=/room)"));
            return result;
        }
        java.util.List<String> path = new io.netty.handler.codec.http.QueryStringDecoder(url.getRawQuery() == null
                ? "" : url.getRawQuery(), false).parameters().get("path");
        String pathAndQuery = path == null ? "" : path.get(0);
        try {
            startWhenUp(UnixClient.connect(group, java.nio.file.Path.of(url.getPath()), java.util.List.of(version.alpn())),
                    group, version, pathAndQuery, result);
        } catch (IllegalStateException e) { // no epoll
            result.completeExceptionally(e);
        }
        return result;
    }

    private static void start(EventLoopGroup group, org.moqrelay.session.spi.Connection conn, LiteVersion version,
                              String pathAndQuery, CompletableFuture<MoqClient> result) {
        long originId = 1 + (new SecureRandom().nextLong() & ((1L << 53) - 2));
        Origin published = new Origin(group, 0);
        Origin announced = new Origin(group, 0);
        SessionConfig cfg = new SessionConfig(false, originId, published, announced, false, pathAndQuery, null);
        if (version.hasLegacySetup()) {
            LegacyClientSetup.connect(conn, cfg, "client").whenComplete((s, err) -> {
                if (err != null) result.completeExceptionally(err);
                else result.complete(new MoqClient(s, conn, published, announced, originId));
            });
            return;
        }
        result.complete(new MoqClient(LiteSession.start(conn, version, cfg, "client"), conn, published, announced, originId));
    }

    /** Once {@code dialed} is up, starts the session on its event loop; or fails {@code result}. */
    private static void startWhenUp(io.netty.util.concurrent.Future<? extends org.moqrelay.session.spi.Connection> dialed,
                                    EventLoopGroup group, LiteVersion version, String pathAndQuery,
                                    CompletableFuture<MoqClient> result) {
        startWhenUp(dialed, group, conn -> version, java.util.List.of(version.alpn()), pathAndQuery, result);
    }

    /**
     * Once {@code dialed} is up, starts the session on its event loop in the version {@code chosen}
     * reads from it; where that is none of {@code offered} (null), closes it with code 9 (Version)
     * and fails {@code result}, as it does when the dial fails.
     */
    private static void startWhenUp(io.netty.util.concurrent.Future<? extends org.moqrelay.session.spi.Connection> dialed,
                                    EventLoopGroup group,
                                    java.util.function.Function<org.moqrelay.session.spi.Connection, LiteVersion> chosen,
                                    java.util.List<String> offered, String pathAndQuery, CompletableFuture<MoqClient> result) {
        dialed.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            org.moqrelay.session.spi.Connection conn = dialed.getNow();
            conn.eventLoop().execute(() -> {
                LiteVersion version = chosen.apply(conn);
                if (version != null) {
                    start(group, conn, version, pathAndQuery, result);
                    return;
                }
                conn.close(ErrorCode.VERSION.code(), "no common version");
                result.completeExceptionally(new IllegalStateException("the server (" + conn.describe() + ") chose '"
                        + conn.protocol() + "', which was not offered " + offered));
            });
        });
    }

    /** The URL's path and query, as the SETUP carries them. */
    private static String pathAndQuery(URI url) {
        return (url.getRawPath() == null ? "" : url.getRawPath()) + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    }

    private static QuicSslContext sslContext(ClientOptions o, String alpn) {
        QuicSslContextBuilder b = QuicSslContextBuilder.forClient().applicationProtocols(alpn);
        if (o.clientCertificate() != null) b.keyManager(o.clientCertificate().key(), null, chain(o));
        javax.net.ssl.TrustManagerFactory trust = pinnedTrust(o);
        if (trust != null) b.trustManager(trust).endpointIdentificationAlgorithm(null);
        return b.build();
    }

    /**
     * What a pinned or ignored certificate trusts, in place of host-name verification as in
     * browsers; null for the default (the system's CAs and the host name).
     */
    private static javax.net.ssl.TrustManagerFactory pinnedTrust(ClientOptions o) {
        if (o.disableVerify()) return InsecureTrustManagerFactory.INSTANCE;
        if (o.fingerprintSha256() != null) {
            return FingerprintTrustManagerFactory.builder("SHA-256").fingerprints(o.fingerprintSha256()).build();
        }
        return null;
    }

    private static java.security.cert.X509Certificate[] chain(ClientOptions o) {
        return o.clientCertificate().chain().toArray(new java.security.cert.X509Certificate[0]);
    }

    /** The transport connection under the session (a QuicConnection for moqt://). */
    public org.moqrelay.session.spi.Connection connection() {
        return connection;
    }

    /** Starts publishing a broadcast at {@code path} (relative to the session's root). */
    public Broadcast publish(Path path) {
        Broadcast b = Broadcast.local(path);
        published.publish(b);
        return b;
    }

    /** Stops publishing {@code b}: the relay sees it unannounced and its tracks end. */
    public void unpublish(Broadcast b) {
        published.unpublish(b);
    }

    /** The relay's broadcast at {@code path}; subscribe to its tracks with {@code track(name).subscribe(...)}. */
    public Broadcast consume(Path path) {
        return session.consume(path);
    }

    /**
     * Asks the relay for broadcasts under {@code prefix}; they appear in {@link #announced()},
     * where {@link Origin#watch} reports them.
     */
    public Origin announced(Path prefix) {
        session.requestAnnounces(prefix);
        return announced;
    }

    public Origin announced() {
        return announced;
    }

    public LiteSession session() {
        return session;
    }

    /** This client's hop id (its SETUP Origin). */
    public long originId() {
        return originId;
    }

    @Override
    public void close() {
        session.close(0, "");
        published.closeAll();
        announced.closeAll();
    }
}
