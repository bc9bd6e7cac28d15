package org.moqrelay.token;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Signs {@link Claims} into a compact JWT (moq {@code Key::sign}). */
public final class TokenSigner {
    private TokenSigner() {
    }

    /**
     * Signs {@code claims} with {@code key}. The header is {@code {"typ":"JWT","alg":...,"kid":...}} (kid only
     * when the key has one). Refuses a key that may not sign or lacks its private half, claims that grant
     * nothing, and claims outside the key's scope.
     */
    public static String sign(Key key, Claims claims) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(claims, "claims");
        if (!key.permits(KeyOperation.SIGN)) {
            throw new TokenException(TokenException.Reason.OPERATION_NOT_PERMITTED, "key does not support signing");
        }
        claims.validate();
        Scope scope = key.jwk().scope();
        if (scope != null && !scope.allows(claims)) {
            throw new TokenException(TokenException.Reason.SCOPE_EXCEEDED, "token capabilities exceed the key scope");
        }
        Json.Writer header = new Json.Writer().string("typ", "JWT").string("alg", key.algorithm().name());
        key.kid().ifPresent(kid -> header.string("kid", kid));
        String input = Base64Url.encode(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + Base64Url.encode(claims.toJson().getBytes(StandardCharsets.UTF_8));
        byte[] signature = key.sign(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + Base64Url.encode(signature);
    }
}
