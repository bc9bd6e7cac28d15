package org.moqrelay.token;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The options {@link AuthApi.Builder} and {@link KeyResolver.Builder} share: how keys or answers are fetched
 * over HTTP and how tokens are then verified. Each setter returns the concrete builder, so chains keep going.
 *
 * @param <B> the concrete builder
 */
abstract class HttpSourceBuilder<B extends HttpSourceBuilder<B>> {
    Executor executor;
    HttpClient httpClient;
    Duration timeout = Duration.ofSeconds(10);
    Clock clock = Clock.systemUTC();
    TokenVerifier verifier = TokenVerifier.standard();

    abstract B self();

    /** Where lookups, fetch handling and token verification run; default: a virtual thread per task. */
    public B executor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
        return self();
    }

    /** The HTTP client for fetches (e.g. one with a client certificate); not closed by what is built. */
    public B httpClient(HttpClient httpClient) {
        this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
        return self();
    }

    /** Connect and request timeout for fetches; default 10 s, as the reference. */
    public B timeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        this.timeout = timeout;
        return self();
    }

    /** The clock HTTP cache freshness is measured with. */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** How tokens are checked once their key is found. */
    public B verifier(TokenVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        return self();
    }
}
