package org.moqrelay.token;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A JSON Web Key as the reference reads and writes it (moq {@code rs/moq-token/src/key.rs} {@code Jwk}):
 * plain data, parsed but not yet checked for consistency. {@link Key#of(Jwk)} validates one into a usable key.
 *
 * <p>JSON members: {@code alg}, {@code key_ops} (default {@code ["sign","verify"]}), {@code kty} (default
 * {@code oct}, for keys written before it was emitted), the material, {@code kid}, {@code scope}. Unknown
 * members are ignored; binary members are base64url, unpadded or padded.
 *
 * @param algorithm  the only algorithm the key signs or verifies with
 * @param operations what the key may do; may be empty
 * @param material   the {@code kty} and its members
 * @param kid        key ID, or null
 * @param scope      the key's grant ceiling, or null for an unrestricted key
 */
public record Jwk(Algorithm algorithm, Set<KeyOperation> operations, KeyMaterial material, String kid, Scope scope) {
    public Jwk {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(material, "material");
        EnumSet<KeyOperation> ops = EnumSet.noneOf(KeyOperation.class);
        ops.addAll(Objects.requireNonNull(operations, "operations"));
        operations = Collections.unmodifiableSet(ops);
    }

    /** A JWK that may sign and verify, with no key ID and no scope. */
    public static Jwk of(Algorithm algorithm, KeyMaterial material) {
        return new Jwk(algorithm, EnumSet.of(KeyOperation.SIGN, KeyOperation.VERIFY), material, null, null);
    }

    /** Parses a JWK JSON object; {@link TokenException} ({@code INVALID_KEY} or {@code INVALID_KEY_ID}) otherwise. */
    public static Jwk fromJson(String json) {
        return JwkJson.parse(Objects.requireNonNull(json, "json"));
    }

    /** Compact JSON, members in the reference's order. Contains the private material when there is some. */
    public String toJson() {
        return JwkJson.write(this);
    }

    @Override
    public String toString() {
        return "Jwk[alg=" + algorithm + ", key_ops=" + operations + ", " + material + ", kid=" + kid + ", scope=" + scope + "]";
    }
}
