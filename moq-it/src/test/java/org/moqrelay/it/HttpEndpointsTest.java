package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.client.TestStream;
import org.moqrelay.client.TrackReader;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.relay.server.AuthConfig;
import org.moqrelay.relay.server.RelayConfig;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/** The HTTP endpoints with a real HTTP client: /announced, /fetch, /health, /certificate.sha256. */
class HttpEndpointsTest {
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.of(() -> RelayServer.start(
            new RelayConfig(new InetSocketAddress("127.0.0.1", 0), null, null, List.of("localhost"), new InetSocketAddress("127.0.0.1", 0),
                    AuthConfig.publicOnly(List.of("anon")), 5000, 0, null, null).withQuicThreads(Relays.THREADS)))
            .withClients(1, "it-http");
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.server().webAddress().getPort() + path))
                .timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void announcedListsBroadcastsRelativeToThePrefixAndFetchServesGroups() throws Exception {
        URI url = URI.create("moqt://127.0.0.1:" + relay.server().quicAddress().getPort() + "/anon");
        ClientOptions pinned = ClientOptions.pinned(relay.server().certificateSha256());
        try (MoqClient pub = MoqClient.connect(relay.clients(), url, pinned).get(10, TimeUnit.SECONDS)) {
            Track t = pub.publish(Path.of("http/one")).createTrack("video", TrackInfo.DEFAULT);
            pub.publish(Path.of("http/two")).createTrack("video", TrackInfo.DEFAULT);
            Relays.awaitAnnounced(relay.server().origin(), Path.of("anon/http/one"), 10);
            Relays.awaitAnnounced(relay.server().origin(), Path.of("anon/http/two"), 10);

            HttpResponse<String> all = get("/announced/anon");
            assertThat(all.statusCode()).isEqualTo(200);
            assertThat(all.body().split("\n")).containsExactly("http/one", "http/two");
            assertThat(all.headers().firstValue("access-control-allow-origin")).hasValue("*");
            assertThat(get("/announced/anon/http/one").body()).isEqualTo("");
            // The root overlaps the public prefix "anon": it sees only what is below it.
            assertThat(get("/announced").body().split("\n")).containsExactly("anon/http/one", "anon/http/two");
            assertThat(get("/announced/private").statusCode()).isEqualTo(401);

            Group g = t.createGroup(3);
            g.append(0, Unpooled.wrappedBuffer(TestStream.payload(3, 0, 0)));
            g.append(1, Unpooled.wrappedBuffer(TestStream.payload(3, 1, 0)));
            g.finish();
            HttpResponse<String> latest = get("/fetch/anon/http/one/video");
            assertThat(latest.statusCode()).isEqualTo(200);
            assertThat(latest.body()).isEqualTo("g3-f0g3-f1");
            assertThat(get("/fetch/anon/http/one/video?group=3").body()).isEqualTo("g3-f0g3-f1");

            // group=latest streams a group that is still being written. A live viewer keeps the
            // relay subscribed, so the new group is in its cache when the fetch arrives.
            MoqClient viewer = MoqClient.connect(relay.clients(), url, pinned).get(10, TimeUnit.SECONDS);
            TrackReader reader = new TrackReader(viewer.consume(Path.of("http/one")).track("video"), Demand.LATEST);
            assertThat(reader.poll(10, TimeUnit.SECONDS).group()).isEqualTo(3);
            Group live = t.createGroup(4);
            live.append(0, Unpooled.wrappedBuffer(TestStream.payload(4, 0, 0)));
            TrackReader.Received first = reader.poll(10, TimeUnit.SECONDS);
            while (first != null && first.group() != 4) first = reader.poll(10, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            CompletableFuture<HttpResponse<String>> streaming = CompletableFuture.supplyAsync(() -> {
                try {
                    return get("/fetch/anon/http/one/video?group=latest");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            live.append(1, Unpooled.wrappedBuffer(TestStream.payload(4, 1, 0)));
            live.finish();
            assertThat(streaming.get(20, TimeUnit.SECONDS).body()).isEqualTo("g4-f0g4-f1");
            reader.close();
            viewer.close();

            assertThat(get("/fetch/anon/http/one/video?group=99").statusCode()).isEqualTo(404);
            assertThat(get("/fetch/anon/http/one/audio").statusCode()).isEqualTo(404);
            assertThat(get("/fetch/anon").statusCode()).isEqualTo(400);
            assertThat(get("/fetch/anon/http/one/video?group=x").statusCode()).isEqualTo(400);
            assertThat(get("/fetch/private/x/video").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void healthAndCertificateHash() throws Exception {
        assertThat(get("/health").body()).isEqualTo("ok\n");
        HttpResponse<String> cert = get("/certificate.sha256");
        assertThat(cert.body()).matches("[0-9a-f]{64}").isEqualTo(relay.server().certificateSha256());
        assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
    }
}
