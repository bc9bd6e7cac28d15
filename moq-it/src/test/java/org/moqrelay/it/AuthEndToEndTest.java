package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.moqrelay.client.TrackReader;
import org.moqrelay.it.auth.AuthQuicClient;
import org.moqrelay.it.auth.Jwts;
import org.moqrelay.it.browser.PageResult;
import org.moqrelay.it.node.NodeClient;
import org.moqrelay.it.node.NodeSupport;
import org.moqrelay.it.node.RelayLog;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Track;
import org.moqrelay.model.TrackException;
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
 * JWT and public-prefix authorization end to end (spec/relay.md §5, §6 {@code /announced}): one relay
 * with an HS256 key file (generated with moq-jwt into a temp dir) and {@code --auth-public anon}, plus a
 * relay with no key. Clients: the real npm {@code @moq/net} in Node over qmux/WebSocket (token as
 * {@code ?jwt=} in the URL) and the Java moq-lite-05 client over raw QUIC (token in the SETUP Path),
 * which also reports the relay's close code. A refusal is HTTP 401 before the WebSocket upgrade and
 * close code 6 (Unauthorized) on QUIC.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long UNAUTHORIZED = ErrorCode.UNAUTHORIZED.code();
    private static final Pattern PAYLOAD = Pattern.compile("g(\\d+)-f(\\d+)");
    private static final Pattern SESSION_ID = Pattern.compile("session (\\S+) open:");

    @TempDir
    static java.nio.file.Path keyDir;
    /** The relay's key. */
    static Key key;
    /** A key the relay does not know. */
    static Key otherKey;
    /** Key file + public prefix "anon" for both roles. */
    static RelayServer relay;
    /** Public prefix "anon" and no key at all. */
    static RelayServer keyless;
    static RelayLog relayLog;
    static EventLoopGroup clients;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        NodeSupport.requireNode();
        relayLog = RelayLog.capture();
        key = Key.generate(Algorithm.HS256, null);
        otherKey = Key.generate(Algorithm.HS256, null);
        java.nio.file.Path keyFile = keyDir.resolve("relay.jwk");
        key.write(keyFile);
        relay = startRelay(new AuthConfig(keyFile.toString(), null, List.of("anon"), List.of("anon")));
        keyless = startRelay(new AuthConfig(null, null, List.of("anon"), List.of("anon")));
        clients = EventLoops.newGroup(2, "auth-clients");
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        if (relay != null) relay.close();
        if (keyless != null) keyless.close();
        if (clients != null) clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
        if (http != null) http.close();
        if (relayLog != null) relayLog.close();
    }

    private static RelayServer startRelay(AuthConfig auth) throws Exception {
        return Relays.startDev(c -> c.withAuth(auth));
    }

    // ------------------------------------------------------------------ tokens

    static String sign(Claims c) {
        return TokenSigner.sign(key, c);
    }

    static Instant inAnHour() {
        return Instant.now().plusSeconds(3600);
    }

    /** root "room", put "", get "". */
    static Claims roomClaims() {
        return Claims.of("room", List.of(""), List.of("")).withExp(inAnHour());
    }

    static String fullAccess() {
        return sign(roomClaims());
    }

    static String readOnly() {
        return sign(Claims.of("room", List.of(), List.of("")).withExp(inAnHour()));
    }

    static String writeOnly() {
        return sign(Claims.of("room", List.of(""), List.of()).withExp(inAnHour()));
    }

    static String expired() {
        return sign(Claims.of("room", List.of(""), List.of("")).withExp(Instant.now().minusSeconds(60)));
    }

    // ------------------------------------------------------------------ clients

    static String withJwt(String path, String jwt) {
        return jwt == null ? path : path + "?jwt=" + jwt;
    }

    /** The URL a Node client dials (http: → ws: with the same path and query). */
    static String nodeUrl(RelayServer r, String path, String jwt) {
        return "http://127.0.0.1:" + r.webAddress().getPort() + withJwt(path, jwt);
    }

    static Map<String, String> params(String relayUrl, String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("relay", relayUrl);
        for (int i = 0; i + 1 < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    /** A Node publisher writing a group of 3 frames every {@code interval} ms until stopped. */
    static NodeClient publisher(String name, String relayUrl, String broadcast, String interval) {
        return NodeClient.start(name, params(relayUrl, "mode", "publish", "broadcast", broadcast, "track", "t", "groups", "0",
                "frames", "3", "interval", interval, "duration", "40000", "closeDelay", "50"));
    }

    /** A Node subscriber reading {@code groups} groups of 3 frames, optionally waiting for the announcement first. */
    static NodeClient subscriber(String name, String relayUrl, String broadcast, int groups, boolean waitAnnounce) {
        return NodeClient.start(name, params(relayUrl, "mode", "subscribe", "broadcast", broadcast, "track", "t",
                "groups", String.valueOf(groups), "frames", "3", "waitAnnounce", waitAnnounce ? "1" : "0", "timeout", "15000"));
    }

    static AuthQuicClient quic(RelayServer r, String path, String jwt) throws Exception {
        return AuthQuicClient.connect(clients, r, withJwt(path, jwt), WAIT);
    }

    /** Every frame of {@code groups} whole groups read, each with the payload the publisher wrote. */
    static void assertEveryFrame(PageResult r, int groups, String diagnostics) {
        assertThat(r.ok()).as("subscriber result %s%s", r, diagnostics).isTrue();
        assertThat(r.version()).isEqualTo("moq-lite-05");
        assertThat(r.transport()).isEqualTo("websocket");
        List<PageResult.Frame> got = r.frames();
        assertThat(got).as("frames %s", r).hasSize(groups * 3).allMatch(PageResult.Frame::ok);
        assertThat(got.stream().map(PageResult.Frame::group).distinct()).hasSize(groups);
        for (PageResult.Frame f : got) assertThat(f.payload()).isEqualTo("g" + f.group() + "-f" + f.frame());
    }

    /** A frame the Java client received carries the Node publisher's payload for its group and index. */
    static void assertNodePayload(TrackReader.Received f) {
        assertThat(f).isNotNull();
        assertThat(f.end()).isFalse();
        assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo("g" + f.group() + "-f" + f.index());
    }

    // ------------------------------------------------------------------ HTTP

    /** The WebSocket upgrade's status: 101 when upgraded (then dropped), else the refusal's status. */
    static int upgradeStatus(RelayServer r, String pathAndQuery) throws Exception {
        var ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).subprotocols("qmux-01.moq-lite-05")
                .buildAsync(URI.create("ws://127.0.0.1:" + r.webAddress().getPort() + pathAndQuery), new WebSocket.Listener() {});
        try {
            ws.get(10, TimeUnit.SECONDS).abort();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) return h.getResponse().statusCode();
            throw e;
        }
    }

    static HttpResponse<String> get(RelayServer r, String pathAndQuery) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.webAddress().getPort() + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    static List<String> lines(HttpResponse<String> res) {
        return res.body().isEmpty() ? List.of() : Arrays.asList(res.body().split("\n", -1));
    }

    // ------------------------------------------------------------------ refusals

    /**
     * The credentials ({@code jwt} at {@code path}; null = anonymous) are refused on every transport:
     * the WebSocket upgrade answers 401, the Node client's connect fails on that 401 at once, and a raw
     * QUIC session is closed with code 6 (Unauthorized). The token never appears in the relay's log.
     */
    static void assertRefused(String name, RelayServer r, String path, String jwt) throws Exception {
        try (NodeClient node = NodeClient.start(name, params(nodeUrl(r, path, jwt), "mode", "connect", "connectTimeout", "10000"))) {
            assertThat(upgradeStatus(r, withJwt(path, jwt))).as("WebSocket upgrade status at %s", path).isEqualTo(401);

            try (AuthQuicClient q = quic(r, path, jwt)) {
                AuthQuicClient.Close close = q.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(close.code()).as("raw QUIC close %s", close).isEqualTo(UNAUTHORIZED);
            }

            PageResult res = node.awaitResult(WAIT);
            assertThat(res.ok()).as("node connect %s%s", res, node.diagnostics()).isFalse();
            assertThat(String.valueOf(res.get("sockets"))).as("%s", res).contains("Unexpected server response: 401");
            assertThat(((Number) res.get("connectFailedAfter")).longValue()).as("ms until the connect failed").isLessThan(5_000);
        }
        if (jwt != null) assertThat(relayLog.lines()).as("relay log").noneMatch(l -> l.contains(jwt));
    }

    /**
     * The Node client's console lines once it has exited and both its output streams were read to the
     * end (NodeClient's bounded await fails with "exited" exactly then).
     */
    static List<String> outputAfterExit(NodeClient c) {
        c.awaitExit(WAIT);
        Throwable end = catchThrowable(() -> c.await(m -> false, WAIT, "end of output"));
        assertThat(end).as("output streams closed").isInstanceOf(AssertionError.class).hasMessageContaining(" exited (");
        return c.logs();
    }

    /** The relay's session id for the Node client whose event carries its WebSocket's local port ({@code localPort}). */
    static String sessionIdOf(Map<String, Object> eventWithLocalPort) {
        Object port = eventWithLocalPort.get("localPort");
        assertThat(port).as("local port in %s", eventWithLocalPort).isInstanceOf(Number.class);
        String line = relayLog.awaitWebSocketSession(((Number) port).longValue(), Duration.ofSeconds(5));
        Matcher m = SESSION_ID.matcher(line);
        assertThat(m.find()).as("session id in %s", line).isTrue();
        return m.group(1);
    }

    // ------------------------------------------------------------------ valid tokens

    @Test
    void aValidTokenForTheRoomLetsOneNodeClientPublishAndAnotherReceiveEveryFrame() throws Exception {
        String jwt = fullAccess();
        String url = nodeUrl(relay, "/room", jwt);
        try (NodeClient pub = publisher("valid-pub", url, "live/valid", "50");
             NodeClient sub = subscriber("valid-sub", url, "live/valid", 3, true)) {
            PageResult s = sub.awaitResult(WAIT);
            assertEveryFrame(s, 3, sub.diagnostics() + pub.diagnostics());
            // Published under the token's root, which is the connection path.
            Relays.awaitAnnounced(relay.origin(), Path.of("room/live/valid"), 5);
            pub.stop();
            PageResult p = pub.awaitResult(WAIT);
            assertThat(p.ok()).as("publisher %s%s", p, pub.diagnostics()).isTrue();
            assertThat(p.groupsWritten()).isGreaterThanOrEqualTo(3);
        }
        assertThat(relayLog.lines()).as("the token never reaches the relay log").noneMatch(l -> l.contains(jwt));
    }

    @Test
    void theAnnouncedEndpointListsTheRoomsBroadcastsWithAValidTokenAndAnswers401WithoutOne() throws Exception {
        String jwt = fullAccess();
        try (AuthQuicClient pub = quic(relay, "/room", jwt)) {
            pub.publish(Path.of("live/listed")).createTrack("t", TrackInfo.DEFAULT);
            Relays.awaitAnnounced(relay.origin(), Path.of("room/live/listed"), 10);

            HttpResponse<String> ok = get(relay, "/announced/room?jwt=" + jwt);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(lines(ok)).as("paths relative to /room").contains("live/listed").noneMatch(l -> l.startsWith("room/"));
            HttpResponse<String> readable = get(relay, "/announced/room?jwt=" + readOnly());
            assertThat(readable.statusCode()).isEqualTo(200);
            assertThat(lines(readable)).contains("live/listed");
            HttpResponse<String> narrower = get(relay, "/announced/room/live?jwt=" + jwt);
            assertThat(narrower.statusCode()).isEqualTo(200);
            assertThat(lines(narrower)).as("relative to /room/live").contains("listed");

            assertThat(get(relay, "/announced/room").statusCode()).as("no token, not public").isEqualTo(401);
            assertThat(get(relay, "/announced/room?jwt=").statusCode()).as("empty jwt = absent").isEqualTo(401);
            assertThat(get(relay, "/announced/room?jwt=" + expired()).statusCode()).as("expired").isEqualTo(401);
            assertThat(get(relay, "/announced/room?jwt=" + TokenSigner.sign(otherKey, roomClaims())).statusCode())
                    .as("foreign key").isEqualTo(401);
            assertThat(get(relay, "/announced/room?jwt=" + Jwts.unsigned(roomClaims())).statusCode()).as("alg none").isEqualTo(401);
            assertThat(get(relay, "/announced/other?jwt=" + jwt).statusCode()).as("outside the token's root").isEqualTo(401);
            assertThat(pub.closed()).as("the publishing session").isNotDone();
        }
    }

    // ------------------------------------------------------------------ refused tokens

    @Test
    void anExpiredTokenIsRefusedWith401BeforeTheUpgradeAndWithCode6OnRawQuic() throws Exception {
        assertRefused("expired", relay, "/room", expired());
    }

    @Test
    void aTokenForAnotherRootIsRefusedAtTheRoomPath() throws Exception {
        assertRefused("wrong-root", relay, "/room", sign(Claims.of("other", List.of(""), List.of("")).withExp(inAnHour())));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"signed with another key", "tampered payload", "alg none"})
    void aTokenTheRelayCannotVerifyIsRefused(String kind) throws Exception {
        String jwt = switch (kind) {
            case "signed with another key" -> TokenSigner.sign(otherKey, roomClaims());
            // A read-only token whose payload was edited to grant publishing as well.
            case "tampered payload" -> Jwts.withPayload(readOnly(), roomClaims());
            case "alg none" -> Jwts.unsigned(roomClaims());
            default -> throw new IllegalArgumentException(kind);
        };
        if (kind.equals("tampered payload")) assertThat(Jwts.payload(jwt)).contains("\"put\":[\"\"]");
        assertRefused(kind.replace(' ', '-'), relay, "/room", jwt);
    }

    @Test
    void aTokenIsRefusedByARelayWithoutAKeyEvenAtAPublicPath() throws Exception {
        String jwt = sign(Claims.of("anon", List.of(""), List.of("")).withExp(inAnHour()));
        assertRefused("keyless", keyless, "/anon", jwt);
        // The same path without a token is public there.
        assertThat(upgradeStatus(keyless, "/anon")).isEqualTo(101);
        assertThat(get(keyless, "/announced/anon").statusCode()).isEqualTo(200);
        assertThat(get(keyless, "/announced/anon?jwt=" + jwt).statusCode()).isEqualTo(401);
    }

    // ------------------------------------------------------------------ partial grants

    @Test
    void aReadOnlyTokenSubscribesButItsBroadcastsAreNeverAcceptedAndItsSessionStaysUp() throws Exception {
        String full = fullAccess();
        String ro = readOnly();
        int logFrom = relayLog.lines().size(); // session ids restart per relay: look at this test's lines only
        try (NodeClient source = publisher("ro-source", nodeUrl(relay, "/room", full), "live/ro-source", "50");
             NodeClient roPub = publisher("ro-pub", nodeUrl(relay, "/room", ro), "live/ro-attempt", "50");
             NodeClient roSub = subscriber("ro-sub", nodeUrl(relay, "/room", ro), "live/ro-source", 2, true)) {
            // Subscribing with a read-only token works (announcement and frames).
            assertEveryFrame(roSub.awaitResult(WAIT), 2, roSub.diagnostics() + source.diagnostics());

            // The read-only Node publisher got a session and published; the relay never asks it for announcements.
            Map<String, Object> publishing = roPub.awaitEvent("publishing", WAIT);
            String roPubSession = sessionIdOf(publishing);

            // Same from the Java client over raw QUIC, which also subscribes on that very session.
            try (AuthQuicClient q = quic(relay, "/room", ro)) {
                q.publish(Path.of("live/ro-java")).createTrack("t", TrackInfo.DEFAULT);
                try (TrackReader r = new TrackReader(q.consume(Path.of("live/ro-source")).track("t"), Demand.LATEST)) {
                    assertNodePayload(r.poll(10, TimeUnit.SECONDS));
                }
                // Barrier: a full-access publisher that started after both read-only ones is announced...
                try (AuthQuicClient w = quic(relay, "/room", full)) {
                    w.publish(Path.of("live/ro-barrier")).createTrack("t", TrackInfo.DEFAULT);
                    Relays.awaitAnnounced(relay.origin(), Path.of("room/live/ro-barrier"), 10);
                }
                // ...while neither read-only broadcast ever was.
                assertThat(relay.origin().broadcast(Path.of("room/live/ro-attempt"))).isNull();
                assertThat(relay.origin().broadcast(Path.of("room/live/ro-java"))).isNull();
                HttpResponse<String> listed = get(relay, "/announced/room/live?jwt=" + full);
                assertThat(lines(listed)).contains("ro-source").doesNotContain("ro-attempt", "ro-java");
                assertThat(q.closed()).as("read-only raw QUIC session").isNotDone();
            }
            List<String> log = relayLog.lines();
            assertThat(log.subList(logFrom, log.size())).as("read-only Node publisher's session %s", roPubSession)
                    .noneMatch(l -> l.contains("session " + roPubSession + " closed") || l.contains("session " + roPubSession + " refused"));
            roPub.stop();
            PageResult p = roPub.awaitResult(WAIT);
            assertThat(p.ok()).as("%s%s", p, roPub.diagnostics()).isTrue();
            assertThat(p.groupsWritten()).isPositive();
            source.stop();
            assertThat(source.awaitResult(WAIT).ok()).isTrue();
        }
    }

    @Test
    void aWriteOnlyTokenPublishesButItsSubscriptionsAreRefusedWithUnauthorized() throws Exception {
        String full = fullAccess();
        String wo = writeOnly();
        try (NodeClient woPub = publisher("wo-pub", nodeUrl(relay, "/room", wo), "live/wo", "50")) {
            Relays.awaitAnnounced(relay.origin(), Path.of("room/live/wo"), 15);
            // Its frames reach a full-access subscriber (Java, raw QUIC).
            try (AuthQuicClient reader = quic(relay, "/room", full);
                 TrackReader r = new TrackReader(reader.consume(Path.of("live/wo")).track("t"), Demand.LATEST)) {
                for (int i = 0; i < 3; i++) assertNodePayload(r.poll(10, TimeUnit.SECONDS));
            }

            // Node subscriber with the write-only token: the subscription fails, no frame arrives.
            try (NodeClient woSub = subscriber("wo-sub", nodeUrl(relay, "/room", wo), "live/wo", 1, false)) {
                PageResult s = woSub.awaitResult(WAIT);
                assertThat(s.ok()).as("%s%s", s, woSub.diagnostics()).isFalse();
                assertThat(s.frameCount()).isZero();
                // The relay resets the subscribe stream with 6 (Unauthorized).
                assertThat(s.error()).as("%s", s).contains("RESET_STREAM: 6").contains("(streamErrorCode 6)");
            }
            // Nor may it list announcements: the reference answers 401 when the token grants no subscription.
            assertThat(get(relay, "/announced/room?jwt=" + wo).statusCode()).as("/announced with a write-only token")
                    .isEqualTo(401);

            // Java client with the write-only token: the track request is reset with Unauthorized; the session stays.
            try (AuthQuicClient q = quic(relay, "/room", wo)) {
                Track t = q.consume(Path.of("live/wo")).track("t");
                assertThatThrownBy(() -> t.info().get(10, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(TrackException.class)
                        .cause().extracting(e -> ((TrackException) e).code()).isEqualTo(ErrorCode.UNAUTHORIZED);
                assertThat(q.closed()).isNotDone();
            }
            woPub.stop();
            assertThat(woPub.awaitResult(WAIT).ok()).isTrue();
        }
    }

    // ------------------------------------------------------------------ public prefix

    @Test
    void anonymousClientsPublishAndSubscribeUnderThePublicPrefix() throws Exception {
        String url = nodeUrl(relay, "/anon", null);
        try (NodeClient pub = publisher("anon-pub", url, "auth/anon-live", "50");
             NodeClient sub = subscriber("anon-sub", url, "auth/anon-live", 2, true)) {
            assertEveryFrame(sub.awaitResult(WAIT), 2, sub.diagnostics() + pub.diagnostics());
            Relays.awaitAnnounced(relay.origin(), Path.of("anon/auth/anon-live"), 5);
            HttpResponse<String> listed = get(relay, "/announced/anon/auth");
            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(lines(listed)).contains("anon-live");
            pub.stop();
            assertThat(pub.awaitResult(WAIT).ok()).isTrue();
        }
    }

    @Test
    void anonymousAccessOutsideThePublicPrefixIsRefused() throws Exception {
        assertRefused("private", relay, "/private", null);
        assertThat(get(relay, "/announced/private").statusCode()).isEqualTo(401);
    }

    // ------------------------------------------------------------------ expiry

    @Test
    void aSessionWhoseTokenExpiresMidStreamIsClosedWithUnauthorizedRightAfterExp() throws Exception {
        try (NodeClient pub = publisher("exp-pub", nodeUrl(relay, "/room", fullAccess()), "live/expiring", "100")) {
            Relays.awaitAnnounced(relay.origin(), Path.of("room/live/expiring"), 15);
            // exp is whole seconds: 3 to 4 s from now.
            Instant exp = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 4);
            long expMillis = exp.toEpochMilli();
            String shortJwt = sign(roomClaims().withExp(exp));
            try (NodeClient nodeSub = NodeClient.start("exp-sub", params(nodeUrl(relay, "/room", shortJwt), "mode", "subscribe",
                    "broadcast", "live/expiring", "track", "t", "groups", "1000", "frames", "3", "timeout", "20000"));
                 AuthQuicClient q = quic(relay, "/room", shortJwt);
                 TrackReader r = new TrackReader(q.consume(Path.of("live/expiring")).track("t"), Demand.LATEST)) {
                List<Long> receivedAt = new ArrayList<>();
                long deadline = expMillis + 10_000;
                while (!q.closed().isDone() && System.currentTimeMillis() < deadline) {
                    TrackReader.Received f = r.poll(100, TimeUnit.MILLISECONDS);
                    if (f == null || f.end()) continue;
                    assertNodePayload(f);
                    receivedAt.add(System.currentTimeMillis());
                }
                AuthQuicClient.Close close = q.closed().get(1, TimeUnit.SECONDS);
                assertThat(close.code()).as("raw QUIC close %s", close).isEqualTo(UNAUTHORIZED);
                assertThat(close.reason()).contains("expired");
                // Frames flowed while the token was valid (a group in flight at exp may still land a few ms later).
                assertThat(receivedAt.stream().filter(t -> t < expMillis).count()).as("frames received before exp")
                        .isGreaterThanOrEqualTo(6);
                // Scheduled from the same clock: not before exp, and promptly after.
                assertThat(close.atMillis() - expMillis).as("ms from exp to the close").isBetween(0L, 1_500L);

                // The Node subscriber on the same token over WebSocket was receiving too, and was cut off by the relay.
                String nodeSession = sessionIdOf(nodeSub.awaitEvent("connected", WAIT));
                relayLog.await(l -> l.contains("session " + nodeSession + ": credentials expired"), WAIT, "expiry of " + nodeSession);
                PageResult ns = nodeSub.awaitResult(WAIT);
                assertThat(ns.ok()).as("%s%s", ns, nodeSub.diagnostics()).isFalse();
                assertThat(ns.error()).as("%s", ns).startsWith("Error: track ended after");
                assertThat(ns.frameCount()).as("frames the Node subscriber got before exp").isGreaterThanOrEqualTo(3);
                assertThat(ns.frames()).allMatch(PageResult.Frame::ok);
                // @moq/qmux logs the relay's APPLICATION_CLOSE: code 6 with the relay's reason.
                assertThat(outputAfterExit(nodeSub)).as("node client console")
                        .anyMatch(l -> l.contains("Connection closed: 6 token expired"));
            }
            // The full-access publisher is unaffected.
            assertThat(relay.origin().broadcast(Path.of("room/live/expiring"))).isNotNull();
            pub.stop();
            PageResult p = pub.awaitResult(WAIT);
            assertThat(p.ok()).as("%s%s", p, pub.diagnostics()).isTrue();
        }
    }
}
