package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.moqrelay.it.TestCertificates.certificate;
import static org.moqrelay.it.TestCertificates.ecKeys;
import static org.moqrelay.it.TestCertificates.writePem;

import io.netty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;

import java.security.cert.X509Certificate;

import java.time.Instant;

import java.util.List;
import java.util.concurrent.TimeUnit;





import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.it.auth.AuthApiServer;
import org.moqrelay.relay.server.AuthConfig;
import org.moqrelay.relay.server.RelayConfig;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.transport.quic.EventLoops;
import org.moqrelay.transport.tls.CertificateBundle;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * mTLS ({@code --server-tls-root}): a client certificate from a trusted CA gets full access within
 * its path; no certificate falls through to tokens and public paths; a rogue CA is refused. With the
 * auth API, a certificate peer lands on the API's alias and tier (else {@code --auth-mtls-tier}).
 */
class MutualTlsTest {
    @TempDir
    static Path dir;
    static RelayServer relay;
    /** The same CA, plus the auth API, the mTLS tier "peers" and the metrics listener. */
    static RelayServer withApi;
    static AuthApiServer api;
    static EventLoopGroup clients;
    static CertificateBundle trusted;
    static CertificateBundle rogue;

    @BeforeAll
    static void start() throws Exception {
        KeyPair caKeys = ecKeys();
        X509Certificate ca = certificate("CN=test-ca", caKeys, "CN=test-ca", caKeys, true);
        Path caPem = dir.resolve("ca.pem");
        try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(caPem))) {
            w.writeObject(ca);
        }
        KeyPair clientKeys = ecKeys();
        trusted = new CertificateBundle(clientKeys.getPrivate(),
                List.of(certificate("CN=peer", clientKeys, "CN=test-ca", caKeys, false), ca));
        KeyPair rogueCa = ecKeys();
        KeyPair rogueKeys = ecKeys();
        rogue = new CertificateBundle(rogueKeys.getPrivate(),
                List.of(certificate("CN=rogue", rogueKeys, "CN=rogue-ca", rogueCa, false)));
        RelayConfig cfg = RelayConfig.development(new InetSocketAddress("127.0.0.1", 0), null)
                .withAuth(AuthConfig.NONE).withTlsRoot(caPem).withQuicThreads(Relays.THREADS);
        relay = RelayServer.start(cfg);
        api = AuthApiServer.start();
        api.answer(q -> switch (q.get("root")) {
            case "room" -> AuthApiServer.Answer.json("{\"alias\":\"peer-7\"}");
            case "edge" -> AuthApiServer.Answer.json("{\"tier\":\"edge\"}");
            default -> new AuthApiServer.Answer(503, "");
        });
        withApi = RelayServer.start(cfg.withAuth(AuthConfig.api(api.url()).withMtlsTier("peers"))
                .withInternalListen(new InetSocketAddress("127.0.0.1", 0)));
        clients = EventLoops.newGroup(1, "it-mtls");
    }

    @AfterAll
    static void stop() {
        if (relay != null) relay.close();
        if (withApi != null) withApi.close();
        if (api != null) api.close();
        if (clients != null) clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
    }

    static MoqClient connect(CertificateBundle cert) throws Exception {
        return connect(relay, cert, "/room");
    }

    static MoqClient connect(RelayServer r, CertificateBundle cert, String path) throws Exception {
        ClientOptions o = ClientOptions.pinned(r.certificateSha256());
        if (cert != null) o = o.withClientCertificate(cert);
        URI url = URI.create("moqt://127.0.0.1:" + r.quicAddress().getPort() + path);
        return MoqClient.connect(clients, url, o).get(10, TimeUnit.SECONDS);
    }

    @Test
    void withTheAuthApiACertificatePeerLandsOnTheAliasInTheMtlsTierOrTheApisTier() throws Exception {
        try (MoqClient pub = connect(withApi, trusted, "/room"); MoqClient edge = connect(withApi, trusted, "/edge")) {
            pub.publish(org.moqrelay.wire.Path.of("cam")).createTrack("video", TrackInfo.DEFAULT);
            Relays.awaitAnnounced(withApi.origin(), org.moqrelay.wire.Path.of("peer-7/cam"), 10);
            edge.publish(org.moqrelay.wire.Path.of("cam")).createTrack("video", TrackInfo.DEFAULT);
            Relays.awaitAnnounced(withApi.origin(), org.moqrelay.wire.Path.of("edge/cam"), 10);
            assertThat(api.requestsFor("room")).contains(java.util.Map.of("root", "room", "mtls", "true", "transport", "quic"));

            MetricsEndToEndTest.Scrape s = MetricsEndToEndTest.Scrape.of(withApi);
            assertThat(s.value("moq_relay_sessions_opened_total", "tier", "peers")).as("the API chose no tier").isEqualTo(1);
            assertThat(s.value("moq_relay_sessions_opened_total", "tier", "edge")).isEqualTo(1);
        }
        // The API failing refuses the peer, certificate or not (566 = 64 + 502): it would land on no alias.
        MoqClient refused = connect(withApi, trusted, "/other");
        refused.session().closed().get(10, TimeUnit.SECONDS);
        assertThat(refused.session().closeDescription()).startsWith("code 566");
    }

    @Test
    void aClientCertificateFromTheTrustedCaGetsFullAccessWithinItsPath() throws Exception {
        try (MoqClient pub = connect(trusted); MoqClient sub = connect(trusted)) {
            Relays.relayOneFrame(relay, pub, sub, "room");
        }
    }

    @Test
    void withoutACertificateTheSessionFallsThroughToTokensAndIsRefusedHere() throws Exception {
        MoqClient anonymous = connect(null);
        anonymous.session().closed().get(10, TimeUnit.SECONDS);
        assertThat(anonymous.session().isOpen()).isFalse();
        // The relay has no key and no public path: it closed the session (Unauthorized).
    }

    @Test
    void aCertificateFromAnotherCaGrantsNothing() throws Exception {
        MoqClient c;
        try {
            c = connect(rogue);
        } catch (Exception handshakeRefused) {
            return; // refused during the TLS handshake: also a correct outcome
        }
        // Not verified, so it counts as no certificate: no token, no public path, session closed.
        c.session().closed().get(10, TimeUnit.SECONDS);
        assertThat(c.session().isOpen()).isFalse();
    }

    @Test
    void aRotatedCaFileIsPickedUpWithoutARestart() throws Exception {
        Path caPem = dir.resolve("rotating-ca.pem");
        KeyPair firstKeys = ecKeys();
        X509Certificate first = certificate("CN=first-ca", firstKeys, "CN=first-ca", firstKeys, true);
        KeyPair nextKeys = ecKeys();
        X509Certificate next = certificate("CN=next-ca", nextKeys, "CN=next-ca", nextKeys, true);
        writePem(caPem, first);
        KeyPair peerKeys = ecKeys();
        CertificateBundle renewed = new CertificateBundle(peerKeys.getPrivate(),
                List.of(certificate("CN=peer", peerKeys, "CN=next-ca", nextKeys, false), next));
        try (RelayServer rotating = RelayServer.start(RelayConfig.development(new InetSocketAddress("127.0.0.1", 0), null)
                .withAuth(AuthConfig.NONE).withTlsRoot(caPem).withQuicThreads(Relays.THREADS))) {
            assertThat(grantsAccess(rotating, renewed)).as("a CA the relay does not know yet").isFalse();

            writePem(caPem, next);
            // A change whatever the file system's timestamp grain.
            Files.setLastModifiedTime(caPem, FileTime.from(Instant.now().plusSeconds(60)));
            // No call to reloadCertificate(): the relay's own file watch (every 2 s) must pick it up.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            boolean granted = grantsAccess(rotating, renewed);
            while (!granted && System.nanoTime() < deadline) granted = grantsAccess(rotating, renewed);
            assertThat(granted).as("the rotated CA, without a restart, within 15 s").isTrue();
        }
    }

    /** Whether a session with {@code cert} may publish in its path: it stays open and its broadcast is announced. */
    static boolean grantsAccess(RelayServer r, CertificateBundle cert) throws Exception {
        MoqClient c;
        try {
            c = connect(r, cert, "/room");
        } catch (Exception handshakeRefused) {
            return false;
        }
        try (c) {
            c.publish(org.moqrelay.wire.Path.of("cam")).createTrack("video", TrackInfo.DEFAULT);
            return Relays.announcedOrClosed(r.origin(), org.moqrelay.wire.Path.of("room/cam"), c.session().closed(), 10);
        }
    }
}
