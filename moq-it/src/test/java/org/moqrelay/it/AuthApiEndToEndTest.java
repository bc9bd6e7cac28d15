package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.moqrelay.client.TestStream;
import org.moqrelay.client.TrackReader;
import org.moqrelay.it.MetricsEndToEndTest.Scrape;
import org.moqrelay.it.auth.AuthApiServer;
import org.moqrelay.it.auth.AuthApiServer.Answer;
import org.moqrelay.it.auth.AuthQuicClient;
import org.moqrelay.it.browser.BrowserPage;
import org.moqrelay.it.browser.PageResult;
import org.moqrelay.it.browser.ResultServer;
import org.moqrelay.it.node.NodeClient;
import org.moqrelay.it.node.NodeSupport;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.relay.server.AuthConfig;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.token.Algorithm;
import org.moqrelay.token.Claims;
import org.moqrelay.token.Key;
import org.moqrelay.token.TokenSigner;
import org.moqrelay.transport.quic.EventLoops;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * The unified auth API ({@code --auth-api}, relay.md §5.7) end to end: a real HTTP server plays the API
 * and a relay asks it about every session, with {@code --auth-domain cdn.test} and the internal
 * {@code /metrics} listener. Clients: the Java moq-lite-05 client over raw QUIC (token in the SETUP
 * path), npm {@code @moq/net} in Node over WebSocket, headless Chromium over WebTransport at a
 * subdomain, and a bare WebSocket upgrade with a {@code Host} header. A second relay's API is down.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuthApiEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The issuer's key: the API hands out its public half for kid {@code issuer-1}. */
    static final Key KEY = Key.generate(Algorithm.ES256, "issuer-1");

    static AuthApiServer api;
    static RelayServer relay;
    /** A relay whose auth API is a closed port. */
    static RelayServer unreachable;
    static EventLoopGroup clients;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        api = AuthApiServer.start();
        api.answer(AuthApiEndToEndTest::decide);
        relay = Relays.startSamePort(c -> c.withAuth(AuthConfig.api(api.url()).withDomains(List.of("cdn.test")))
                .withInternalListen(new InetSocketAddress("127.0.0.1", 0)));
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        unreachable = Relays.startSamePort(c -> c.withAuth(AuthConfig.api("http://127.0.0.1:" + closed + "/auth")));
        clients = EventLoops.newGroup(2, "auth-api-clients");
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        if (relay != null) relay.close();
        if (unreachable != null) unreachable.close();
        if (api != null) api.close();
        if (clients != null) clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
        if (http != null) http.close();
    }

    /** The API: what each connection path (its {@code root}) gets. */
    static Answer decide(Map<String, String> q) {
        String publicBoth = "\"public\":{\"subscribe\":[\"\"],\"publish\":[\"\"]}";
        return switch (q.getOrDefault("root", "")) {
            // Tokens only; the key only for the kid it belongs to.
            case "room" -> Answer.json("issuer-1".equals(q.get("kid"))
                    ? "{\"alias\":\"x7k2qp\",\"key\":" + KEY.toPublic().toJson() + ",\"tier\":\"paid\"}"
                    : "{\"alias\":\"x7k2qp\"}");
            case "anon" -> Answer.json("{\"alias\":\"pub-anon\"," + publicBoth + ",\"tier\":\"free\"}");
            case "customer/team/room" -> Answer.json("{\"alias\":\"c-123/team/room\"," + publicBoth + ",\"tier\":\"region/sjc\"}");
            case "private" -> Answer.json("{\"alias\":\"p-1\"}");
            case "broken" -> new Answer(500, "{\"error\":\"database down\"}");
            default -> new Answer(404, "");
        };
    }

    static String jwt(Key key) {
        return TokenSigner.sign(key, Claims.of("room", List.of(""), List.of("")).withExp(Instant.now().plusSeconds(3600)));
    }

    static AuthQuicClient quic(RelayServer r, String pathAndQuery) throws Exception {
        return AuthQuicClient.connect(clients, r, pathAndQuery, WAIT);
    }

    static long closeCode(RelayServer r, String pathAndQuery) throws Exception {
        try (AuthQuicClient q = quic(r, pathAndQuery)) {
            return q.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS).code();
        }
    }

    /**
     * The status line of a bare WebSocket upgrade of {@code path} sent with {@code Host: host}: what the
     * relay answers before any session exists.
     */
    static int upgradeStatus(RelayServer r, String host, String path) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), r.webAddress().getPort())) {
            s.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: qmux-01.moq-lite-05\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != -1 && c != '\n'; ) line.append((char) c);
            String[] parts = line.toString().split(" ");
            assertThat(parts).as("status line '%s'", line).hasSizeGreaterThan(1);
            return Integer.parseInt(parts[1]);
        }
    }

    static HttpResponse<String> get(RelayServer r, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.webAddress().getPort() + pathAndQuery))
                .timeout(WAIT).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static Scrape scrape() throws Exception {
        return Scrape.of(relay);
    }

    // ------------------------------------------------------------------ tokens, aliases, tiers

    @Test
    void aTokenVerifiedWithTheApisKeyPublishesUnderTheAliasAndCountsInTheApisTier() throws Exception {
        String jwt = jwt(KEY);
        try (AuthQuicClient pub = quic(relay, "/room?jwt=" + jwt); AuthQuicClient sub = quic(relay, "/room?jwt=" + jwt)) {
            Track t = pub.publish(Path.of("live/cam")).createTrack("video", TrackInfo.DEFAULT);
            // Published under the API's alias for the path, not under the path itself.
            Relays.awaitAnnounced(relay.origin(), Path.of("x7k2qp/live/cam"), 10);
            assertThat(relay.origin().broadcast(Path.of("room/live/cam"))).isNull();
            Group g = t.createGroup(0);
            g.append(0, Unpooled.wrappedBuffer(TestStream.payload(0, 0, 64)));
            try (TrackReader r = new TrackReader(sub.consume(Path.of("live/cam")).track("video"), Demand.LATEST)) {
                TrackReader.Received got = r.poll(10, TimeUnit.SECONDS);
                assertThat(got).isNotNull();
                assertThat(TestStream.verify(0, 0, got.payload())).isTrue();
            }
            g.finish();

            assertThat(api.requestsFor("room")).contains(Map.of("root", "room", "kid", "issuer-1", "transport", "quic"))
                    .noneMatch(q -> q.containsKey("mtls"));
            Scrape s = scrape();
            assertThat(s.value("moq_relay_sessions_opened_total", "tier", "paid")).isGreaterThanOrEqualTo(2);
            assertThat(s.value("moq_relay_bytes_total", "tier", "paid", "role", "subscriber")).isGreaterThanOrEqualTo(64);
            assertThat(s.value("moq_relay_bytes_total", "tier", "paid", "role", "publisher")).isGreaterThanOrEqualTo(64);
            assertThat(pub.closed()).isNotDone();
        }
    }

    @Test
    void refusalsOfTheApiOrOfTheTokenAre401OnWebSocketAndCode6OnQuic() throws Exception {
        long unauthorized = ErrorCode.UNAUTHORIZED.code();
        assertThat(closeCode(relay, "/room?jwt=" + jwt(Key.generate(Algorithm.ES256, "issuer-1"))))
                .as("signed with another key").isEqualTo(unauthorized);
        assertThat(closeCode(relay, "/room?jwt=" + jwt(Key.generate(Algorithm.ES256, "issuer-2"))))
                .as("no key for the kid").isEqualTo(unauthorized);
        assertThat(closeCode(relay, "/private")).as("nothing public").isEqualTo(unauthorized);
        assertThat(upgradeStatus(relay, "127.0.0.1", "/private")).isEqualTo(401);
        assertThat(get(relay, "/announced/private").statusCode()).isEqualTo(401);
    }

    @Test
    void nodeClientsOverWebSocketGetThePublicAccessTheApiGives() throws Exception {
        NodeSupport.requireNode();
        String url = "http://127.0.0.1:" + relay.webAddress().getPort() + "/anon";
        try (NodeClient pub = AuthEndToEndTest.publisher("api-pub", url, "live", "50");
             NodeClient sub = AuthEndToEndTest.subscriber("api-sub", url, "live", 3, true)) {
            AuthEndToEndTest.assertEveryFrame(sub.awaitResult(WAIT), 3, sub.diagnostics() + pub.diagnostics());
            Relays.awaitAnnounced(relay.origin(), Path.of("pub-anon/live"), 5);
            pub.stop();
            assertThat(pub.awaitResult(WAIT).ok()).isTrue();
        }
        assertThat(api.requestsFor("anon")).isNotEmpty().allMatch(q -> q.equals(Map.of("root", "anon", "transport", "websocket")));
        assertThat(scrape().value("moq_relay_sessions_opened_total", "tier", "free")).isGreaterThanOrEqualTo(2);
    }

    // ------------------------------------------------------------------ subdomains

    @Test
    void theHostsSubdomainLabelsPrefixThePathOfAWebSocketUpgrade() throws Exception {
        int before = api.requestsFor("customer/team/room").size();
        assertThat(upgradeStatus(relay, "Team.Customer.cdn.test:" + relay.webAddress().getPort(), "/room")).isEqualTo(101);
        assertThat(api.requestsFor("customer/team/room")).hasSize(before + 1)
                .last().isEqualTo(Map.of("root", "customer/team/room", "transport", "websocket"));
        // The bare suffix, or another domain, routes by path alone: "room" is tokens only.
        assertThat(upgradeStatus(relay, "cdn.test", "/room")).isEqualTo(401);
        assertThat(upgradeStatus(relay, "team.customer.example.org", "/room")).isEqualTo(401);
        assertThat(api.requests()).noneMatch(q -> q.get("root").contains("example"));
    }

    @Test
    void chromiumAtASubdomainPublishesOverWebTransportUnderTheAliasOfItsSlug() throws Exception {
        int port = relay.webAddress().getPort();
        String relayUrl = "http://team.customer.cdn.test:" + port + "/room";
        try (ResultServer server = ResultServer.start();
             BrowserPage pub = BrowserPage.open(server, "subdomain-pub", Map.of("mode", "publish", "relay", relayUrl,
                     "websocket", "0", "broadcast", "cam", "track", "video", "groups", "0", "frames", "3", "interval", "100"),
                     false, List.of("--host-resolver-rules=MAP *.cdn.test 127.0.0.1"))) {
            pub.awaitEvent("publishing", Duration.ofSeconds(60));
            Relays.awaitAnnounced(relay.origin(), Path.of("c-123/team/room/cam"), 30);
            assertThat(api.requestsFor("customer/team/room")).as("the WebTransport session's request")
                    .contains(Map.of("root", "customer/team/room", "transport", "quic"));
            pub.stop();
            PageResult r = pub.awaitResult(Duration.ofSeconds(30));
            assertThat(r.ok()).as("%s%s", r, pub.diagnostics()).isTrue();
            assertThat(r.transport()).isEqualTo("webtransport");
        }
        assertThat(scrape().value("moq_relay_sessions_opened_total", "tier", "region/sjc")).isGreaterThanOrEqualTo(1);
    }

    // ------------------------------------------------------------------ failing closed

    @Test
    void anApiThatFailsOrCannotBeReachedRefusesWith502AndCloseCode566() throws Exception {
        long badGateway = 64 + 502;
        assertThat(closeCode(relay, "/broken")).as("API answered 500").isEqualTo(badGateway);
        assertThat(upgradeStatus(relay, "127.0.0.1", "/broken")).isEqualTo(502);
        assertThat(get(relay, "/announced/broken").statusCode()).isEqualTo(502);
        assertThat(get(relay, "/fetch/broken/cam/video").statusCode()).isEqualTo(502);
        assertThat(closeCode(relay, "/unknown")).as("API answered 404").isEqualTo(badGateway);

        assertThat(closeCode(unreachable, "/room?jwt=" + jwt(KEY))).as("API down").isEqualTo(badGateway);
        assertThat(closeCode(unreachable, "/anon")).isEqualTo(badGateway);
        assertThat(upgradeStatus(unreachable, "127.0.0.1", "/anon")).isEqualTo(502);
        assertThat(get(unreachable, "/announced/anon").statusCode()).isEqualTo(502);
    }
}
