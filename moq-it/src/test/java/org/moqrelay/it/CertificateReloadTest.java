package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.relay.server.AuthConfig;
import org.moqrelay.relay.server.RelayConfig;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.transport.quic.EventLoops;
import org.moqrelay.transport.tls.CertificateBundle;
import org.moqrelay.transport.tls.Certificates;

/** A certificate replaced on disk is served to new connections without a restart. */
class CertificateReloadTest {
    @TempDir
    Path dir;

    @Test
    void aReplacedCertificateIsServedToTheNextConnection() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        CertificateBundle first = Certificates.generateSelfSigned(List.of("localhost"));
        Certificates.writePem(first, cert, key);
        RelayConfig cfg = new RelayConfig(new InetSocketAddress("127.0.0.1", 0), cert, key, List.of(),
                new InetSocketAddress("127.0.0.1", 0), AuthConfig.publicOnly(List.of("")), 0, 0, null, null)
                .withQuicThreads(Relays.THREADS);
        EventLoopGroup clients = EventLoops.newGroup(1, "it-reload");
        try (RelayServer relay = RelayServer.start(cfg)) {
            URI url = URI.create("moqt://127.0.0.1:" + relay.quicAddress().getPort() + "/anon");
            assertThat(relay.certificateSha256()).isEqualTo(first.sha256Hex());
            MoqClient.connect(clients, url, ClientOptions.pinned(first.sha256Hex())).get(10, TimeUnit.SECONDS).close();

            CertificateBundle second = Certificates.generateSelfSigned(List.of("localhost"));
            Certificates.writePem(second, cert, key);
            // Make sure the modification time moves even on coarse file systems.
            java.nio.file.Files.setLastModifiedTime(cert, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
            relay.reloadCertificate();

            assertThat(relay.certificateSha256()).isEqualTo(second.sha256Hex());
            HttpResponse<String> hash = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + relay.webAddress().getPort() + "/certificate.sha256")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(hash.body()).isEqualTo(second.sha256Hex());
            // Every socket (each on its own loop) serves the new certificate: connect until both loops have a session.
            List<MoqClient> renewed = new java.util.ArrayList<>();
            java.util.Set<io.netty.channel.EventLoop> loops = new java.util.HashSet<>();
            try {
                for (int i = 0; i < 24 && loops.size() < Relays.THREADS; i++) {
                    MoqClient c = MoqClient.connect(clients, url, ClientOptions.pinned(second.sha256Hex())).get(10, TimeUnit.SECONDS);
                    renewed.add(c);
                    c.publish(org.moqrelay.wire.Path.of("reload/" + i));
                    Relays.awaitAnnounced(relay.origin(), org.moqrelay.wire.Path.of("anon/reload/" + i), 10);
                    for (var s : relay.sessions()) loops.add(s.eventLoop());
                }
            } finally {
                for (MoqClient c : renewed) c.close();
            }
            assertThat(loops).as("loops whose socket served the renewed certificate").hasSize(Relays.THREADS);
            assertThatThrownBy(() -> MoqClient.connect(clients, url, ClientOptions.pinned(first.sha256Hex()))
                    .get(10, TimeUnit.SECONDS)).isNotNull();
        } finally {
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
        }
    }
}
