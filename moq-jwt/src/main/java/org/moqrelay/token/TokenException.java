package org.moqrelay.token;

import java.util.Objects;

/**
 * A token, key or authorization failure. The message is safe to log: it never contains a token, a
 * signature or key material.
 *
 * <p>{@link #reason()} lets a caller map the failure without parsing the message; the relay answers
 * {@link Reason#KEY_UNAVAILABLE} and {@link Reason#AUTH_API_UNAVAILABLE} with 502 and everything else
 * with 401 (moq {@code rs/moq-relay/src/auth.rs}; its 500 for a URL it cannot build has no case here:
 * our request URLs are a valid base plus a form-encoded query).
 */
public final class TokenException extends RuntimeException {
    /** What went wrong, coarsely. */
    public enum Reason {
        /** Not a compact JWS: wrong number of parts, bad base64url, header or payload not a JSON object. */
        MALFORMED_TOKEN,
        /** Longer than the verifier's limit; rejected before any parsing. */
        TOKEN_TOO_LARGE,
        /** The header names {@code none} or an algorithm this library does not implement. */
        UNSUPPORTED_ALGORITHM,
        /** The header's algorithm differs from the key's. */
        ALGORITHM_MISMATCH,
        /** The header carries {@code crit} parameters, none of which this library understands. */
        UNSUPPORTED_HEADER,
        /** The signature does not verify. */
        BAD_SIGNATURE,
        /** The payload is not valid claims (wrong types, fractional timestamps, ...). */
        INVALID_CLAIMS,
        /** {@code exp} has passed. */
        EXPIRED,
        /** The claims grant neither publish nor subscribe. */
        USELESS_TOKEN,
        /** The claims grant more than the key's scope allows. */
        SCOPE_EXCEEDED,
        /** The connection path and the token root do not overlap. */
        ROOT_MISMATCH,
        /** The path overlaps the root but every grant falls outside it. */
        NO_ACCESS,
        /** No token was presented and no public prefix covers the path. */
        EXPECTED_TOKEN,
        /** The JWK is malformed or inconsistent (alg vs kty, curve, lengths, short secret, ...). */
        INVALID_KEY,
        /** The key's scope permits nothing. */
        USELESS_SCOPE,
        /** The key's {@code key_ops} do not include the operation asked for. */
        OPERATION_NOT_PERMITTED,
        /** Signing needs private material that the key does not carry. */
        MISSING_PRIVATE_KEY,
        /** A symmetric key has no public half. */
        NO_PUBLIC_KEY,
        /** A key ID outside {@code [A-Za-z0-9_-]{1,128}}. */
        INVALID_KEY_ID,
        /** A key directory needs a {@code kid} header and the token has none. */
        MISSING_KEY_ID,
        /** No key for the token: missing file, HTTP 404, unreadable key. */
        KEY_NOT_FOUND,
        /** The key server failed (network, timeout, non-404 error status). */
        KEY_UNAVAILABLE,
        /**
         * The auth API ({@link AuthApi}) failed: network, timeout, a status other than 2xx, or an answer that
         * is not the expected JSON (an unusable {@code key} included).
         */
        AUTH_API_UNAVAILABLE,
        /** Reading or writing a key file failed. */
        IO
    }

    private final Reason reason;

    public TokenException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public TokenException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The kind of failure. */
    public Reason reason() {
        return reason;
    }
}
