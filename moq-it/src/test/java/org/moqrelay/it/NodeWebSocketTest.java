package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.moqrelay.it.browser.PageResult;
import org.moqrelay.it.node.NodeClient;
import org.moqrelay.it.node.NodeSupport;
import org.moqrelay.it.node.RelayLog;
import org.moqrelay.wire.Path;

/**
 * The real npm {@code @moq/net} client (the version pinned in src/test/js/package.json) in Node,
 * where it has no WebTransport and always uses qmux over WebSocket, through one relay.
 * The WebSocket offer is either the library's own or pinned by the runner ({@code subprotocols=}),
 * which wraps {@code globalThis.WebSocket} so the library's own connect() runs on the pinned offer
 * and reports the subprotocol the relay chose (see src/test/js/src/runner.js).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeWebSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** What @moq/net 0.3.x offers over WebSocket, in order (spec/transports.md §3.2). */
    private static final List<String> LIBRARY_OFFER = List.of(
            "qmux-02.moq-lite-05", "qmux-01.moq-lite-05", "qmux-00.moq-lite-05",
            "qmux-02.moq-lite-04", "qmux-01.moq-lite-04", "qmux-00.moq-lite-04",
            "qmux-02.moq-lite-03", "qmux-01.moq-lite-03", "qmux-00.moq-lite-03",
            "qmux-02.moql", "qmux-01.moql", "qmux-00.moql");

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.of(() -> {
        NodeSupport.requireNode();
        return Relays.startDevSamePort();
    }).withLog();

    static String relayUrl() {
        return "http://127.0.0.1:" + relay.server().webAddress().getPort() + "/anon";
    }

    static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("relay", relayUrl());
        for (int i = 0; i + 1 < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new LinkedHashMap<>(base);
        for (int i = 0; i + 1 < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    /** "qmux-01.moq-lite-05" -> "moq-lite-05". */
    static String alpnOf(String subprotocol) {
        return subprotocol.substring(subprotocol.indexOf('.') + 1);
    }

    /** A publisher's parameters; {@code subprotocol} null = the library's own offer. */
    static Map<String, String> publisher(String broadcast, String subprotocol, String... extra) {
        Map<String, String> m = params("mode", "publish", "broadcast", broadcast, "track", "t", "groups", "0",
                "frames", "3", "interval", "50", "duration", "30000", "closeDelay", "50");
        if (subprotocol != null) m.put("subprotocols", subprotocol);
        return with(m, extra);
    }

    /** A subscriber reading {@code groups} whole groups of 3 frames once the broadcast is announced. */
    static Map<String, String> subscriber(String broadcast, String subprotocol, int groups, String... extra) {
        Map<String, String> m = params("mode", "subscribe", "broadcast", broadcast, "track", "t",
                "groups", String.valueOf(groups), "frames", "3", "waitAnnounce", "1", "timeout", "15000");
        if (subprotocol != null) m.put("subprotocols", subprotocol);
        return with(m, extra);
    }

    /** Every frame of every group read, in order, with the payload the publisher wrote. */
    static void assertEveryFrame(PageResult r, int groups, int frames, int size, String diagnostics) {
        assertThat(r.ok()).as("subscriber result %s%s", r, diagnostics).isTrue();
        List<PageResult.Frame> got = r.frames();
        assertThat(got).as("frames %s", r).hasSize(groups * frames).allMatch(PageResult.Frame::ok);
        assertThat(got.stream().map(PageResult.Frame::group).distinct()).hasSize(groups);
        for (PageResult.Frame f : got) {
            String base = "g" + f.group() + "-f" + f.frame();
            assertThat(f.frame()).isBetween(0L, frames - 1L);
            if (size == 0) {
                assertThat(f.payload()).isEqualTo(base);
            } else {
                assertThat(f.length()).isEqualTo(size);
                assertThat(f.payload()).startsWith(base + ".");
            }
        }
    }

    /** The relay's session-open line for a client (found by its local TCP port) names {@code subprotocol}. */
    static void assertRelayChose(PageResult r, String subprotocol) {
        Object port = r.get("localPort");
        assertThat(port).as("client local port reported by the runner: %s", r).isInstanceOf(Number.class);
        String line = relay.log().awaitWebSocketSession(((Number) port).longValue(), Duration.ofSeconds(5));
        assertThat(RelayLog.subprotocolIn(line)).as("relay log: %s", line).isEqualTo(subprotocol);
    }

    /**
     * Publishes {@code broadcast} from one Node client and reads {@code groups} groups from another;
     * returns {publisher result, subscriber result}. Both start at once: the subscriber waits for the
     * announcement, then subscribes.
     */
    static PageResult[] publishAndSubscribe(String name, String broadcast, String pubSubprotocol, String subSubprotocol,
                                            int groups, int size) {
        return publishAndSubscribe(name, broadcast, pubSubprotocol, subSubprotocol, groups, size, "50");
    }

    /** As above, with {@code interval} ms between the publisher's groups. */
    static PageResult[] publishAndSubscribe(String name, String broadcast, String pubSubprotocol, String subSubprotocol,
                                            int groups, int size, String interval) {
        String sz = String.valueOf(size);
        try (NodeClient pub = NodeClient.start(name + "-pub", publisher(broadcast, pubSubprotocol, "size", sz, "interval", interval));
             NodeClient sub = NodeClient.start(name + "-sub", subscriber(broadcast, subSubprotocol, groups, "size", sz))) {
            PageResult s = sub.awaitResult(WAIT);
            assertEveryFrame(s, groups, 3, size, sub.diagnostics() + pub.diagnostics());
            pub.stop();
            PageResult p = pub.awaitResult(WAIT);
            assertThat(p.ok()).as("publisher result %s%s", p, pub.diagnostics()).isTrue();
            assertThat(p.groupsWritten()).isGreaterThanOrEqualTo(groups);
            return new PageResult[] {p, s};
        }
    }

    // ------------------------------------------------------------------ the library's own offer

    @Test
    void theLibrarysOwnOfferLandsOnQmux01MoqLite05AndEveryFrameArrives() {
        PageResult[] r = publishAndSubscribe("default", "node/default", null, null, 3, 0);
        for (PageResult x : r) {
            assertThat(x.version()).as("%s", x).isEqualTo("moq-lite-05");
            assertThat(x.transport()).isEqualTo("websocket");
            assertThat(x.get("subprotocol")).as("Sec-WebSocket-Protocol the relay chose (as the reference relay does)")
                    .isEqualTo("qmux-01.moq-lite-05");
            @SuppressWarnings("unchecked")
            List<String> offered = (List<String>) x.get("offered");
            assertThat(offered).as("the library's own offer, unpinned").startsWith(LIBRARY_OFFER.toArray(String[]::new))
                    .endsWith("qmux-02", "qmux-01", "qmux-00", "webtransport");
            assertRelayChose(x, "qmux-01.moq-lite-05");
        }
    }

    // ------------------------------------------------------------------ pinned subprotocols

    static Stream<String> pinned() {
        return Stream.of("qmux-02", "qmux-01", "qmux-00").flatMap(q ->
                Stream.of("moq-lite-05", "moq-lite-04", "moq-lite-03").map(v -> q + "." + v));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pinned")
    void eachPinnedSubprotocolCarriesEveryFrame(String subprotocol) {
        String broadcast = "node/pinned-" + subprotocol.replace('.', '-');
        PageResult[] r = publishAndSubscribe("pin-" + subprotocol, broadcast, subprotocol, subprotocol, 2, 0);
        for (PageResult x : r) {
            assertThat(x.version()).as("%s", x).isEqualTo(alpnOf(subprotocol));
            assertThat(x.transport()).isEqualTo("websocket");
            assertThat(x.get("offered")).isEqualTo(List.of(subprotocol));
            assertThat(x.get("subprotocol")).isEqualTo(subprotocol);
            assertRelayChose(x, subprotocol);
        }
    }

    static Stream<Arguments> crossVersionPairs() {
        return Stream.of(
                Arguments.of("qmux-01.moq-lite-05", "qmux-00.moq-lite-03"),
                Arguments.of("qmux-01.moq-lite-05", "qmux-02.moq-lite-04"),
                Arguments.of("qmux-00.moq-lite-03", "qmux-02.moq-lite-05"),
                Arguments.of("qmux-02.moq-lite-04", "qmux-01.moq-lite-03"));
    }

    @ParameterizedTest(name = "publisher {0}, subscriber {1}")
    @MethodSource("crossVersionPairs")
    void aPublisherAndASubscriberOnDifferentSubprotocolsExchangeEveryFrame(String pubProtocol, String subProtocol) {
        String broadcast = "node/cross-" + pubProtocol.replace('.', '-') + "-" + subProtocol.replace('.', '-');
        PageResult[] r = publishAndSubscribe("cross", broadcast, pubProtocol, subProtocol, 2, 0);
        assertThat(r[0].version()).isEqualTo(alpnOf(pubProtocol));
        assertThat(r[0].get("subprotocol")).isEqualTo(pubProtocol);
        assertThat(r[1].version()).isEqualTo(alpnOf(subProtocol));
        assertThat(r[1].get("subprotocol")).isEqualTo(subProtocol);
        assertRelayChose(r[0], pubProtocol);
        assertRelayChose(r[1], subProtocol);
    }

    // ------------------------------------------------------------------ announcements

    @Test
    void aNodeSubscriberSeesTheBroadcastAnnouncedAndThenWithdrawnWhenThePublisherStops() throws Exception {
        try (NodeClient watcher = NodeClient.start("announced", params("mode", "announced", "broadcast", "node/ann/live",
                "prefix", "node/ann", "timeout", "15000"))) {
            watcher.awaitEvent("watching", WAIT);
            try (NodeClient pub = NodeClient.start("ann-pub", publisher("node/ann/live", null))) {
                Map<String, Object> active = watcher.awaitEvent("announce",
                        e -> "live".equals(e.get("path")) && Boolean.TRUE.equals(e.get("active")), WAIT);
                assertThat(active).containsEntry("active", true);
                Relays.awaitAnnounced(relay.server().origin(), Path.of("anon/node/ann/live"), 5);
                pub.stop();
                PageResult p = pub.awaitResult(WAIT);
                assertThat(p.ok()).as("%s%s", p, pub.diagnostics()).isTrue();
                long stoppedAt = System.nanoTime();
                PageResult w = watcher.awaitResult(WAIT);
                long withdrawnAfterMs = (System.nanoTime() - stoppedAt) / 1_000_000;
                assertThat(w.ok()).as("%s%s", w, watcher.diagnostics()).isTrue();
                assertThat(w.version()).isEqualTo("moq-lite-05");
                assertThat(w.transport()).isEqualTo("websocket");
                assertThat(w.get("sawActive")).isEqualTo(true);
                assertThat(w.get("sawInactive")).isEqualTo(true);
                assertThat(w.get("announcements")).isEqualTo(List.of(
                        Map.of("path", "live", "active", true), Map.of("path", "live", "active", false)));
                // A publisher that closes cleanly is withdrawn at once, not after the linger period.
                assertThat(withdrawnAfterMs).as("ms from the publisher's result to the withdrawal").isLessThan(3_000);
                Relays.awaitUnannounced(relay.server().origin(), Path.of("anon/node/ann/live"), 5);
            }
        }
    }

    // ------------------------------------------------------------------ flow control

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"library offer", "qmux-00.moq-lite-04", "qmux-02.moq-lite-03"})
    void twoHundredKilobyteFramesArriveIntactOverWebSocket(String offer) {
        String pinned = offer.startsWith("qmux") ? offer : null;
        // 3 frames of 200 000 bytes per group, a group every 300 ms (2 MB/s): each group stream outgrows
        // the 256 KiB stream window and two groups the 1 MiB connection window, so the relay must honour
        // and grant qmux credit. (Much faster, a relay slowed by paranoid leak detection falls more than
        // 8 groups behind and rightly resets the oldest with OLD.)
        PageResult[] r = publishAndSubscribe("large", "node/large-" + offer.replace(' ', '-').replace('.', '-'),
                pinned, pinned, 2, 200_000, "300");
        assertThat(r[1].frames()).allMatch(f -> f.length() == 200_000);
        assertThat(r[1].version()).isEqualTo(pinned == null ? "moq-lite-05" : alpnOf(pinned));
        assertThat(r[1].get("subprotocol")).isEqualTo(pinned == null ? "qmux-01.moq-lite-05" : pinned);
    }

    // ------------------------------------------------------------------ legacy and bad offers

    /**
     * Offers that name no moq-lite-03+ version (bare framings, {@code moql}, or no offer at all, which
     * means the legacy {@code webtransport} framing) leave the version to the legacy SETUP exchange:
     * the relay upgrades with exactly the offered value and agrees moq-lite-02 in SETUP. Publisher and
     * subscriber both use the offer; every frame must arrive and the relay must log no qmux protocol
     * error (the legacy framing has no STREAM offsets).
     */
    @ParameterizedTest(name = "offer [{0}]")
    @ValueSource(strings = {"qmux-02", "qmux-01", "qmux-00", "webtransport", "qmux-01.moql", "qmux-00.moql", "-"})
    void legacyOffersNegotiateMoqLite02InSetupAndCarryEveryFrame(String offer) {
        int before = relay.log().lines().size();
        String expected = offer.equals("-") ? "" : offer;
        PageResult[] r = publishAndSubscribe("legacy-" + offer, "node/legacy-" + (offer.equals("-") ? "none" : offer.replace('.', '-')),
                offer, offer, 2, 0);
        for (PageResult x : r) {
            assertThat(x.version()).as("%s", x).isEqualTo("moq-lite-02");
            assertThat(x.transport()).isEqualTo("websocket");
            assertThat(x.get("subprotocol")).as("the subprotocol the relay accepted").isEqualTo(expected);
            assertThat(x.get("offered")).isEqualTo(offer.equals("-") ? List.of() : List.of(offer));
            assertRelayChose(x, offer.equals("-") ? "(none)" : offer);
        }
        List<String> lines = relay.log().lines();
        assertThat(lines.subList(before, lines.size())).as("relay log during this test").noneMatch(l -> l.contains("protocol error"));
    }

    @Test
    void anOfferOfOnlyUnknownSubprotocolsIsRefusedWith400() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        CompletionStage<WebSocket> ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .subprotocols("foo", "qmux-03.moq-lite-05")
                .buildAsync(URI.create("ws://127.0.0.1:" + relay.server().webAddress().getPort() + "/anon"), new WebSocket.Listener() {});
        Throwable t = catchThrowable(() -> ws.toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        WebSocketHandshakeException e = (WebSocketHandshakeException) t.getCause();
        assertThat(e.getResponse().statusCode()).isEqualTo(400);
        assertThat(String.valueOf(e.getResponse().body())).contains("qmux-01.moq-lite-05");

        // The real client, offering only "foo", fails at once instead of hanging.
        try (NodeClient c = NodeClient.start("foo", params("mode", "connect", "subprotocols", "foo", "connectTimeout", "10000"))) {
            PageResult r = c.awaitResult(Duration.ofSeconds(15));
            assertThat(r.ok()).isFalse();
            assertThat(((Number) r.get("connectFailedAfter")).longValue()).isLessThan(5_000);
            assertThat(String.valueOf(r.get("sockets"))).as("%s", r).contains("Unexpected server response: 400");
        }
    }

    @Test
    void aWebSocketWithoutAnyOfferIsUpgraded() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        WebSocket ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + relay.server().webAddress().getPort() + "/anon"), new WebSocket.Listener() {})
                .get(10, TimeUnit.SECONDS);
        try {
            assertThat(ws.getSubprotocol()).as("no Sec-WebSocket-Protocol in the 101 response").isEmpty();
        } finally {
            ws.abort();
        }
    }
}
