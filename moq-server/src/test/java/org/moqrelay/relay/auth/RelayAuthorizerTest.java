package org.moqrelay.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.moqrelay.session.lite.Authorizer;
import org.moqrelay.session.lite.Authorizer.Grant;
import org.moqrelay.session.lite.Authorizer.Request;
import org.moqrelay.session.lite.SessionRefusedException;
import org.moqrelay.token.Algorithm;
import org.moqrelay.token.AuthApi;
import org.moqrelay.token.Claims;
import org.moqrelay.token.Key;
import org.moqrelay.token.TokenSigner;
import org.moqrelay.transport.tls.Certificates;
import org.moqrelay.wire.Path;

/**
 * How the relay decides with subdomain routing, the auth API (a real HTTP server here) and client
 * certificates, and the statuses of its refusals.
 */
class RelayAuthorizerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final X509Certificate CERT = Certificates.generateSelfSigned(List.of("peer")).leaf();

    private HttpServer server;
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String body = "{}";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/auth", this::serve);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void serve(HttpExchange ex) throws IOException {
        queries.add(ex.getRequestURI().getRawQuery());
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private RelayAuthorizer.Builder withApi() {
        return RelayAuthorizer.builder().api(AuthApi.builder("http://127.0.0.1:" + server.getAddress().getPort() + "/auth").build());
    }

    private static Grant granted(CompletableFuture<Grant> f) {
        assertThat(f).succeedsWithin(WAIT);
        return f.join();
    }

    private static SessionRefusedException refused(CompletableFuture<Grant> f) {
        assertThat(f).failsWithin(WAIT).withThrowableThat().isInstanceOf(ExecutionException.class)
                .havingCause().isInstanceOf(SessionRefusedException.class);
        return (SessionRefusedException) f.handle((g, e) -> e instanceof java.util.concurrent.CompletionException c ? c.getCause() : e).join();
    }

    private static Request web(String host, String pathAndQuery) {
        return new Request(pathAndQuery, host, "websocket", null);
    }

    @Test
    void aMalformedPercentEscapeIsRefusedWith400WithoutQuotingTheToken() {
        try (RelayAuthorizer a = RelayAuthorizer.builder().publicAccess(List.of(""), List.of()).build()) {
            for (String pathAndQuery : List.of("/a%zz?jwt=SECRET", "/a?jwt=SE%zzCRET", "/a%2")) {
                CompletableFuture<Grant> f = a.authorize(web(null, pathAndQuery));
                SessionRefusedException e = refused(f);
                assertThat(e.httpStatus()).as(pathAndQuery).isEqualTo(400);
                assertThat(e.getMessage()).as(pathAndQuery).isEqualTo("malformed percent-encoding in the request path");
            }
        }
    }

    @Test
    void aSubdomainSlugFlowsThroughThePublicPrefixes() {
        try (RelayAuthorizer a = RelayAuthorizer.builder().publicAccess(List.of("customer/anon"), List.of())
                .domains(AuthDomains.of(List.of("cdn.moq.dev"))).build()) {
            Grant g = granted(a.authorize(web("customer.cdn.moq.dev", "/anon/room")));
            assertThat(g.root()).isEqualTo(Path.of("customer/anon/room"));
            assertThat(g.subscribe()).containsExactly(Path.ROOT);
            assertThat(g.publish()).isEmpty();
            assertThat(g.tier()).isEmpty();

            assertThat(refused(a.authorize(web("other.cdn.moq.dev", "/anon/room"))).httpStatus()).isEqualTo(401);
            assertThat(refused(a.authorize(web(null, "/anon/room"))).closeCode()).as("no host, no slug: code 6").isEqualTo(6);
        }
    }

    @Test
    void theAuthApiDecidesEverythingAndItsTierLabelsTheGrant() {
        body = "{\"alias\":\"x7k2qp/room\",\"public\":{\"subscribe\":[\"\"]},\"tier\":\"/region//sjc/\"}";
        try (RelayAuthorizer a = withApi().domains(AuthDomains.of(List.of("cdn.example"))).build()) {
            Grant g = granted(a.authorize(web("demo.cdn.example", "/room")));
            assertThat(g.root()).isEqualTo(Path.of("x7k2qp/room"));
            assertThat(g.tier()).as("normalized like a path").isEqualTo("region/sjc");
            assertThat(queries).containsExactly("root=demo%2Froom&transport=websocket");

            body = "{\"public\":{\"publish\":[\"cam\"]}}";
            Grant untiered = granted(a.authorize(Request.of("/room")));
            assertThat(untiered.tier()).as("the default tier").isEmpty();
            assertThat(untiered.publish()).containsExactly(Path.of("cam"));
            assertThat(queries.get(1)).as("HTTP endpoints: no transport").isEqualTo("root=room");
        }
    }

    @Test
    void withTheApiATokenIsVerifiedWithItsKey() {
        Key key = Key.generate(Algorithm.HS256, "k1");
        body = "{\"key\":" + key.toJson() + ",\"tier\":\"paid\"}";
        String jwt = TokenSigner.sign(key, Claims.of("room", List.of(""), List.of("")).withExp(Instant.now().plusSeconds(60)));
        try (RelayAuthorizer a = withApi().build()) {
            Grant g = granted(a.authorize(new Request("/room?jwt=" + jwt, null, "quic", null)));
            assertThat(g.canPublish()).isTrue();
            assertThat(g.canSubscribe()).isTrue();
            assertThat(g.tier()).isEqualTo("paid");
            assertThat(g.expires()).isNotNull();
            assertThat(queries).containsExactly("root=room&kid=k1&transport=quic");

            body = "{}";
            assertThat(refused(a.authorize(new Request("/room?jwt=" + jwt, null, "quic", null))).closeCode())
                    .as("no key for the kid").isEqualTo(6);
        }
    }

    @Test
    void theApiFailingRefusesWith502AndCloseCode566() throws IOException {
        status = 500;
        try (RelayAuthorizer a = withApi().build()) {
            SessionRefusedException r = refused(a.authorize(web(null, "/room")));
            assertThat(r.httpStatus()).isEqualTo(502);
            assertThat(r.closeCode()).isEqualTo(64 + 502);
            assertThat(r.getMessage()).contains("auth API answered HTTP 500");
            status = 200;
            body = "not json";
            assertThat(refused(a.authorize(web(null, "/room"))).httpStatus()).isEqualTo(502);
            assertThat(refused(a.authorize(new Request("/room", null, "quic", CERT))).httpStatus())
                    .as("a certificate peer is refused too").isEqualTo(502);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (RelayAuthorizer down = RelayAuthorizer.builder().api(AuthApi.builder("http://127.0.0.1:" + port + "/").build()).build()) {
            assertThat(refused(down.authorize(web(null, "/room"))).closeCode()).isEqualTo(566);
        }
    }

    @Test
    void aClientCertificateGetsEverythingInTheMtlsTierOrInTheApisAliasAndTier() {
        try (RelayAuthorizer plain = RelayAuthorizer.builder().mtlsTier("peers").build()) {
            Grant g = granted(plain.authorize(new Request("/demo?jwt=ignored", null, "quic", CERT)));
            assertThat(g).isEqualTo(new Grant(Path.of("demo"), List.of(Path.ROOT), List.of(Path.ROOT),
                    CERT.getNotAfter().toInstant(), "peers"));
        }
        body = "{\"alias\":\"x7k2qp\"}";
        try (RelayAuthorizer a = withApi().mtlsTier("peers").build()) {
            Grant g = granted(a.authorize(new Request("/demo", null, "quic", CERT)));
            assertThat(g.root()).isEqualTo(Path.of("x7k2qp"));
            assertThat(g.tier()).as("the API chose none").isEqualTo("peers");
            assertThat(queries).containsExactly("root=demo&mtls=true&transport=quic");

            body = "{\"tier\":\"\"}";
            Grant defaultTier = granted(a.authorize(new Request("/", null, "quic", CERT)));
            assertThat(defaultTier.root()).isEqualTo(Path.ROOT);
            assertThat(defaultTier.tier()).as("the API chose the default tier").isEmpty();
        }
    }

    @Test
    void withoutTheApiRefusalsKeepTheirStatuses() {
        try (RelayAuthorizer a = RelayAuthorizer.builder().publicAccess(List.of("anon"), List.of("anon")).build()) {
            assertThat(granted(a.authorize(Request.of("/anon/x"))).root()).isEqualTo(Path.of("anon/x"));
            assertThat(refused(a.authorize(Request.of("/anon?jwt=abc"))).getMessage()).contains("no auth key is configured");
            assertThat(refused(a.authorize(Request.of("/private"))).httpStatus()).isEqualTo(401);
        }
        Authorizer allowAll = Authorizer.ALLOW_ALL;
        assertThat(granted(allowAll.authorize(Request.of("/a/b?x=1"))).root()).isEqualTo(Path.of("a/b"));
    }
}
