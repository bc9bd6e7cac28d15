package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
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
import org.moqrelay.relay.server.WebHttpsConfig;

/**
 * The Java client (and so {@code ./moq load}) over qmux on a WebSocket, {@code ws://} and
 * {@code wss://}, next to raw QUIC on the same relay.
 */
class JavaWebSocketClientTest {
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.of(() -> Relays.startDev(
            c -> c.withWebHttps(new WebHttpsConfig(new InetSocketAddress("127.0.0.1", 0), null, null, null))))
            .withClients(1, "it-ws-client");

    static URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + relay.server().webAddress().getPort() + path);
    }

    static URI wss(String path) {
        return URI.create("wss://127.0.0.1:" + relay.server().webHttpsAddress().getPort() + path);
    }

    static MoqClient connect(URI url) throws Exception {
        return MoqClient.connect(relay.clients(), url, ClientOptions.pinned(relay.server().certificateSha256())).get(10, TimeUnit.SECONDS);
    }

    @Test
    void framesPublishedOverAWebSocketReachWebSocketAndQuicSubscribers() throws Exception {
        URI quic = URI.create("moqt://127.0.0.1:" + relay.server().quicAddress().getPort() + "/anon");
        try (MoqClient pub = connect(ws("/anon")); MoqClient wsSub = connect(ws("/anon")); MoqClient quicSub = connect(quic)) {
            Relays.twoFramesReachEach(relay.server(), pub, "ws/one", wsSub, quicSub);
        }
    }

    @Test
    void wssVerifiesTheRelayByItsPinnedCertificate() throws Exception {
        try (MoqClient pub = connect(wss("/anon")); MoqClient sub = connect(wss("/anon"))) {
            Relays.relayOneFrame(relay.server(), pub, sub, "anon", "wss/one");
        }
        ClientOptions wrongPin = ClientOptions.pinned("00".repeat(32));
        assertThatThrownBy(() -> MoqClient.connect(relay.clients(), wss("/anon"), wrongPin).get(10, TimeUnit.SECONDS))
                .as("another certificate than the pinned one").hasRootCauseInstanceOf(java.security.cert.CertificateException.class);
    }

    @Test
    void aRefusedUpgradeFailsTheConnectWithTheRelaysStatus() throws Exception {
        try (RelayServer closed = Relays.startDev(c -> c.withAuth(AuthConfig.NONE).withQuicThreads(1))) {
            URI url = URI.create("ws://127.0.0.1:" + closed.webAddress().getPort() + "/room");
            // No token and no public path: 401 before the upgrade.
            assertThatThrownBy(() -> MoqClient.connect(relay.clients(), url, ClientOptions.DEFAULT).get(10, TimeUnit.SECONDS))
                    .hasMessageContaining("401");
        }
    }

    @Test
    void theLoadToolRunsOverAWebSocket() throws Exception {
        LoadOptions o = new LoadOptions(ws("/anon"), ClientOptions.pinned(relay.server().certificateSha256()), 1, 4, 1,
                50, 20, 0, 10, 1, 1, 500, 0, 1, 4, 20, 0, null);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Map<String, String> r = new LoadTest(o, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        assertThat(r).containsEntry("subscribers_connected", "4");
        assertThat(Long.parseLong(r.get("frames_received"))).as(log.toString(StandardCharsets.UTF_8)).isPositive();
        assertThat(r.get("frames_lost")).isEqualTo("0");
    }
}
