package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.client.load.LoadOptions;
import org.moqrelay.client.load.LoadTest;
import org.moqrelay.relay.server.AuthConfig;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.wire.LiteVersion;

/**
 * The Java client (and so {@code ./moq load}) over WebTransport ({@code https://}), as
 * {@code @moq/net} speaks it in a browser, next to raw QUIC on the same relay.
 */
class JavaWebTransportClientTest {
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.of(Relays::startDev).withClients(1, "it-wt-client");

    static URI https(RelayServer r, String path) {
        return URI.create("https://127.0.0.1:" + r.quicAddress().getPort() + path);
    }

    static MoqClient connect(URI url, ClientOptions options) throws Exception {
        return MoqClient.connect(relay.clients(), url, options).get(10, TimeUnit.SECONDS);
    }

    static ClientOptions pinned() {
        return ClientOptions.pinned(relay.server().certificateSha256());
    }

    @Test
    void framesPublishedOverWebTransportReachWebTransportAndQuicSubscribers() throws Exception {
        URI quic = URI.create("moqt://127.0.0.1:" + relay.server().quicAddress().getPort() + "/anon");
        try (MoqClient pub = connect(https(relay.server(), "/anon"), pinned());
             MoqClient wtSub = connect(https(relay.server(), "/anon"), pinned());
             MoqClient quicSub = connect(quic, pinned())) {
            assertThat(pub.connection().protocol()).as("subprotocol the relay chose").isEqualTo("moq-lite-05");
            assertThat(pub.session().liteVersion()).isEqualTo(LiteVersion.LITE_05);
            Relays.twoFramesReachEach(relay.server(), pub, "wt/one", wtSub, quicSub);
        }
    }

    @Test
    void anOlderVersionIsOfferedAsItsSubprotocolAndQuicPublishesToIt() throws Exception {
        ClientOptions lite03 = ClientOptions.pinned(relay.server().certificateSha256()).withVersion(LiteVersion.LITE_03);
        URI quic = URI.create("moqt://127.0.0.1:" + relay.server().quicAddress().getPort() + "/anon");
        try (MoqClient pub = connect(quic, pinned()); MoqClient sub = connect(https(relay.server(), "/anon"), lite03)) {
            assertThat(sub.connection().protocol()).isEqualTo("moq-lite-03");
            Relays.relayOneFrame(relay.server(), pub, sub, "anon", "wt/two");
        }
    }

    @Test
    void offeringOnlyMoqlRunsTheLegacySetupOverWebTransport() throws Exception {
        ClientOptions lite02 = ClientOptions.pinned(relay.server().certificateSha256()).withVersion(LiteVersion.LITE_02);
        URI quic = URI.create("moqt://127.0.0.1:" + relay.server().quicAddress().getPort() + "/anon");
        try (MoqClient pub = connect(quic, pinned()); MoqClient sub = connect(https(relay.server(), "/anon"), lite02)) {
            assertThat(sub.connection().protocol()).isEqualTo("moql");
            assertThat(sub.session().liteVersion()).isEqualTo(LiteVersion.LITE_02);
            Relays.relayOneFrame(relay.server(), pub, sub, "anon", "wt/legacy");
        }
    }

    @Test
    void aRefusedTokenClosesTheSessionWithUnauthorized() throws Exception {
        try (RelayServer closed = Relays.startDev(c -> c.withAuth(AuthConfig.NONE).withQuicThreads(1))) {
            // As the reference does: the CONNECT is answered 200, then the session closes with code 6.
            ClientOptions pin = ClientOptions.pinned(closed.certificateSha256());
            try (MoqClient refused = connect(https(closed, "/room?jwt=not-a-token"), pin)) {
                refused.session().closed().get(10, TimeUnit.SECONDS);
                assertThat(refused.session().closeDescription()).startsWith("code 6");
            }
        }
    }

    @Test
    void anotherCertificateThanThePinnedOneIsRefused() {
        ClientOptions wrongPin = ClientOptions.pinned("00".repeat(32));
        assertThatThrownBy(() -> connect(https(relay.server(), "/anon"), wrongPin))
                .hasCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class)
                .hasMessageContaining("CERTIFICATE_VERIFY_FAILED");
    }

    @Test
    void theLoadToolRunsOverWebTransport() throws Exception {
        LoadOptions o = new LoadOptions(https(relay.server(), "/anon"), pinned(), 1, 3, 1,
                50, 20, 0, 10, 2, 1, 500, 0, 1, 4, 20, 0, null);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Map<String, String> r = new LoadTest(o, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        assertThat(r).containsEntry("subscribers_connected", "3");
        assertThat(Long.parseLong(r.get("frames_received"))).as(log.toString(StandardCharsets.UTF_8)).isPositive();
        assertThat(r.get("frames_lost")).isEqualTo("0");
    }
}
