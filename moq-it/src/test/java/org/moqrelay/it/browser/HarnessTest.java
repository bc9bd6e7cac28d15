package org.moqrelay.it.browser;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Self-test of the browser harness: real npm @moq/net in real headless Chromium, reporting to
 * {@link ResultServer}. The relay-less tests use {@link NodeMiniRelay} (WebSocket path) to prove
 * publish/subscribe/version reporting end to end; relay tests live elsewhere.
 */
class HarnessTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @BeforeEach
    void browser() {
        BrowserSupport.requireBrowser();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void probeReportsWebTransportAndMoqNetVersion() {
        try (ResultServer server = ResultServer.start();
             BrowserPage page = BrowserPage.open(server, "probe", Map.of("mode", "probe"))) {
            PageResult r = page.awaitResult(WAIT);
            assertThat(r.ok()).as("%s%s", r, page.diagnostics()).isTrue();
            assertThat(r.webTransport()).as("typeof WebTransport in headless Chromium").isEqualTo("function");
            assertThat(r.moqNetVersion()).isEqualTo(BrowserSupport.installedMoqNetVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
            assertThat(compareVersions(r.moqNetVersion(), "0.3.4")).as("@moq/net >= 0.3.4").isGreaterThanOrEqualTo(0);
            assertThat(String.valueOf(r.get("userAgent"))).contains("Chrome/");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void hideWebTransportRemovesIt() {
        try (ResultServer server = ResultServer.start();
             BrowserPage page = BrowserPage.open(server, "probe-nowt", Map.of("mode", "probe", "hideWebTransport", "1"))) {
            PageResult r = page.awaitResult(WAIT);
            assertThat(r.ok()).as("%s%s", r, page.diagnostics()).isTrue();
            assertThat(r.webTransport()).isEqualTo("undefined");
            assertThat(r.get("webSocket")).isEqualTo("function");
        }
    }

    /** Two browsers, publisher and subscriber, through the Node stand-in relay over WebSocket. */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void publishAndSubscribeAcrossTwoBrowsersViaMiniRelay() {
        try (NodeMiniRelay relay = NodeMiniRelay.start("harness-pubsub");
             ResultServer server = ResultServer.start()) {
            Map<String, String> common = Map.of("relay", relay.url(), "broadcast", "harness/pub", "track", "t",
                    "frames", "3", "hideWebTransport", "1");
            try (BrowserPage pub = BrowserPage.open(server, "pub", with(common, "mode", "publish", "groups", "0", "interval", "100"))) {
                Map<String, Object> publishing = pub.awaitEvent("publishing", WAIT);
                assertThat(publishing.get("version")).isEqualTo("moq-lite-05");
                try (BrowserPage sub = BrowserPage.open(server, "sub",
                        with(common, "mode", "subscribe", "groups", "4", "waitAnnounce", "1", "timeout", "30000"))) {
                    PageResult r = sub.awaitResult(WAIT);
                    assertThat(r.ok()).as("%s%s%s", r, sub.diagnostics(), relay.outputTail()).isTrue();
                    assertThat(r.version()).isEqualTo("moq-lite-05");
                    assertThat(r.transport()).isEqualTo("websocket");
                    List<PageResult.Frame> frames = r.frames();
                    assertThat(frames).hasSize(12).allMatch(PageResult.Frame::ok);
                    assertThat(frames).allMatch(f -> f.payload().equals("g" + f.group() + "-f" + f.frame()));
                }
                pub.stop();
                PageResult p = pub.awaitResult(WAIT);
                assertThat(p.ok()).as("%s%s", p, pub.diagnostics()).isTrue();
                assertThat(p.groupsWritten()).isGreaterThanOrEqualTo(4);
            }
        }
    }

    /** One page, two connections (publisher + subscriber), with padded payloads. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void pubsubInOnePageViaMiniRelay() {
        try (NodeMiniRelay relay = NodeMiniRelay.start("harness-one-page");
             ResultServer server = ResultServer.start();
             BrowserPage page = BrowserPage.open(server, "pubsub", Map.of("mode", "pubsub", "relay", relay.url(),
                     "broadcast", "harness/one", "groups", "3", "frames", "2", "size", "1000", "hideWebTransport", "1"))) {
            PageResult r = page.awaitResult(WAIT);
            assertThat(r.ok()).as("%s%s%s", r, page.diagnostics(), relay.outputTail()).isTrue();
            assertThat(r.frames()).hasSize(6).allMatch(f -> f.ok() && f.length() == 1000);
            assertThat(r.get("pubVersion")).isEqualTo("moq-lite-05");
        }
    }

    /**
     * WebTransport to a port with no QUIC listener: the page fetches /certificate.sha256 (served here by the
     * ResultServer itself), pins it, fails to connect, and reports ok=false with an error instead of hanging.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void connectFailureIsReported() {
        try (ResultServer server = ResultServer.start()) {
            AtomicInteger certFetches = new AtomicInteger();
            server.route("/certificate.sha256", ex -> {
                certFetches.incrementAndGet();
                byte[] body = "0".repeat(64).getBytes(StandardCharsets.US_ASCII);
                ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
                ex.getResponseHeaders().set("Content-Type", "text/plain");
                ex.sendResponseHeaders(200, body.length);
                try (ex; var out = ex.getResponseBody()) {
                    out.write(body);
                }
            });
            try (BrowserPage page = BrowserPage.open(server, "nowhere", Map.of("mode", "subscribe",
                    "relay", server.origin() + "/anon", "websocket", "0", "connectTimeout", "5000"))) {
                PageResult r = page.awaitResult(WAIT);
                assertThat(r.ok()).as("%s", r).isFalse();
                assertThat(r.error()).as("%s%s", r, page.diagnostics()).isNotBlank();
                assertThat(certFetches.get()).as("GET /certificate.sha256").isEqualTo(1);
                assertThat(page.run().logs()).anyMatch(l -> l.contains("connecting to http://127.0.0.1:" + server.port() + "/anon"));
            }
        }
    }

    static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>(base);
        for (int i = 0; i + 1 < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < 3; i++) {
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) return c;
        }
        return 0;
    }
}
