package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.moqrelay.it.browser.BrowserSupport;
import org.moqrelay.it.browser.PageResult;
import org.moqrelay.it.node.NodeClient;
import org.moqrelay.it.node.NodeSupport;
import org.moqrelay.it.node.RelayLog;
import org.moqrelay.wire.Path;

/**
 * The older field client npm {@code @moq/lite} 0.2.2 (pinned in src/test/js/package.json, driven by
 * src/test/js/src/lite-runner.js through {@code node/run.mjs client=lite}) against the current
 * {@code @moq/net} on the other side, through one relay, in Node over WebSocket.
 *
 * <p>What @moq/lite 0.2.2 does (read from its sources): {@code Connection.connect} dials
 * {@code new Session(url)} of its own {@code @moq/qmux} 0.0.6, which offers exactly
 * {@code qmux-00, webtransport}; the relay picks bare {@code qmux-00} (no MoQ ALPN), so the client
 * sends CLIENT_SETUP (0x20) offering lite-02, lite-01 and draft-14, the relay answers SERVER_SETUP
 * (0x21) with lite-02, and the client reports {@code connection.version === "moq-lite-02"}
 * ({@code lite/version.js versionName}). Its qmux-00 STREAM frames carry no offset (type 0x0a/0x0b,
 * LEN without OFF), which the relay must read as "continues where the last frame ended".
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MoqLiteFieldClientTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.of(() -> {
        NodeSupport.requireNode();
        if (!Files.isDirectory(BrowserSupport.jsDir().resolve("node_modules/@moq/lite"))) {
            Assertions.fail("npm package @moq/lite missing in " + BrowserSupport.jsDir()
                    + " (Maven installs it in generate-test-resources; by hand: bash moq-it/src/test/js/prepare.sh)");
        }
        return Relays.startDev();
    }).withLog();

    static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("relay", "http://127.0.0.1:" + relay.server().webAddress().getPort() + "/anon");
        for (int i = 0; i + 1 < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    /** A publisher writing groups of 3 frames every 50 ms until stopped; {@code lite} picks @moq/lite over @moq/net. */
    static Map<String, String> publisher(boolean lite, String broadcast) {
        Map<String, String> m = params("mode", "publish", "broadcast", broadcast, "track", "t", "groups", "0",
                "frames", "3", "interval", "50", "duration", "30000", "closeDelay", "50");
        if (lite) m.put("client", "lite");
        return m;
    }

    /** A subscriber reading 3 whole groups of 3 frames once the broadcast is announced. */
    static Map<String, String> subscriber(boolean lite, String broadcast) {
        Map<String, String> m = params("mode", "subscribe", "broadcast", broadcast, "track", "t", "groups", "3",
                "frames", "3", "waitAnnounce", "1", "timeout", "15000");
        if (lite) m.put("client", "lite");
        return m;
    }

    /** The @moq/lite side: lite-02 agreed in SETUP over bare qmux-00, offered by the library itself. */
    static void assertLiteNegotiatedLite02(PageResult r) {
        assertThat(r.get("client")).as("%s", r).isEqualTo("@moq/lite");
        assertThat(r.get("moqLiteVersion")).isEqualTo("0.2.2");
        assertThat(r.version()).as("Connection.version reported by @moq/lite").isEqualTo("moq-lite-02");
        assertThat(r.transport()).isEqualTo("websocket");
        assertThat(r.get("offered")).as("the library's own WebSocket offer").isEqualTo(List.of("qmux-00", "webtransport"));
        assertThat(r.get("subprotocol")).as("Sec-WebSocket-Protocol the relay chose").isEqualTo("qmux-00");
    }

    /**
     * The relay's log for the @moq/lite client (found by its local port): a bare qmux-00 WebSocket
     * session, i.e. no ALPN, whose version (lite-02) can only have come from the legacy
     * CLIENT_SETUP / SERVER_SETUP exchange; no legacy SETUP failure and no qmux protocol error
     * while it was in use.
     */
    static void assertRelayTookTheLegacyPath(PageResult r) {
        long port = ((Number) r.get("localPort")).longValue();
        String open = relay.log().awaitWebSocketSession(port, Duration.ofSeconds(5));
        assertThat(RelayLog.subprotocolIn(open)).as("relay log: %s", open).isEqualTo("qmux-00");
        assertThat(open).as("relay log: %s", open).contains(" moq-lite-02 ").contains("path '/anon'");
        assertThat(relay.log().linesContaining(":" + port + " ")).as("relay log lines for the @moq/lite client")
                .noneMatch(l -> l.contains("legacy setup failed"));
    }

    /**
     * The relay logged the client's session closed (bounded wait) and no qmux protocol error for it
     * at any time, its close included: @moq/qmux 0.0.x writes APPLICATION_CLOSE with an extra
     * Frame Type field, which the relay must take as the clean close it is.
     */
    static void assertRelayClosedTheSessionCleanly(PageResult r) {
        long port = ((Number) r.get("localPort")).longValue();
        String open = relay.log().awaitWebSocketSession(port, Duration.ofSeconds(5));
        int at = open.indexOf("session ");
        String id = open.substring(at + "session ".length(), open.indexOf(" open:", at));
        relay.log().await(l -> l.contains("session " + id + " closed"), Duration.ofSeconds(5), "session " + id + " closed");
        assertThat(relay.log().linesContaining(":" + port + " ")).as("relay log lines for the @moq/lite client on port %d", port)
                .noneMatch(l -> l.contains("protocol error"));
    }

    static void assertEveryFrame(PageResult r, String diagnostics) {
        assertThat(r.ok()).as("subscriber result %s%s", r, diagnostics).isTrue();
        List<PageResult.Frame> got = r.frames();
        assertThat(got).as("frames %s", r).hasSize(9).allMatch(PageResult.Frame::ok);
        assertThat(got.stream().map(PageResult.Frame::group).distinct()).hasSize(3);
        for (PageResult.Frame f : got) {
            assertThat(f.frame()).isBetween(0L, 2L);
            assertThat(f.payload()).isEqualTo("g" + f.group() + "-f" + f.frame());
        }
    }

    @Test
    void moqLitePublishesAndMoqNetSubscribes() throws Exception {
        String broadcast = "field/lite-pub";
        try (NodeClient pub = NodeClient.start("lite-pub", publisher(true, broadcast));
             NodeClient sub = NodeClient.start("net-sub", subscriber(false, broadcast))) {
            PageResult s = sub.awaitResult(WAIT);
            assertEveryFrame(s, sub.diagnostics() + pub.diagnostics());
            assertThat(s.version()).as("@moq/net, its own offer").isEqualTo("moq-lite-05");
            assertThat(s.get("subprotocol")).isEqualTo("qmux-01.moq-lite-05");

            pub.stop();
            PageResult p = pub.awaitResult(WAIT);
            long stoppedAt = System.nanoTime();
            assertThat(p.ok()).as("publisher result %s%s", p, pub.diagnostics()).isTrue();
            assertLiteNegotiatedLite02(p);
            assertThat(p.groupsWritten()).isGreaterThanOrEqualTo(3);
            assertThat(((Number) p.get("trackRequests")).longValue()).as("SUBSCRIBEs the relay sent the publisher").isEqualTo(1);
            assertRelayTookTheLegacyPath(p);
            assertRelayClosedTheSessionCleanly(p);
            // @moq/lite closes its broadcast and, at once, its connection (APPLICATION_CLOSE 0), before
            // its ANNOUNCE(ended) is out: a clean close withdraws the broadcast at once; only an abrupt
            // loss would keep it for the linger time (5 s).
            Relays.awaitUnannounced(relay.server().origin(), Path.of("anon/" + broadcast), 5);
            assertThat((System.nanoTime() - stoppedAt) / 1_000_000).as("ms from the publisher's result to the withdrawal")
                    .isLessThan(3_000);
        }
    }

    @Test
    void moqNetPublishesAndMoqLiteSubscribes() throws Exception {
        String broadcast = "field/lite-sub";
        try (NodeClient pub = NodeClient.start("net-pub", publisher(false, broadcast));
             NodeClient sub = NodeClient.start("lite-sub", subscriber(true, broadcast))) {
            PageResult s = sub.awaitResult(WAIT);
            assertEveryFrame(s, sub.diagnostics() + pub.diagnostics());
            assertLiteNegotiatedLite02(s);
            assertRelayTookTheLegacyPath(s);
            assertRelayClosedTheSessionCleanly(s);

            pub.stop();
            PageResult p = pub.awaitResult(WAIT);
            assertThat(p.ok()).as("publisher result %s%s", p, pub.diagnostics()).isTrue();
            assertThat(p.version()).isEqualTo("moq-lite-05");
            assertThat(p.get("subprotocol")).isEqualTo("qmux-01.moq-lite-05");
        }
    }
}
