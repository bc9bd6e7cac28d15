package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.moqrelay.it.TestCertificates.certificate;
import static org.moqrelay.it.TestCertificates.ecKeys;
import static org.moqrelay.it.TestCertificates.writePem;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.moqrelay.it.RawMoqPeer.concat;
import static org.moqrelay.it.RawMoqPeer.encode;
import static org.moqrelay.it.RawMoqPeer.varint;

import java.io.IOException;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;

import java.security.MessageDigest;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import java.time.Duration;
import java.time.Instant;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;







import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moqrelay.it.qmux.RawQmuxPeer;
import org.moqrelay.relay.server.AuthConfig;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.relay.server.WebHttpsConfig;
import org.moqrelay.transport.qmux.wire.QmuxFrame;
import org.moqrelay.transport.tls.CertificateBundle;
import org.moqrelay.transport.tls.Certificates;
import org.moqrelay.transport.qmux.wire.QmuxParams;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.VarInts;
import org.moqrelay.wire.lite.Announce;
import org.moqrelay.wire.lite.AnnounceOk;
import org.moqrelay.wire.lite.AnnounceRequest;
import org.moqrelay.wire.lite.LiteCodec;
import org.moqrelay.wire.lite.MessageKind;
import org.moqrelay.wire.lite.Setup;
import org.moqrelay.wire.lite.StreamType;

/**
 * Client certificates on the HTTPS / WSS listener ({@code --web-https-root}): a certificate from a
 * trusted CA gets full access within the URL path without a token, until it expires; no
 * certificate falls through to tokens and public paths; a rogue certificate gets nowhere; the CA
 * file is reloaded when it changes. The client is the JDK's HTTP and WebSocket client speaking
 * qmux-01 / moq-lite-05 by hand ({@link RawQmuxPeer}), presenting its certificate.
 */
class HttpsMutualTlsTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String SUBPROTOCOL = "qmux-01.moq-lite-05";

    @TempDir
    Path dir;
    Path caPem;
    KeyPair caKeys;
    X509Certificate ca;
    RelayServer relay;

    @BeforeEach
    void start() throws Exception {
        caKeys = ecKeys();
        ca = certificate("CN=test-ca", caKeys, "CN=test-ca", caKeys, true, Duration.ofDays(1));
        caPem = dir.resolve("ca.pem");
        writePem(caPem, ca);
        // Without a certificate only anon/ is open: elsewhere a tokenless client is refused.
        relay = Relays.startQuicOnly(c -> c.withAuth(AuthConfig.publicOnly(List.of("anon")))
                .withWebHttps(new WebHttpsConfig(new InetSocketAddress("127.0.0.1", 0), null, null, List.of(caPem))));
    }

    @AfterEach
    void stop() {
        if (relay != null) relay.close();
    }

    @Test
    void aTrustedCertificatePublishesAndListsWithinItsPathWithoutAToken() throws Exception {
        HttpClient https = client(peer(ca, caKeys, Duration.ofDays(1)));
        try (RawQmuxPeer peer = RawQmuxPeer.webSocket(https, uri("wss", "/room"), SUBPROTOCOL)) {
            announce(peer, "cam");
            Relays.awaitAnnounced(relay.origin(), org.moqrelay.wire.Path.of("room/cam"), 10);
            HttpResponse<String> listed = https.send(HttpRequest.newBuilder(uri("https", "/announced/room")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(listed.body()).isEqualTo("cam");
        }
    }

    @Test
    void aTrustedCertificateFetchesWithinItsPathWithoutATokenAndNoCertificateIsRefused() throws Exception {
        ClientCert cert = peer(ca, caKeys, Duration.ofDays(1));
        io.netty.channel.EventLoopGroup loops = org.moqrelay.transport.quic.EventLoops.newGroup(1, "it-https-fetch");
        URI wss = uri("wss", "/room");
        org.moqrelay.client.ClientOptions options = org.moqrelay.client.ClientOptions.pinned(relay.certificateSha256())
                .withClientCertificate(new CertificateBundle(cert.key(), List.of(cert.chain())));
        try (org.moqrelay.client.MoqClient pub = org.moqrelay.client.MoqClient.connect(loops, wss, options)
                .get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
            // Published over WSS with the certificate, then fetched over HTTPS with it.
            org.moqrelay.model.Track t = pub.publish(org.moqrelay.wire.Path.of("cam"))
                    .createTrack("video", org.moqrelay.wire.lite.TrackInfo.DEFAULT);
            Relays.awaitAnnounced(relay.origin(), org.moqrelay.wire.Path.of("room/cam"), 10);
            org.moqrelay.model.Group g = t.createGroup(0);
            g.append(0, io.netty.buffer.Unpooled.copiedBuffer("frame", java.nio.charset.StandardCharsets.UTF_8));
            g.finish();
            HttpRequest fetch = HttpRequest.newBuilder(uri("https", "/fetch/room/cam/video?group=0")).timeout(WAIT).build();
            HttpResponse<String> got = client(cert).send(fetch, HttpResponse.BodyHandlers.ofString());
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.body()).isEqualTo("frame");
            assertThat(client(null).send(fetch, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        } finally {
            loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly(5_000);
        }
    }

    @Test
    void withoutACertificateTokensAndPublicPathsDecide() throws Exception {
        HttpClient anonymous = client(null);
        assertThat(upgradeStatus(anonymous, "/room")).isEqualTo(401);
        assertThat(anonymous.send(HttpRequest.newBuilder(uri("https", "/announced/room")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        // The public path still works: no certificate falls through to the usual rules.
        try (RawQmuxPeer peer = RawQmuxPeer.webSocket(anonymous, uri("wss", "/anon"), SUBPROTOCOL)) {
            announce(peer, "cam");
            Relays.awaitAnnounced(relay.origin(), org.moqrelay.wire.Path.of("anon/cam"), 10);
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedByTheHandshake() throws Exception {
        KeyPair rogueCa = ecKeys();
        X509Certificate rogueRoot = certificate("CN=rogue-ca", rogueCa, "CN=rogue-ca", rogueCa, true, Duration.ofDays(1));
        HttpClient rogue = client(peer(rogueRoot, rogueCa, Duration.ofDays(1)));
        // The client sends it anyway (its key manager ignores the CAs the relay names); the relay's TLS refuses it.
        assertThatThrownBy(() -> rogue.send(HttpRequest.newBuilder(uri("https", "/announced/room")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> upgradeStatus(rogue, "/room")).isInstanceOf(IOException.class);
    }

    @Test
    void theSessionEndsWhenTheCertificateExpires() throws Exception {
        HttpClient shortLived = client(peer(ca, caKeys, Duration.ofSeconds(5)));
        try (RawQmuxPeer peer = RawQmuxPeer.webSocket(shortLived, uri("wss", "/room"), SUBPROTOCOL)) {
            announce(peer, "cam");
            QmuxFrame.ConnectionClose close = peer.closeFrame().get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(close.application()).isTrue();
            assertThat(close.code()).isEqualTo((long) ErrorCode.UNAUTHORIZED.code());
        }
    }

    @Test
    void aRotatedCaFileIsPickedUpWithoutARestart() throws Exception {
        KeyPair nextKeys = ecKeys();
        X509Certificate next = certificate("CN=next-ca", nextKeys, "CN=next-ca", nextKeys, true, Duration.ofDays(1));
        ClientCert old = peer(ca, caKeys, Duration.ofDays(1));
        HttpClient renewed = client(peer(next, nextKeys, Duration.ofDays(1)));
        assertThat(upgradeStatus(client(old), "/room")).isEqualTo(101);
        assertThatThrownBy(() -> upgradeStatus(renewed, "/room")).isInstanceOf(IOException.class);

        writePem(caPem, next);
        Files.setLastModifiedTime(caPem, FileTime.from(Instant.now().plusSeconds(60))); // a change whatever the clock's grain
        relay.reloadCertificate();

        // New clients: a resumed TLS session would keep the identity its first handshake verified.
        assertThat(upgradeStatus(client(peer(next, nextKeys, Duration.ofDays(1))), "/room")).isEqualTo(101);
        assertThatThrownBy(() -> upgradeStatus(client(old), "/room")).isInstanceOf(IOException.class);
    }

    @Test
    void theListenersOwnCertificateIsStillReloadedWithClientCertificatesOn() throws Exception {
        Path cert = dir.resolve("https.pem");
        Path key = dir.resolve("https.key");
        CertificateBundle first = Certificates.generateSelfSigned(List.of("localhost", "127.0.0.1"));
        Certificates.writePem(first, cert, key);
        ClientCert trusted = peer(ca, caKeys, Duration.ofDays(1));
        try (RelayServer own = Relays.startQuicOnly(c -> c.withAuth(AuthConfig.NONE)
                .withWebHttps(new WebHttpsConfig(new InetSocketAddress("127.0.0.1", 0), cert, key, List.of(caPem))))) {
            URI wss = URI.create("wss://127.0.0.1:" + own.webHttpsAddress().getPort() + "/room");
            assertThat(upgradeStatus(client(trusted, first.sha256Hex()), wss)).isEqualTo(101);

            CertificateBundle second = Certificates.generateSelfSigned(List.of("localhost", "127.0.0.1"));
            Certificates.writePem(second, cert, key);
            Files.setLastModifiedTime(cert, FileTime.from(Instant.now().plusSeconds(60)));
            own.reloadCertificate();

            assertThat(upgradeStatus(client(trusted, second.sha256Hex()), wss)).isEqualTo(101);
            assertThat(upgradeStatus(client(null, second.sha256Hex()), wss)).as("no certificate, no token").isEqualTo(401);
        }
    }

    // ---------------------------------------------------------------------------------------------

    URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + relay.webHttpsAddress().getPort() + path);
    }

    /** The upgrade's HTTP status: 101, or the refusal's; an IOException when TLS refused the connection. */
    int upgradeStatus(HttpClient client, String path) throws Exception {
        return upgradeStatus(client, uri("wss", path));
    }

    static int upgradeStatus(HttpClient client, URI wss) throws Exception {
        try {
            client.newWebSocketBuilder().subprotocols(SUBPROTOCOL).buildAsync(wss, new java.net.http.WebSocket.Listener() {})
                    .get(10, java.util.concurrent.TimeUnit.SECONDS).abort();
            return 101;
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) return h.getResponse().statusCode();
            if (e.getCause() instanceof IOException io) throw io;
            throw e;
        }
    }

    /** Sends our parameters and SETUP, answers the relay's ANNOUNCE_REQUEST and announces {@code name}. */
    static void announce(RawQmuxPeer peer, String name) throws Exception {
        peer.awaitRelayParams(WAIT);
        peer.sendParams(QmuxParams.DEFAULTS);
        long origin = 1 + (new SecureRandom().nextLong() & ((1L << 53) - 2));
        peer.writeStream(peer.openUni(), concat(varint(StreamType.UNI_SETUP), encode(Setup.of(origin, null, null, null))), true);
        // The relay asks a client that may publish for its broadcasts.
        long announces = peer.acceptBidi(WAIT);
        long type = peer.stream(announces).await(WAIT, "stream type", b -> VarInts.peekLength(b) < 0 ? null : VarInts.read(b));
        assertThat(type).isEqualTo(StreamType.BIDI_ANNOUNCE);
        AnnounceRequest request = (AnnounceRequest) peer.stream(announces).await(WAIT, "ANNOUNCE_REQUEST",
                b -> LiteCodec.decode(b, MessageKind.ANNOUNCE_REQUEST, LiteVersion.LITE_05));
        assertThat(request.prefix()).isEqualTo(org.moqrelay.wire.Path.ROOT);
        peer.writeStream(announces, concat(encode(new AnnounceOk(origin, 1)),
                encode(new Announce(Announce.Status.ACTIVE, org.moqrelay.wire.Path.of(name), List.of()))), false);
    }

    /** A client certificate issued by {@code issuer}, valid for {@code validity} from now. */
    static ClientCert peer(X509Certificate issuer, KeyPair issuerKeys, Duration validity) throws Exception {
        KeyPair keys = ecKeys();
        String issuerName = issuer.getSubjectX500Principal().getName();
        return new ClientCert(keys.getPrivate(), new X509Certificate[] {
                certificate("CN=peer", keys, issuerName, issuerKeys, false, validity), issuer});
    }

    record ClientCert(PrivateKey key, X509Certificate[] chain) {}

    /** An HTTP client that pins the relay's certificate and presents {@code cert} (or none). */
    HttpClient client(ClientCert cert) throws Exception {
        return client(cert, relay.certificateSha256());
    }

    /** An HTTP client that pins the certificate of SHA-256 {@code pin} and presents {@code cert} (or none). */
    static HttpClient client(ClientCert cert, String pin) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(cert == null ? null : new KeyManager[] {new AlwaysPresent(cert)}, new TrustManager[] {new Pinned(pin)}, null);
        SSLParameters params = new SSLParameters();
        params.setEndpointIdentificationAlgorithm(null);
        return HttpClient.newBuilder().sslContext(ctx).sslParameters(params).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Presents its one certificate whatever CAs the server names, as a misconfigured or hostile client would. */
    static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final ClientCert cert;

        AlwaysPresent(ClientCert cert) {
            this.cert = cert;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"peer"};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "peer";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "peer";
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return cert.chain();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return cert.key();
        }
    }

    /** Trusts exactly the relay's (self-signed, generated) certificate. */
    record Pinned(String sha256) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                if (!HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded())).equals(sha256)) {
                    throw new CertificateException("not the pinned certificate");
                }
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new CertificateException(e);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
