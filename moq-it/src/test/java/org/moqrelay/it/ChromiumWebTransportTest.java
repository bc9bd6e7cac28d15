package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.client.TestStream;
import org.moqrelay.it.browser.BrowserPage;
import org.moqrelay.it.browser.BrowserSupport;
import org.moqrelay.it.browser.PageResult;
import org.moqrelay.it.browser.ResultServer;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * Real headless Chromium running npm {@code @moq/net} against the relay over WebTransport:
 * moq-lite-05 must be negotiated and media must flow both ways.
 */
class ChromiumWebTransportTest {
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.of(() -> {
        BrowserSupport.requireBrowser();
        return Relays.startDevSamePort();
    }).withClients(1, "it-chromium-clients");

    static String relayUrl() {
        return "http://127.0.0.1:" + relay.server().webAddress().getPort() + "/anon";
    }

    @Test
    void aPagePublishesAndAnotherPageSubscribesThroughTheRelay() throws Exception {
        try (ResultServer server = ResultServer.start();
             BrowserPage pub = BrowserPage.open(server, "pub", Map.of("mode", "publish", "relay", relayUrl(),
                     "websocket", "0", "broadcast", "chromium/pub", "track", "video", "groups", "0", "frames", "3",
                     "interval", "100"))) {
            pub.awaitEvent("publishing", Duration.ofSeconds(60));
            Relays.awaitAnnounced(relay.server().origin(), Path.of("anon/chromium/pub"), 30);
            try (BrowserPage sub = BrowserPage.open(server, "sub", Map.of("mode", "subscribe", "relay", relayUrl(),
                    "websocket", "0", "broadcast", "chromium/pub", "track", "video", "groups", "3", "frames", "3"))) {
                PageResult r = sub.awaitResult(Duration.ofSeconds(90));
                assertThat(r.ok()).as("%s%s", r, sub.diagnostics()).isTrue();
                assertThat(r.version()).isEqualTo("moq-lite-05");
                assertThat(r.transport()).isEqualTo("webtransport");
                assertThat(r.frames()).hasSizeGreaterThanOrEqualTo(9).allSatisfy(f -> assertThat(f.ok()).isTrue());
            }
            pub.stop();
            PageResult pr = pub.awaitResult(Duration.ofSeconds(30));
            assertThat(pr.ok()).as("%s%s", pr, pub.diagnostics()).isTrue();
            assertThat(pr.version()).isEqualTo("moq-lite-05");
        }
    }

    @Test
    void chromiumSubscribesToABroadcastTheJavaClientPublishes() throws Exception {
        chromiumWatchesJavaBroadcast("java/pub", 3);
    }

    /** Longer than the 10 s keep-alive period: the keep-alive datagrams must not disturb @moq/net. */
    @Test
    void aChromiumViewerKeepsWatchingPastTheKeepAliveInterval() throws Exception {
        chromiumWatchesJavaBroadcast("java/long", 120);
    }

    private void chromiumWatchesJavaBroadcast(String name, int groups) throws Exception {
        URI url = URI.create("moqt://127.0.0.1:" + relay.server().quicAddress().getPort() + "/anon");
        try (MoqClient client = MoqClient.connect(relay.clients(), url, ClientOptions.pinned(relay.server().certificateSha256()))
                .get(10, TimeUnit.SECONDS)) {
            Broadcast b = client.publish(Path.of(name));
            Track t = b.createTrack("video", TrackInfo.DEFAULT);
            Relays.awaitAnnounced(relay.server().origin(), Path.of("anon/" + name), 10);
            AtomicBoolean running = new AtomicBoolean(true);
            Thread producer = Thread.ofVirtual().start(() -> {
                long start = System.currentTimeMillis();
                for (long g = 0; running.get() && g < 600; g++) {
                    Group grp = t.createGroup(g);
                    for (int f = 0; f < 3 && grp != null; f++) {
                        grp.append(System.currentTimeMillis() - start, Unpooled.wrappedBuffer(TestStream.payload(g, f, 200)));
                        pause(33);
                    }
                    if (grp != null) grp.finish();
                }
            });
            try (ResultServer server = ResultServer.start();
                 BrowserPage sub = BrowserPage.open(server, "sub", Map.of("mode", "subscribe", "relay", relayUrl(),
                         "websocket", "0", "broadcast", name, "track", "video", "groups", String.valueOf(groups),
                         "frames", "3", "size", "200", "timeout", "60000"))) {
                PageResult r = sub.awaitResult(Duration.ofSeconds(90));
                assertThat(r.ok()).as("%s%s", r, sub.diagnostics()).isTrue();
                assertThat(r.version()).isEqualTo("moq-lite-05");
                assertThat(r.transport()).isEqualTo("webtransport");
                assertThat(r.frames()).hasSizeGreaterThanOrEqualTo(3 * groups).allSatisfy(f -> assertThat(f.ok()).isTrue());
            } finally {
                running.set(false);
                producer.join(5_000);
                t.finish();
            }
        }
    }

    /** Paces the test producer like a camera; this is the workload, not synchronisation. */
    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
