package org.moqrelay.token;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The relay's unified auth API ({@code --auth-api}, relay.md section 5.7; moq {@code rs/moq-relay/src/auth.rs}
 * {@code verify_via_api}, {@code resolve_mtls}): one {@code GET <url>?root=<path>&kid=<kid>&mtls=true&transport=<name>}
 * per connection tells the relay the connection's canonical root ({@code alias}), its anonymous access
 * ({@code public}), the key for the token's {@code kid} ({@code key}) and its stats tier ({@code tier}), all
 * optional. {@code kid} is sent only with a token, {@code mtls=true} only for a verified client certificate,
 * {@code transport} only when known; the base URL is used as it is, its own query kept.
 *
 * <p>It fails closed: without an answer there is no key, so an unreachable API, a status other than 2xx or an
 * answer that is not the expected JSON fail with {@link TokenException.Reason#AUTH_API_UNAVAILABLE} (the relay's
 * 502). Answers are cached per URL as their {@code Cache-Control}, {@code Expires}, {@code ETag} and
 * {@code Last-Modified} allow, which softens short outages.
 *
 * <p>Nothing here blocks the caller: requests, parsing and verification run on the executor (virtual threads
 * unless one is given). Thread-safe; {@link #close()} releases what it created.
 */
public final class AuthApi implements AutoCloseable {
    /** Answers kept by the cache (least recently used go first). */
    private static final int MAX_CACHED_ANSWERS = 4096;
    /** Largest answer body read; a bigger one is an error. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    /**
     * What a connection may do.
     *
     * @param permissions the grants, rooted at the API's alias (or the connection path when it gave none)
     * @param tier        the stats tier the API chose ({@code ""} = the default tier), or null when it chose none
     */
    public record Access(Permissions permissions, String tier) {
    }

    /**
     * Where a client-certificate peer lands.
     *
     * @param root the API's alias for the connection path, or the path itself when it gave none
     * @param tier the stats tier the API chose, or null when it chose none
     */
    public record PeerRoot(String root, String tier) {
    }

    private final URI base;
    private final TokenVerifier verifier;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final HttpClient ownedClient;
    private final HttpCache<AuthApiResponse> http;

    private AuthApi(Builder b) {
        this.base = b.base;
        this.verifier = b.verifier;
        this.ownedExecutor = b.executor == null ? Executors.newVirtualThreadPerTaskExecutor() : null;
        this.executor = b.executor != null ? b.executor : ownedExecutor;
        this.ownedClient = b.httpClient == null
                ? HttpClient.newBuilder().connectTimeout(b.timeout).followRedirects(HttpClient.Redirect.NORMAL).executor(executor).build()
                : null;
        this.http = new HttpCache<>(b.httpClient != null ? b.httpClient : ownedClient, executor, b.timeout, b.clock,
                MAX_CACHED_ANSWERS, MAX_ANSWER_BYTES, READER);
    }

    /** An API at {@code url} ({@code http://} or {@code https://}); {@link IllegalArgumentException} when it is not one. */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /**
     * Decides a connection at {@code path} (the URL path, after any subdomain routing) with the compact JWT
     * {@code token}, or anonymously when it is null. With a token, the API's {@code key} must verify it and its
     * root must overlap {@code path}; without one, the API's {@code public} prefixes (relative to {@code path})
     * are the grants. Either way the permissions are rooted at the API's {@code alias}, which must have as many
     * segments as {@code path}. Fails with the {@link TokenException} of the first check that fails:
     * {@code MALFORMED_TOKEN} before any request, {@code AUTH_API_UNAVAILABLE}, {@code KEY_NOT_FOUND} (no key
     * for the token), the verifier's reasons, {@code EXPECTED_TOKEN} (no token and nothing public),
     * {@code ROOT_MISMATCH}, {@code NO_ACCESS}.
     *
     * @param transport {@code quic}, {@code websocket}, {@code tcp}..., or null to send none
     */
    public CompletableFuture<Access> verify(String path, String token, String transport) {
        Objects.requireNonNull(path, "path");
        return CompletableFuture.supplyAsync(() -> token == null ? null : verifier.keyId(token).orElse(null), executor)
                .thenCompose(kid -> request(path, kid, false, transport))
                .thenApplyAsync(answer -> access(path, token, answer), executor);
    }

    /**
     * The canonical root and tier of a peer whose client certificate the TLS handshake verified: the request
     * carries {@code mtls=true} and no {@code kid}. Fails with {@code AUTH_API_UNAVAILABLE} like {@link #verify}.
     */
    public CompletableFuture<PeerRoot> resolvePeer(String path, String transport) {
        Objects.requireNonNull(path, "path");
        return request(path, null, true, transport)
                .thenApply(answer -> new PeerRoot(answer.alias() != null ? answer.alias() : path, answer.tier()));
    }

    @Override
    public void close() {
        if (ownedClient != null) ownedClient.close();
        if (ownedExecutor != null) ownedExecutor.close();
    }

    private Access access(String path, String token, AuthApiResponse answer) {
        String alias = answer.alias() != null ? answer.alias() : path;
        Claims claims;
        if (token != null) {
            if (answer.key() == null) {
                throw new TokenException(TokenException.Reason.KEY_NOT_FOUND, "the auth API has no key for the token");
            }
            claims = verifier.verify(answer.key(), token);
        } else {
            if (answer.publicSubscribe().isEmpty() && answer.publicPublish().isEmpty()) {
                throw new TokenException(TokenException.Reason.EXPECTED_TOKEN, "a token was expected");
            }
            // Anchored at the connection path, so the public prefixes stay relative to it.
            claims = Claims.of(path, answer.publicPublish(), answer.publicSubscribe());
        }
        return new Access(Authorization.authorize(path, alias, claims), answer.tier());
    }

    private CompletableFuture<AuthApiResponse> request(String path, String kid, boolean mtls, String transport) {
        return http.get(requestUri(base, path, kid, mtls, transport));
    }

    /** {@code base} with {@code root}, {@code kid}, {@code mtls} and {@code transport} appended to its query, form-encoded. */
    static URI requestUri(URI base, String path, String kid, boolean mtls, String transport) {
        StringBuilder q = new StringBuilder();
        if (base.getRawQuery() != null && !base.getRawQuery().isEmpty()) q.append(base.getRawQuery()).append('&');
        // Only the slashes at the ends go: the API sees the path as the client wrote it.
        q.append("root=").append(encode(trimSlashes(path)));
        if (kid != null) q.append("&kid=").append(encode(kid));
        if (mtls) q.append("&mtls=true");
        if (transport != null) q.append("&transport=").append(encode(transport));
        // A valid base plus a form-encoded query is always a valid URI.
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + base.getRawPath() + "?" + q);
    }

    private static String trimSlashes(String path) {
        int from = 0;
        int to = path.length();
        while (from < to && path.charAt(from) == '/') from++;
        while (to > from && path.charAt(to - 1) == '/') to--;
        return path.substring(from, to);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Fails closed: every failure is the API's (the relay's 502). */
    private static final HttpCache.Reader<AuthApiResponse> READER = new HttpCache.Reader<>() {
        @Override
        public AuthApiResponse parse(URI uri, String body) {
            return AuthApiResponse.parse(body);
        }

        @Override
        public TokenException failed(URI uri, int status) {
            return unavailable("auth API answered HTTP " + status + " for " + withoutQuery(uri));
        }

        @Override
        public TokenException unreachable(URI uri, String detail) {
            return unavailable("auth API request to " + withoutQuery(uri) + " failed: " + detail);
        }

        @Override
        public TokenException tooLarge(URI uri, int maxBytes) {
            return unavailable("auth API answer from " + withoutQuery(uri) + " is larger than " + maxBytes + " bytes");
        }
    };

    private static TokenException unavailable(String message) {
        return new TokenException(TokenException.Reason.AUTH_API_UNAVAILABLE, message);
    }

    /** The URL for messages: the query names the connection's path and key, which logs need not repeat. */
    private static String withoutQuery(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
    }

    /** Options for an {@link AuthApi}. */
    public static final class Builder extends HttpSourceBuilder<Builder> {
        private final URI base;

        private Builder(String url) {
            Objects.requireNonNull(url, "url");
            URI u;
            try {
                u = new URI(url);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("invalid auth API URL '" + url + "': " + e.getMessage());
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((!scheme.equals("http") && !scheme.equals("https")) || u.getHost() == null) {
                throw new IllegalArgumentException("invalid auth API URL '" + url + "' (expected http://HOST/... or https://HOST/...)");
            }
            this.base = u;
        }

        @Override
        Builder self() {
            return this;
        }

        public AuthApi build() {
            return new AuthApi(this);
        }
    }
}
