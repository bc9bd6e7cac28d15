package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.moqrelay.it.browser.BrowserPage;
import org.moqrelay.it.browser.BrowserSupport;
import org.moqrelay.it.browser.PageResult;
import org.moqrelay.it.browser.ResultServer;
import org.moqrelay.it.node.RelayLog;
import org.moqrelay.wire.Path;

/**
 * Real headless Chromium running npm {@code @moq/net} with {@code WebTransport} hidden, so the
 * library falls back to qmux over WebSocket (Chromium's native WebSocketStream): a page publishes,
 * another subscribes, through the relay.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChromiumWebSocketTest {
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.of(() -> {
        BrowserSupport.requireBrowser();
        return Relays.startDevSamePort();
    }).withLog();

    static String relayUrl() {
        return "http://127.0.0.1:" + relay.server().webAddress().getPort() + "/anon";
    }

    @Test
    void aPagePublishesAndAnotherSubscribesOverWebSocketWithQmux01MoqLite05() throws Exception {
        Map<String, String> common = Map.of("relay", relayUrl(), "hideWebTransport", "1", "broadcast", "chromium/ws",
                "track", "video", "frames", "3");
        try (ResultServer server = ResultServer.start();
             BrowserPage pub = BrowserPage.open(server, "ws-pub", with(common, "mode", "publish", "groups", "0", "interval", "100"))) {
            Map<String, Object> publishing = pub.awaitEvent("publishing", Duration.ofSeconds(45));
            assertThat(publishing).as("%s", publishing).containsEntry("transport", "websocket")
                    .containsEntry("version", "moq-lite-05").containsEntry("subprotocol", "qmux-01.moq-lite-05");
            Relays.awaitAnnounced(relay.server().origin(), Path.of("anon/chromium/ws"), 15);
            try (BrowserPage sub = BrowserPage.open(server, "ws-sub", with(common, "mode", "subscribe", "groups", "3", "timeout", "20000"))) {
                PageResult r = sub.awaitResult(Duration.ofSeconds(45));
                assertThat(r.ok()).as("%s%s", r, sub.diagnostics()).isTrue();
                assertThat(r.webTransport()).isEqualTo("undefined");
                assertThat(r.transport()).isEqualTo("websocket");
                assertThat(r.version()).isEqualTo("moq-lite-05");
                assertThat(r.get("subprotocol")).as("Sec-WebSocket-Protocol the relay chose").isEqualTo("qmux-01.moq-lite-05");
                assertThat(r.frames()).hasSize(9).allMatch(PageResult.Frame::ok)
                        .allMatch(f -> f.payload().equals("g" + f.group() + "-f" + f.frame()));
            }
            pub.stop();
            PageResult p = pub.awaitResult(Duration.ofSeconds(30));
            assertThat(p.ok()).as("%s%s", p, pub.diagnostics()).isTrue();
            assertThat(p.transport()).isEqualTo("websocket");
            assertThat(p.groupsWritten()).isGreaterThanOrEqualTo(3);
        }
        // The relay's side: both sessions were qmux-01.moq-lite-05 over WebSocket.
        List<String> opened = relay.log().linesContaining(" open: websocket(");
        assertThat(opened).as("relay session-open lines").hasSize(2)
                .allMatch(l -> "qmux-01.moq-lite-05".equals(RelayLog.subprotocolIn(l)));
    }

    static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>(base);
        for (int i = 0; i + 1 < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }
}
