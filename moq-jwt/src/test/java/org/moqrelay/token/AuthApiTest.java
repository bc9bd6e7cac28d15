package org.moqrelay.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.moqrelay.token.TokenException.Reason;

/** {@link AuthApi} against a real HTTP server standing in for the API; the cases of the reference's auth.rs tests. */
class AuthApiTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The issuer's key; the API hands out its public half. */
    private final Key key = Key.generate(Algorithm.ES256, "cam-key");
    private HttpServer server;
    /** The query of every request, decoded, in arrival order. */
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String body = "{}";
    private volatile String cacheControl;
    private AuthApi api;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/auth", this::serve);
        server.start();
        api = AuthApi.builder("http://127.0.0.1:" + server.getAddress().getPort() + "/auth").build();
    }

    @AfterEach
    void stop() {
        api.close();
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void serve(HttpExchange ex) throws IOException {
        requests.add(query(ex.getRequestURI()));
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        if (cacheControl != null) ex.getResponseHeaders().add("Cache-Control", cacheControl);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) ex.getResponseBody().write(b);
        ex.close();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) return out;
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private String keyJson() {
        return key.toPublic().toJson();
    }

    private String token(Claims claims) {
        return TokenSigner.sign(key, claims.withExp(Instant.now().plusSeconds(600)));
    }

    private static void assertFails(CompletableFuture<?> f, Reason reason) {
        assertThat(f).failsWithin(WAIT).withThrowableThat().isInstanceOf(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(TokenException.class, e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    }

    @Test
    void aTokenIsVerifiedWithTheKeyTheApiGivesForItsKidAndScopedToTheAlias() {
        body = "{\"alias\":\"x7k2qp/room\",\"key\":" + keyJson() + "}";
        String jwt = token(Claims.of("demo/room", List.of(), List.of("")));

        AuthApi.Access access = api.verify("/demo/room", jwt, "quic").join();

        assertThat(access.permissions().root()).isEqualTo("x7k2qp/room");
        assertThat(access.permissions().subscribe()).containsExactly("");
        assertThat(access.permissions().publish()).isEmpty();
        assertThat(access.permissions().expires()).isNotNull();
        assertThat(access.tier()).as("no tier chosen").isNull();
        assertThat(requests).containsExactly(Map.of("root", "demo/room", "kid", "cam-key", "transport", "quic"));
    }

    @Test
    void aVanityTokenRootIsCheckedAgainstTheDialedPathWhileTheGrantsLandOnTheAlias() {
        body = "{\"alias\":\"uwwdyw61\",\"key\":" + keyJson() + "}";
        String jwt = token(Claims.of("kixelated", List.of("hello-world"), List.of("hello-world")));

        Permissions p = api.verify("/kixelated", jwt, null).join().permissions();

        assertThat(p.root()).isEqualTo("uwwdyw61");
        assertThat(p.publish()).containsExactly("hello-world");
        assertThat(p.subscribe()).containsExactly("hello-world");
        assertThat(requests.get(0)).as("no transport when unknown").doesNotContainKey("transport");
    }

    @Test
    void aParentTokenAtADeepPathAnchorsOnTheFullAlias() {
        body = "{\"alias\":\"x7k2qp/room/cam\",\"key\":" + keyJson() + "}";
        Permissions p = api.verify("/demo/room/cam", token(Claims.of("demo", List.of(), List.of(""))), "websocket").join().permissions();
        assertThat(p.root()).isEqualTo("x7k2qp/room/cam");
        assertThat(p.subscribe()).containsExactly("");
    }

    @Test
    void withoutAnAliasTheDialedPathIsTheRoot() {
        body = "{\"key\":" + keyJson() + "}";
        assertThat(api.verify("/unknown", token(Claims.of("unknown", List.of(""), List.of())), "quic").join().permissions().root())
                .isEqualTo("unknown");
    }

    @Test
    void anonymousConnectionsGetThePublicPrefixesRelativeToTheirPath() {
        body = "{\"alias\":\"x7k2qp\",\"public\":{\"subscribe\":[\"cam\"]},\"tier\":\"region/sjc\",\"future\":1}";

        AuthApi.Access access = api.verify("/demo", null, "websocket").join();

        assertThat(access.permissions().root()).isEqualTo("x7k2qp");
        assertThat(access.permissions().subscribe()).containsExactly("cam");
        assertThat(access.permissions().publish()).isEmpty();
        assertThat(access.permissions().expires()).isNull();
        assertThat(access.tier()).isEqualTo("region/sjc");
        assertThat(requests).containsExactly(Map.of("root", "demo", "transport", "websocket"));
    }

    @Test
    void refusalsAreTheReferencesOnes() {
        String jwt = token(Claims.of("demo", List.of(""), List.of("")));
        body = "{\"alias\":\"x7k2qp\"}";
        assertFails(api.verify("/demo", jwt, "quic"), Reason.KEY_NOT_FOUND);
        assertFails(api.verify("/demo", null, "quic"), Reason.EXPECTED_TOKEN);
        body = "{\"public\":{\"subscribe\":[],\"publish\":[]}}";
        assertFails(api.verify("/demo", null, "quic"), Reason.EXPECTED_TOKEN);

        body = "{\"alias\":\"x7k2qp/room/extra\",\"public\":{\"subscribe\":[\"\"]}}";
        assertFails(api.verify("/demo/room", null, "quic"), Reason.ROOT_MISMATCH);

        body = "{\"key\":" + keyJson() + "}";
        assertFails(api.verify("/elsewhere", jwt, "quic"), Reason.ROOT_MISMATCH);
        assertFails(api.verify("/demo", TokenSigner.sign(Key.generate(Algorithm.ES256, "cam-key"), Claims.of("demo", List.of(""), List.of())),
                "quic"), Reason.BAD_SIGNATURE);
        assertFails(api.verify("/demo", TokenSigner.sign(key, Claims.of("demo", List.of(""), List.of())
                .withExp(Instant.now().minusSeconds(5))), "quic"), Reason.EXPIRED);

        int asked = requests.size();
        assertFails(api.verify("/demo", "not.a-token", "quic"), Reason.MALFORMED_TOKEN);
        assertThat(requests).as("a malformed token is refused before asking").hasSize(asked);
    }

    @Test
    void itFailsClosedOnAnythingButAUsableAnswer() throws IOException {
        status = 500;
        assertFails(api.verify("/demo", null, "quic"), Reason.AUTH_API_UNAVAILABLE);
        status = 404;
        assertFails(api.verify("/demo", null, "quic"), Reason.AUTH_API_UNAVAILABLE);
        status = 200;
        for (String bad : List.of("not json", "[]", "{\"alias\":3}", "{\"public\":[\"a\"]}", "{\"public\":{\"subscribe\":\"a\"}}",
                "{\"key\":\"abc\"}", "{\"key\":{\"alg\":\"HS256\",\"kty\":\"oct\",\"k\":\"c2hvcnQ\"}}")) {
            body = bad;
            assertFails(api.verify("/demo", null, "quic"), Reason.AUTH_API_UNAVAILABLE);
            assertFails(api.resolvePeer("/demo", "quic"), Reason.AUTH_API_UNAVAILABLE);
        }

        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (AuthApi down = AuthApi.builder("http://127.0.0.1:" + port + "/auth").build()) {
            assertFails(down.verify("/demo", null, "quic"), Reason.AUTH_API_UNAVAILABLE);
            assertThat(down.verify("/demo", null, "quic")).failsWithin(WAIT).withThrowableThat()
                    .withMessageContaining("auth API request to http://127.0.0.1:" + port + "/auth failed");
        }
    }

    @Test
    void aCertificatePeerAsksWithMtlsAndNoKid() {
        body = "{\"alias\":\"x7k2qp/room\",\"tier\":\"region\"}";
        assertThat(api.resolvePeer("/demo/room", "quic").join()).isEqualTo(new AuthApi.PeerRoot("x7k2qp/room", "region"));
        assertThat(requests.get(0)).isEqualTo(Map.of("root", "demo/room", "mtls", "true", "transport", "quic"));

        body = "{}";
        assertThat(api.resolvePeer("/", null).join()).isEqualTo(new AuthApi.PeerRoot("/", null));
        assertThat(requests.get(1)).isEqualTo(Map.of("root", "", "mtls", "true"));
    }

    @Test
    void answersAreCachedAsTheirCacheControlAllows() {
        body = "{\"public\":{\"subscribe\":[\"\"]}}";
        cacheControl = "max-age=60";
        api.verify("/demo", null, "quic").join();
        api.verify("/demo", null, "quic").join();
        assertThat(requests).as("the second answer came from the cache").hasSize(1);
        api.verify("/other", null, "quic").join();
        assertThat(requests).as("another path is another URL").hasSize(2);

        cacheControl = "no-store";
        api.verify("/fresh", null, "quic").join();
        api.verify("/fresh", null, "quic").join();
        assertThat(requests).hasSize(4);
    }

    @Test
    void theRequestUrlKeepsTheBaseQueryAndEncodesEveryValue() {
        URI base = URI.create("https://api.example/cluster/auth?region=eu");
        assertThat(AuthApi.requestUri(base, "/a b/c&d=e/", "k1", true, "tcp").toString())
                .isEqualTo("https://api.example/cluster/auth?region=eu&root=a+b%2Fc%26d%3De&kid=k1&mtls=true&transport=tcp");
        assertThat(AuthApi.requestUri(URI.create("http://h:8080/a"), "", null, false, null).toString())
                .isEqualTo("http://h:8080/a?root=");
    }

    @Test
    void onlyHttpUrlsWithAHostAreAccepted() {
        assertThatThrownBy(() -> AuthApi.builder("ftp://x/auth")).hasMessageContaining("invalid auth API URL 'ftp://x/auth'");
        assertThatThrownBy(() -> AuthApi.builder("/auth")).hasMessageContaining("invalid auth API URL");
        assertThatThrownBy(() -> AuthApi.builder("http://bad host/")).hasMessageContaining("invalid auth API URL");
    }
}
