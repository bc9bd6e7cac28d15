package org.moqrelay.token;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Finds the key for a token the way the relay's {@code --auth-key} and {@code --auth-key-dir} do
 * (relay.md section 5.7, moq {@code rs/moq-relay/src/auth.rs} {@code KeyResolver}):
 *
 * <ul>
 *   <li>{@link Builder#key} file: one key, re-read on every lookup (so a rotated file takes effect at
 *       once); no {@code kid} needed.</li>
 *   <li>{@link Builder#keyDir} directory: {@code {dir}/{kid}.jwk}; the token must carry a {@code kid},
 *       which is validated before the file system is touched.</li>
 *   <li>Either as an {@code http://} or {@code https://} URL: the key, or {@code {url}/{kid}.jwk}, fetched with
 *       a bounded timeout and cached per HTTP caching headers; 404 is {@code KEY_NOT_FOUND}, other failures
 *       {@code KEY_UNAVAILABLE}.</li>
 * </ul>
 *
 * <p>Nothing here blocks the caller: lookups and verification run on the resolver's executor (virtual
 * threads unless one is given) and complete a {@link CompletableFuture}, exceptionally with a
 * {@link TokenException}. Thread-safe; {@link #close()} releases the executor and HTTP client it created.
 */
public final class KeyResolver implements AutoCloseable {
    private enum Kind { FILE, DIR, URL, URL_DIR }

    private final Kind kind;
    private final Path path;
    private final URI uri;
    private final TokenVerifier verifier;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final HttpClient ownedClient;
    private final HttpCache<Key> http;

    private KeyResolver(Builder b) {
        String source = b.key != null ? b.key : b.keyDir;
        boolean dir = b.keyDir != null;
        this.verifier = b.verifier;
        this.ownedExecutor = b.executor == null ? Executors.newVirtualThreadPerTaskExecutor() : null;
        this.executor = b.executor != null ? b.executor : ownedExecutor;
        if (isUrl(source)) {
            URI u = parseUri(source);
            if (dir && !u.getRawPath().endsWith("/")) u = withPath(u, u.getRawPath() + "/");
            this.kind = dir ? Kind.URL_DIR : Kind.URL;
            this.uri = u;
            this.path = null;
            HttpClient client = b.httpClient;
            this.ownedClient = client == null
                    ? HttpClient.newBuilder().connectTimeout(b.timeout).followRedirects(HttpClient.Redirect.NORMAL).executor(executor).build()
                    : null;
            this.http = new HttpCache<>(client != null ? client : ownedClient, executor, b.timeout, b.clock, b.maxCachedKeys,
                    b.maxKeyBytes, KEY_READER);
        } else {
            Path p = Path.of(source);
            if (dir && !Files.isDirectory(p)) throw new IllegalArgumentException("auth-key-dir path is not a directory: " + source);
            if (!dir && !Files.isRegularFile(p)) throw new IllegalArgumentException("auth-key path is not a file: " + source);
            this.kind = dir ? Kind.DIR : Kind.FILE;
            this.path = p;
            this.uri = null;
            this.ownedClient = null;
            this.http = null;
        }
    }

    /** A key URL's answers: 404 is {@code KEY_NOT_FOUND}, a bad key {@code INVALID_KEY}, any other failure {@code KEY_UNAVAILABLE}. */
    private static final HttpCache.Reader<Key> KEY_READER = new HttpCache.Reader<>() {
        @Override
        public Key parse(URI uri, String body) {
            try {
                return Key.parse(body);
            } catch (TokenException e) {
                throw new TokenException(TokenException.Reason.INVALID_KEY, "key from " + uri + " is unusable: " + e.getMessage());
            }
        }

        @Override
        public TokenException failed(URI uri, int status) {
            if (status == 404) return new TokenException(TokenException.Reason.KEY_NOT_FOUND, "key not found at " + uri + " (HTTP 404)");
            return new TokenException(TokenException.Reason.KEY_UNAVAILABLE, "key server answered HTTP " + status + " for " + uri);
        }

        @Override
        public TokenException unreachable(URI uri, String detail) {
            return new TokenException(TokenException.Reason.KEY_UNAVAILABLE, "key request to " + uri + " failed: " + detail);
        }

        @Override
        public TokenException tooLarge(URI uri, int maxBytes) {
            return new TokenException(TokenException.Reason.INVALID_KEY, "key from " + uri + " is larger than " + maxBytes + " bytes");
        }
    };

    /** {@code --auth-key}: one key file or URL, defaults otherwise. */
    public static KeyResolver forKey(String fileOrUrl) {
        return builder().key(fileOrUrl).build();
    }

    /** {@code --auth-key-dir}: a directory or base URL of {@code {kid}.jwk} files, defaults otherwise. */
    public static KeyResolver forKeyDir(String dirOrUrl) {
        return builder().keyDir(dirOrUrl).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True for key directories, which need the token's {@code kid}. */
    public boolean requiresKid() {
        return kind == Kind.DIR || kind == Kind.URL_DIR;
    }

    /**
     * The key for a token whose header has {@code kid} (null when it has none). Fails with
     * {@code MISSING_KEY_ID} or {@code INVALID_KEY_ID} for a directory without a usable kid, {@code KEY_NOT_FOUND}
     * when there is no such key, {@code INVALID_KEY} for an unusable one fetched by URL, {@code KEY_UNAVAILABLE}
     * when the key server fails.
     */
    public CompletableFuture<Key> resolve(String kid) {
        try {
            return switch (kind) {
                case FILE -> CompletableFuture.supplyAsync(() -> load(path), executor);
                case DIR -> {
                    String name = requireKid(kid) + ".jwk";
                    yield CompletableFuture.supplyAsync(() -> load(path.resolve(name)), executor);
                }
                case URL -> http.get(uri);
                case URL_DIR -> http.get(uri.resolve(requireKid(kid) + ".jwk"));
            };
        } catch (TokenException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Reads the token's {@code kid}, resolves the key and verifies the token with it. */
    public CompletableFuture<Claims> verify(String token) {
        return CompletableFuture.supplyAsync(() -> verifier.keyId(token).orElse(null), executor)
                .thenCompose(this::resolve)
                .thenApplyAsync(key -> verifier.verify(key, token), executor);
    }

    @Override
    public void close() {
        if (ownedClient != null) ownedClient.close();
        if (ownedExecutor != null) ownedExecutor.close();
    }

    private static String requireKid(String kid) {
        if (kid == null) throw new TokenException(TokenException.Reason.MISSING_KEY_ID, "missing key ID in token");
        return KeyIds.validate(kid);
    }

    private static Key load(Path file) {
        if (!Files.exists(file)) throw new TokenException(TokenException.Reason.KEY_NOT_FOUND, "key not found: " + file);
        try {
            return Key.read(file);
        } catch (TokenException e) {
            throw new TokenException(TokenException.Reason.KEY_NOT_FOUND, "key not found: " + e.getMessage());
        }
    }

    private static boolean isUrl(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    private static URI parseUri(String s) {
        try {
            URI u = new URI(s);
            if (u.getHost() == null) throw new IllegalArgumentException("key URL has no host: " + s);
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid key URL: " + s, e);
        }
    }

    private static URI withPath(URI u, String rawPath) {
        String s = u.getScheme() + "://" + u.getRawAuthority() + rawPath + (u.getRawQuery() != null ? "?" + u.getRawQuery() : "");
        return URI.create(s);
    }

    /** Options for a {@link KeyResolver}; exactly one of {@link #key} and {@link #keyDir}. */
    public static final class Builder extends HttpSourceBuilder<Builder> {
        private String key;
        private String keyDir;
        private int maxCachedKeys = 1024;
        private int maxKeyBytes = 64 * 1024;

        private Builder() {
        }

        /** A single key file or URL ({@code --auth-key}). */
        public Builder key(String fileOrUrl) {
            this.key = Objects.requireNonNull(fileOrUrl, "fileOrUrl");
            return this;
        }

        /** A directory or base URL of {@code {kid}.jwk} files ({@code --auth-key-dir}). */
        public Builder keyDir(String dirOrUrl) {
            this.keyDir = Objects.requireNonNull(dirOrUrl, "dirOrUrl");
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        /** Most keys kept by the HTTP cache (least recently used go first); default 1024. */
        public Builder maxCachedKeys(int maxCachedKeys) {
            if (maxCachedKeys <= 0) throw new IllegalArgumentException("maxCachedKeys: " + maxCachedKeys + " (expected: > 0)");
            this.maxCachedKeys = maxCachedKeys;
            return this;
        }

        public KeyResolver build() {
            if ((key == null) == (keyDir == null)) {
                throw new IllegalArgumentException(key == null ? "no key source: set key or keyDir" : "cannot specify both --auth-key and --auth-key-dir");
            }
            return new KeyResolver(this);
        }
    }
}
