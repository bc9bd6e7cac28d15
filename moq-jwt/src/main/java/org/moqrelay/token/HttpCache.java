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
 * GETs small documents (JWKs, auth API answers) over HTTP(S) with a private cache that honours
 * {@code Cache-Control}, {@code Expires}, {@code ETag} and {@code Last-Modified}, like the reference's
 * http-cache middleware. Concurrent lookups of one URL share a request. Only successful responses are
 * cached; a 404 evicts. What a body means, and how each failure is reported, is the {@link Reader}'s.
 *
 * @param <T> the parsed document
 */
final class HttpCache<T> {
    private static final Duration MAX_HEURISTIC = Duration.ofDays(1);

    /** Turns a response into a value, and names the failures of a lookup. */
    interface Reader<T> {
        /** The value of a 2xx response's body; throws {@link TokenException} when it is unusable. */
        T parse(URI uri, String body);

        /** The failure for a response with a status other than 2xx (or 304 revalidating a cached value). */
        TokenException failed(URI uri, int status);

        /** The failure for a request that got no (complete) response: connection, timeout, reading. */
        TokenException unreachable(URI uri, String detail);

        /** The failure for a 2xx body longer than the limit. */
        TokenException tooLarge(URI uri, int maxBytes);
    }

    private record Cached<T>(T value, String etag, String lastModified, Instant freshUntil) {
    }

    private final HttpClient client;
    private final Executor executor;
    private final Duration timeout;
    private final Clock clock;
    private final int maxBodyBytes;
    private final Reader<T> reader;
    private final Map<URI, Cached<T>> entries;
    private final ConcurrentHashMap<URI, CompletableFuture<T>> inflight = new ConcurrentHashMap<>();

    HttpCache(HttpClient client, Executor executor, Duration timeout, Clock clock, int maxEntries, int maxBodyBytes,
              Reader<T> reader) {
        this.client = client;
        this.reader = reader;
        this.executor = executor;
        this.timeout = timeout;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<URI, Cached<T>> eldest) {
                return size() > maxEntries;
            }
        };
    }

    CompletableFuture<T> get(URI uri) {
        Cached<T> cached;
        synchronized (entries) {
            cached = entries.get(uri);
        }
        if (cached != null && clock.instant().isBefore(cached.freshUntil())) return CompletableFuture.completedFuture(cached.value());

        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<T> running = inflight.putIfAbsent(uri, mine);
        if (running != null) return running.copy();
        fetch(uri, cached).whenComplete((value, error) -> {
            inflight.remove(uri, mine);
            if (error != null) {
                mine.completeExceptionally(unwrap(error));
            } else {
                mine.complete(value);
            }
        });
        return mine.copy();
    }

    private CompletableFuture<T> fetch(URI uri, Cached<T> stale) {
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (stale != null && stale.etag() != null) req.header("If-None-Match", stale.etag());
        if (stale != null && stale.lastModified() != null) req.header("If-Modified-Since", stale.lastModified());
        Instant sent = clock.instant();
        try {
            return client.sendAsync(req.build(), HttpResponse.BodyHandlers.ofInputStream())
                    .handleAsync((resp, error) -> {
                        if (error != null) throw reader.unreachable(uri, describe(unwrap(error)));
                        return handle(uri, stale, sent, resp);
                    }, executor);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(reader.unreachable(uri, describe(e)));
        }
    }

    private T handle(URI uri, Cached<T> stale, Instant sent, HttpResponse<InputStream> resp) {
        int status = resp.statusCode();
        byte[] body;
        try (InputStream in = resp.body()) {
            body = (status >= 200 && status < 300) ? in.readNBytes(maxBodyBytes + 1) : new byte[0];
        } catch (IOException e) {
            throw reader.unreachable(uri, "reading the response failed: " + describe(e));
        }
        if (status == 304 && stale != null) {
            store(uri, new Cached<>(stale.value(), header(resp, "ETag", stale.etag()), header(resp, "Last-Modified", stale.lastModified()),
                    freshUntil(resp, sent)));
            return stale.value();
        }
        if (status == 404) {
            synchronized (entries) {
                entries.remove(uri);
            }
        }
        if (status < 200 || status >= 300) throw reader.failed(uri, status);
        if (body.length > maxBodyBytes) throw reader.tooLarge(uri, maxBodyBytes);
        T value = reader.parse(uri, new String(body, StandardCharsets.UTF_8));
        Instant fresh = freshUntil(resp, sent);
        String etag = resp.headers().firstValue("ETag").orElse(null);
        String lastModified = resp.headers().firstValue("Last-Modified").orElse(null);
        synchronized (entries) {
            if (fresh == null || (!fresh.isAfter(sent) && etag == null && lastModified == null)) {
                entries.remove(uri);
            } else {
                entries.put(uri, new Cached<>(value, etag, lastModified, fresh));
            }
        }
        return value;
    }

    private void store(URI uri, Cached<T> entry) {
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
