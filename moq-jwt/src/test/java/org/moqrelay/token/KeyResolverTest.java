package org.moqrelay.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moqrelay.token.TokenException.Reason;

class KeyResolverTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final Key key = Key.generate(Algorithm.HS256, "k1");
    private final Claims claims = Claims.of("demo", List.of("alice"), List.of());
    private HttpServer server;
    private final Map<String, Response> routes = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicReference<String> lastIfNoneMatch = new AtomicReference<>();
    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(2_000_000_000L));

    record Response(int status, String body, Map<String, String> headers, long delayMillis) {
        Response(int status, String body, Map<String, String> headers) {
            this(status, body, headers, 0);
        }
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::serve);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void serve(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        lastIfNoneMatch.set(ex.getRequestHeaders().getFirst("If-None-Match"));
        Response r = routes.getOrDefault(ex.getRequestURI().getPath(), new Response(404, "", Map.of()));
        if (r.delayMillis() > 0) {
            try {
                Thread.sleep(r.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String etag = r.headers().get("ETag");
        if (etag != null && etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
            r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.sendResponseHeaders(304, -1);
            ex.close();
            return;
        }
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) ex.getResponseBody().write(body);
        ex.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void aSingleKeyFileNeedsNoKidAndIsReReadEachTime() throws Exception {
        Path file = dir.resolve("key.jwk");
        key.write(file);
        try (KeyResolver r = KeyResolver.forKey(file.toString())) {
            assertThat(r.requiresKid()).isFalse();
            Key unnamed = Key.of(new Jwk(Algorithm.HS256, key.operations(), key.jwk().material(), null, null));
            assertThat(r.verify(TokenSigner.sign(unnamed, claims))).succeedsWithin(WAIT).isEqualTo(claims);
            assertThat(r.resolve("whatever")).succeedsWithin(WAIT).extracting(Key::toJson).isEqualTo(key.toJson());

            Key rotated = Key.generate(Algorithm.HS256, "k2");
            rotated.write(file);
            assertThat(r.verify(TokenSigner.sign(rotated, claims))).succeedsWithin(WAIT);
            Files.delete(file);
            assertFails(r.resolve(null), Reason.KEY_NOT_FOUND);
        }
        assertThatThrownBy(() -> KeyResolver.forKey(dir.toString())).hasMessageContaining("auth-key path is not a file");
        assertThatThrownBy(() -> KeyResolver.forKeyDir(dir.resolve("nope").toString())).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> KeyResolver.builder().key("a").keyDir("b").build()).hasMessageContaining("cannot specify both");
    }

    @Test
    void aKeyDirectoryNeedsAValidKid() throws Exception {
        Path keys = Files.createDirectory(dir.resolve("keys"));
        key.write(keys.resolve("k1.jwk"));
        // A valid key just outside the directory: reachable only through a path-traversing kid.
        key.write(dir.resolve("escape.jwk"));
        try (KeyResolver r = KeyResolver.forKeyDir(keys.toString())) {
            assertThat(r.requiresKid()).isTrue();
            assertThat(r.verify(TokenSigner.sign(key, claims))).succeedsWithin(WAIT).isEqualTo(claims);
            Key unnamed = Key.of(new Jwk(Algorithm.HS256, key.operations(), key.jwk().material(), null, null));
            assertFails(r.verify(TokenSigner.sign(unnamed, claims)), Reason.MISSING_KEY_ID);
            assertFails(r.resolve(null), Reason.MISSING_KEY_ID);
            assertFails(r.resolve("../escape"), Reason.INVALID_KEY_ID);
            assertFails(r.resolve("k1.jwk"), Reason.INVALID_KEY_ID);
            assertFails(r.resolve("x".repeat(129)), Reason.INVALID_KEY_ID);
            assertFails(r.resolve("k9"), Reason.KEY_NOT_FOUND);
            Files.writeString(keys.resolve("broken.jwk"), "{\"alg\":\"HS256\"}");
            assertFails(r.resolve("broken"), Reason.KEY_NOT_FOUND);
        }
    }

    @Test
    void aKidWithBadCharactersNeverTouchesTheFileSystem() throws Exception {
        AtomicInteger tasks = new AtomicInteger();
        try (KeyResolver r = KeyResolver.builder().keyDir(dir.toString()).executor(cmd -> {
            tasks.incrementAndGet();
            cmd.run();
        }).build()) {
            assertFails(r.resolve("../../etc/passwd"), Reason.INVALID_KEY_ID);
            assertThat(tasks).hasValue(0);
        }
    }

    @Test
    void aKeyUrlIsFetchedAndCachedPerCacheControl() throws Exception {
        routes.put("/key.jwk", new Response(200, key.encode(), Map.of("Cache-Control", "max-age=60")));
        try (KeyResolver r = KeyResolver.builder().key(url("/key.jwk")).clock(clock).build()) {
            String token = TokenSigner.sign(key, claims);
            assertThat(r.verify(token)).succeedsWithin(WAIT).isEqualTo(claims);
            assertThat(r.verify(token)).succeedsWithin(WAIT);
            assertThat(requests).hasValue(1);
            clock.advance(Duration.ofSeconds(61));
            assertThat(r.verify(token)).succeedsWithin(WAIT);
            assertThat(requests).hasValue(2);
        }
    }

    @Test
    void concurrentLookupsShareOneRequest() throws Exception {
        routes.put("/key.jwk", new Response(200, key.toJson(), Map.of("Cache-Control", "max-age=60"), 300));
        try (KeyResolver r = KeyResolver.builder().key(url("/key.jwk")).clock(clock).build()) {
            List<CompletableFuture<Key>> all = java.util.stream.IntStream.range(0, 8).mapToObj(i -> r.resolve(null)).toList();
            for (CompletableFuture<Key> f : all) assertThat(f).succeedsWithin(WAIT);
            assertThat(requests).hasValue(1);
        }
    }

    @Test
    void anEtagIsRevalidated() throws Exception {
        routes.put("/key.jwk", new Response(200, key.encode(), Map.of("ETag", "\"v1\"", "Cache-Control", "no-cache")));
        try (KeyResolver r = KeyResolver.builder().key(url("/key.jwk")).clock(clock).build()) {
            assertThat(r.resolve(null)).succeedsWithin(WAIT);
            assertThat(r.resolve(null)).succeedsWithin(WAIT).extracting(Key::toJson).isEqualTo(key.toJson());
            assertThat(requests).hasValue(2);
            assertThat(lastIfNoneMatch.get()).isEqualTo("\"v1\"");
        }
    }

    @Test
    void noStoreIsNotCached() throws Exception {
        routes.put("/key.jwk", new Response(200, key.encode(), Map.of("Cache-Control", "no-store, max-age=60")));
        try (KeyResolver r = KeyResolver.builder().key(url("/key.jwk")).clock(clock).build()) {
            assertThat(r.resolve(null)).succeedsWithin(WAIT);
            assertThat(r.resolve(null)).succeedsWithin(WAIT);
            assertThat(requests).hasValue(2);
        }
    }

    @Test
    void aKeyDirectoryUrlLoadsKidDotJwk() throws Exception {
        routes.put("/keys/k1.jwk", new Response(200, key.encode() + "\n", Map.of()));
        routes.put("/keys/bad.jwk", new Response(200, "not a key", Map.of()));
        routes.put("/keys/down.jwk", new Response(503, "", Map.of()));
        Key es = Tokens.key(Algorithm.ES256);
        routes.put("/keys/test-ES256.jwk", new Response(200, es.toPublic().toJson(), Map.of()));
        try (KeyResolver r = KeyResolver.forKeyDir(url("/keys"))) {
            assertThat(r.verify(TokenSigner.sign(Tokens.key(Algorithm.ES256), claims))).succeedsWithin(WAIT).isEqualTo(claims);
            assertThat(r.verify(TokenSigner.sign(key, claims))).succeedsWithin(WAIT).isEqualTo(claims);
            assertFails(r.resolve("nope"), Reason.KEY_NOT_FOUND);
            assertFails(r.resolve("bad"), Reason.INVALID_KEY);
            assertFails(r.resolve("down"), Reason.KEY_UNAVAILABLE);
            assertFails(r.resolve(null), Reason.MISSING_KEY_ID);
            assertFails(r.resolve("a/b"), Reason.INVALID_KEY_ID);
            int before = requests.get();
            assertFails(r.resolve("..%2Fx"), Reason.INVALID_KEY_ID);
            assertThat(requests).hasValue(before);
            // A verified token is refused by the fetched key as by a local one.
            assertFails(r.verify(TokenSigner.sign(Tokens.key(Algorithm.ES256), Claims.of("demo", List.of(), List.of("")).withExp(Instant.EPOCH))),
                    Reason.EXPIRED);
        }
    }

    @Test
    void anUnreachableOrSlowServerFailsWithinTheTimeout() throws Exception {
        routes.put("/slow.jwk", new Response(200, key.encode(), Map.of(), 5_000));
        try (KeyResolver r = KeyResolver.builder().key(url("/slow.jwk")).timeout(Duration.ofMillis(300)).build()) {
            long start = System.nanoTime();
            assertFails(r.resolve(null), Reason.KEY_UNAVAILABLE);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
        try (KeyResolver r = KeyResolver.builder().key("http://127.0.0.1:1/key.jwk").timeout(Duration.ofSeconds(2)).build()) {
            assertFails(r.resolve(null), Reason.KEY_UNAVAILABLE);
        }
    }

    @Test
    void nothingRunsOnTheCallersThread() throws Exception {
        Path file = dir.resolve("key.jwk");
        key.write(file);
        java.util.concurrent.LinkedBlockingQueue<Runnable> queued = new java.util.concurrent.LinkedBlockingQueue<>();
        try (KeyResolver r = KeyResolver.builder().key(file.toString()).executor(queued::add).build()) {
            CompletableFuture<Claims> f = r.verify(TokenSigner.sign(key, claims));
            // Until the executor runs something, nothing has happened: no header parsing, file read or crypto.
            assertThat(f).isNotDone();
            Runnable task;
            while (!f.isDone() && (task = queued.poll(5, TimeUnit.SECONDS)) != null) task.run();
            assertThat(f).isCompletedWithValue(claims);
        }
    }

    private static void assertFails(CompletableFuture<?> f, Reason reason) {
        assertThat(f).failsWithin(WAIT).withThrowableThat().isInstanceOf(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(TokenException.class, e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
