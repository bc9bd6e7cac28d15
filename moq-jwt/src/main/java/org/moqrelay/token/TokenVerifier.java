package org.moqrelay.token;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a compact JWT against one key and returns its claims (moq {@code Key::verify}). Immutable and
 * thread-safe; {@link #standard()} suits most callers.
 *
 * <p>In order: the key may verify; the token is at most {@link #maxTokenLength()} characters and
 * well-formed; its {@code alg} equals the key's (so {@code none}, other algorithms and HMAC tokens made
 * with a public key fail); the signature verifies; the payload is valid claims; {@code exp}, if present,
 * has not passed (no leeway); something is granted; the key's scope covers every grant. Each failure is a
 * {@link TokenException} whose message names the check, never the token.
 *
 * <p>Pure CPU work (tens of microseconds at most) with no I/O, so it may run on an event loop; key
 * lookups that read files or fetch URLs go through {@link KeyResolver} instead.
 */
public final class TokenVerifier {
    /** Default {@link #maxTokenLength()}: 8 KiB, far above any real token (a few hundred bytes). */
    public static final int DEFAULT_MAX_TOKEN_LENGTH = 8192;

    private static final TokenVerifier STANDARD = builder().build();

    private final Clock clock;
    private final int maxTokenLength;
    private final boolean legacyClaimNames;

    private TokenVerifier(Builder b) {
        this.clock = b.clock;
        this.maxTokenLength = b.maxTokenLength;
        this.legacyClaimNames = b.legacyClaimNames;
    }

    /** System clock, 8 KiB limit, today's claim names only. */
    public static TokenVerifier standard() {
        return STANDARD;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxTokenLength() {
        return maxTokenLength;
    }

    /** Verifies {@code token} with {@code key}; see the class description for the checks. */
    public Claims verify(Key key, String token) {
        Objects.requireNonNull(key, "key");
        if (!key.permits(KeyOperation.VERIFY)) {
            throw new TokenException(TokenException.Reason.OPERATION_NOT_PERMITTED, "key does not support verification");
        }
        CompactJws jws = CompactJws.parse(token, maxTokenLength);
        if (jws.algorithm() != key.algorithm()) {
            throw new TokenException(TokenException.Reason.ALGORITHM_MISMATCH,
                    "token algorithm " + jws.algorithm() + " does not match the key algorithm " + key.algorithm());
        }
        if (!key.verify(jws.signingInput(), jws.signature())) {
            throw new TokenException(TokenException.Reason.BAD_SIGNATURE, "invalid token signature");
        }
        Claims claims = ClaimsJson.parse(jws.payloadText(), legacyClaimNames);
        if (claims.isExpired(clock.instant())) {
            throw new TokenException(TokenException.Reason.EXPIRED, "token has expired");
        }
        claims.validate();
        Scope scope = key.jwk().scope();
        if (scope != null && !scope.allows(claims)) {
            throw new TokenException(TokenException.Reason.SCOPE_EXCEEDED, "token capabilities exceed the key scope");
        }
        return claims;
    }

    /**
     * The {@code kid} in a token's header, without verifying anything but its form; used to pick a key.
     * Throws as {@link #verify} does for an oversized or malformed token.
     */
    public Optional<String> keyId(String token) {
        return Optional.ofNullable(CompactJws.parse(token, maxTokenLength).kid());
    }

    /** Options for a {@link TokenVerifier}. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private int maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH;
        private boolean legacyClaimNames;

        private Builder() {
        }

        /** The clock {@code exp} is compared with. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Longest accepted token in characters; longer ones are refused before parsing. */
        public Builder maxTokenLength(int maxTokenLength) {
            if (maxTokenLength <= 0) throw new IllegalArgumentException("maxTokenLength: " + maxTokenLength + " (expected: > 0)");
            this.maxTokenLength = maxTokenLength;
            return this;
        }

        /**
         * Also read the 2025 claims (relay.md section 5.3): {@code pub}/{@code sub} as single-prefix stand-ins
         * for an absent {@code put}/{@code get}, and {@code cluster}. Off by default, as in the reference relay,
         * which treats such tokens as useless; note that {@code sub} is also the standard JWT subject.
         */
        public Builder legacyClaimNames(boolean legacyClaimNames) {
            this.legacyClaimNames = legacyClaimNames;
            return this;
        }

        public TokenVerifier build() {
            return new TokenVerifier(this);
        }
    }
}
