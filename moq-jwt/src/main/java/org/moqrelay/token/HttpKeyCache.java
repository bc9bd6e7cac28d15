package org.moqrelay.token;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Fetches JWKs over HTTP(S) with a small private cache that honours {@code Cache-Control}, {@code Expires},
 * {@code ETag} and {@code Last-Modified}, like the reference's http-cache middleware. Concurrent lookups of
 * one URL share a request. Only successful responses are cached; a 404 evicts.
 */
final class HttpKeyCache {
    private static final Duration MAX_HEURISTIC = Duration.ofDays(1);

    private record Cached(Key key, String etag, String lastModified, Instant freshUntil) {
    }

    private final HttpClient client;
    private final Executor executor;
    private final Duration timeout;
    private final Clock clock;
    private final int maxBodyBytes;
    private final Map<URI, Cached> entries;
    private final ConcurrentHashMap<URI, CompletableFuture<Key>> inflight = new ConcurrentHashMap<>();

    HttpKeyCache(HttpClient client, Executor executor, Duration timeout, Clock clock, int maxEntries, int maxBodyBytes) {
        this.client = client;
        this.executor = executor;
        this.timeout = timeout;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<URI, Cached> eldest) {
                return size() > maxEntries;
            }
        };
    }

    CompletableFuture<Key> get(URI uri) {
        Cached cached;
        synchronized (entries) {
            cached = entries.get(uri);
        }
        if (cached != null && clock.instant().isBefore(cached.freshUntil())) return CompletableFuture.completedFuture(cached.key());

        CompletableFuture<Key> mine = new CompletableFuture<>();
        CompletableFuture<Key> running = inflight.putIfAbsent(uri, mine);
        if (running != null) return running.copy();
        fetch(uri, cached).whenComplete((key, error) -> {
            inflight.remove(uri, mine);
            if (error != null) {
                mine.completeExceptionally(unwrap(error));
            } else {
                mine.complete(key);
            }
        });
        return mine.copy();
    }

    private CompletableFuture<Key> fetch(URI uri, Cached stale) {
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (stale != null && stale.etag() != null) req.header("If-None-Match", stale.etag());
        if (stale != null && stale.lastModified() != null) req.header("If-Modified-Since", stale.lastModified());
        Instant sent = clock.instant();
        try {
            return client.sendAsync(req.build(), HttpResponse.BodyHandlers.ofInputStream())
                    .handleAsync((resp, error) -> {
                        if (error != null) {
                            throw new TokenException(TokenException.Reason.KEY_UNAVAILABLE,
                                    "key request to " + uri + " failed: " + describe(unwrap(error)));
                        }
                        return handle(uri, stale, sent, resp);
                    }, executor);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new TokenException(TokenException.Reason.KEY_UNAVAILABLE,
                    "key request to " + uri + " failed: " + describe(e)));
        }
    }

    private Key handle(URI uri, Cached stale, Instant sent, HttpResponse<InputStream> resp) {
        int status = resp.statusCode();
        byte[] body;
        try (InputStream in = resp.body()) {
            body = (status >= 200 && status < 300) ? in.readNBytes(maxBodyBytes + 1) : new byte[0];
        } catch (IOException e) {
            throw new TokenException(TokenException.Reason.KEY_UNAVAILABLE, "reading the key from " + uri + " failed: " + describe(e));
        }
        if (status == 304 && stale != null) {
            store(uri, new Cached(stale.key(), header(resp, "ETag", stale.etag()), header(resp, "Last-Modified", stale.lastModified()),
                    freshUntil(resp, sent)));
            return stale.key();
        }
        if (status == 404) {
            synchronized (entries) {
                entries.remove(uri);
            }
            throw new TokenException(TokenException.Reason.KEY_NOT_FOUND, "key not found at " + uri + " (HTTP 404)");
        }
        if (status < 200 || status >= 300) {
            throw new TokenException(TokenException.Reason.KEY_UNAVAILABLE, "key server answered HTTP " + status + " for " + uri);
        }
        if (body.length > maxBodyBytes) {
            throw new TokenException(TokenException.Reason.INVALID_KEY, "key from " + uri + " is larger than " + maxBodyBytes + " bytes");
        }
        Key key;
        try {
            key = Key.parse(new String(body, StandardCharsets.UTF_8));
        } catch (TokenException e) {
            throw new TokenException(TokenException.Reason.INVALID_KEY, "key from " + uri + " is unusable: " + e.getMessage());
        }
        Instant fresh = freshUntil(resp, sent);
        String etag = resp.headers().firstValue("ETag").orElse(null);
        String lastModified = resp.headers().firstValue("Last-Modified").orElse(null);
        synchronized (entries) {
            if (fresh == null || (!fresh.isAfter(sent) && etag == null && lastModified == null)) {
                entries.remove(uri);
            } else {
                entries.put(uri, new Cached(key, etag, lastModified, fresh));
            }
        }
        return key;
    }

    private void store(URI uri, Cached entry) {
        synchronized (entries) {
            if (entry.freshUntil() == null) {
                entries.remove(uri);
            } else {
                entries.put(uri, entry);
            }
        }
    }

    /** When the response stops being fresh; null when it must not be stored at all. */
    private Instant freshUntil(HttpResponse<?> resp, Instant sent) {
        Map<String, String> cc = cacheControl(resp.headers().allValues("Cache-Control"));
        if (cc.containsKey("no-store") || cc.containsKey("private")) return null;
        long age = seconds(resp.headers().firstValue("Age").orElse(null), 0);
        if (cc.containsKey("no-cache")) return sent;
        String maxAge = cc.containsKey("s-maxage") ? cc.get("s-maxage") : cc.get("max-age");
        if (maxAge != null) return sent.plusSeconds(Math.max(0, seconds(maxAge, 0) - age));

        Instant date = date(resp.headers().firstValue("Date")).orElse(sent);
        Optional<String> expires = resp.headers().firstValue("Expires");
        if (expires.isPresent()) {
            Instant at = date(expires).orElse(Instant.EPOCH);
            Duration lifetime = Duration.between(date, at);
            return lifetime.isNegative() ? sent : sent.plus(lifetime).minusSeconds(age);
        }
        Optional<Instant> lastModified = date(resp.headers().firstValue("Last-Modified"));
        if (lastModified.isPresent() && lastModified.get().isBefore(date)) {
            Duration heuristic = Duration.between(lastModified.get(), date).dividedBy(10);
            if (heuristic.compareTo(MAX_HEURISTIC) > 0) heuristic = MAX_HEURISTIC;
            return sent.plus(heuristic).minusSeconds(age);
        }
        return sent;
    }

    private static Map<String, String> cacheControl(java.util.List<String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String value : values) {
            for (String part : value.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) continue;
                int eq = p.indexOf('=');
                String name = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                String arg = eq < 0 ? "" : p.substring(eq + 1).trim().replace("\"", "");
                out.putIfAbsent(name, arg);
            }
        }
        return out;
    }

    private static long seconds(String s, long fallback) {
        if (s == null) return fallback;
        try {
            return Math.max(0, Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static Optional<Instant> date(Optional<String> header) {
        if (header.isEmpty()) return Optional.empty();
        try {
            return Optional.of(ZonedDateTime.parse(header.get().trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String header(HttpResponse<?> resp, String name, String fallback) {
        return resp.headers().firstValue(name).orElse(fallback);
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
        return t;
    }

    private static String describe(Throwable t) {
        return t.getMessage() != null ? t.getClass().getSimpleName() + ": " + t.getMessage() : t.getClass().getSimpleName();
    }
}
