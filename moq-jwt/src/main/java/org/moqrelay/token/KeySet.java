package org.moqrelay.token;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A JWK Set (RFC 7517 section 5), {@code {"keys":[...]}} (moq {@code rs/moq-token/src/set.rs}): keys chosen
 * by the token's {@code kid}, or the only key when the token has none.
 *
 * @param keys the keys, in order
 */
public record KeySet(List<Key> keys) {
    public KeySet {
        keys = List.copyOf(keys);
    }

    /** Parses {@code {"keys":[...]}}; every key must be valid. */
    public static KeySet fromJson(String json) {
        Map<String, Object> obj = Json.parseObject(Objects.requireNonNull(json, "json"));
        if (obj == null || !(obj.get("keys") instanceof List<?> list)) {
            throw new TokenException(TokenException.Reason.INVALID_KEY, "invalid JWK set: expected an object with a `keys` array");
        }
        List<Key> keys = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m)) throw new TokenException(TokenException.Reason.INVALID_KEY, "invalid JWK set: a key is not an object");
            @SuppressWarnings("unchecked")
            Map<String, Object> jwk = (Map<String, Object>) m;
            try {
                keys.add(Key.of(JwkJson.parse(jwk)));
            } catch (IllegalArgumentException e) {
                throw new TokenException(TokenException.Reason.INVALID_KEY, "invalid JWK: " + e.getMessage());
            }
        }
        return new KeySet(keys);
    }

    /** {@code {"keys":[...]}}, each key as {@link Key#toJson()} writes it. */
    public String toJson() {
        StringBuilder out = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) out.append(',');
            out.append(keys.get(i).toJson());
        }
        return out.append("]}").toString();
    }

    /** The set's public halves; {@code NO_PUBLIC_KEY} if any key is symmetric. */
    public KeySet toPublic() {
        return new KeySet(keys.stream().map(Key::toPublic).toList());
    }

    /** The key with this {@code kid}. */
    public Optional<Key> find(String kid) {
        for (Key k : keys) {
            if (k.kid().filter(kid::equals).isPresent()) return Optional.of(k);
        }
        return Optional.empty();
    }

    /** The first key that may sign and holds private material. */
    public Optional<Key> signingKey() {
        return keys.stream().filter(k -> k.permits(KeyOperation.SIGN) && k.isPrivate()).findFirst();
    }

    /** Signs with {@link #signingKey()}. */
    public String sign(Claims claims) {
        Key key = signingKey().orElseThrow(() -> new TokenException(TokenException.Reason.KEY_NOT_FOUND, "cannot find signing key"));
        return TokenSigner.sign(key, claims);
    }

    /** Verifies with the key named by the token's {@code kid}, or the only key when it has none. */
    public Claims verify(TokenVerifier verifier, String token) {
        Optional<String> kid = verifier.keyId(token);
        Key key;
        if (kid.isPresent()) {
            key = find(kid.get()).orElseThrow(() -> new TokenException(TokenException.Reason.KEY_NOT_FOUND, "cannot find key with the token's kid"));
        } else if (keys.size() == 1) {
            key = keys.get(0);
        } else {
            throw new TokenException(TokenException.Reason.MISSING_KEY_ID, "missing kid in JWT header");
        }
        return verifier.verify(key, token);
    }
}
