package org.moqrelay.token;

/**
 * The JWS algorithms a key may use (moq {@code rs/moq-token/src/algorithm.rs}); the constant names are
 * the wire names. There is no ES512 and never {@code none}.
 */
public enum Algorithm {
    HS256(Family.HMAC, 256),
    HS384(Family.HMAC, 384),
    HS512(Family.HMAC, 512),
    ES256(Family.EC, 256),
    ES384(Family.EC, 384),
    RS256(Family.RSA, 256),
    RS384(Family.RSA, 384),
    RS512(Family.RSA, 512),
    PS256(Family.RSA_PSS, 256),
    PS384(Family.RSA_PSS, 384),
    PS512(Family.RSA_PSS, 512),
    EdDSA(Family.EDDSA, 512);

    /** The kind of key an algorithm works with. */
    enum Family { HMAC, EC, RSA, RSA_PSS, EDDSA }

    private final Family family;
    private final int hashBits;

    Algorithm(Family family, int hashBits) {
        this.family = family;
        this.hashBits = hashBits;
    }

    /** The algorithm with this exact (case-sensitive) name; {@link TokenException} otherwise. */
    public static Algorithm parse(String name) {
        for (Algorithm a : values()) {
            if (a.name().equals(name)) return a;
        }
        throw new TokenException(TokenException.Reason.UNSUPPORTED_ALGORITHM, "invalid algorithm: " + printable(name));
    }

    /** True for the symmetric HS* algorithms. */
    public boolean isSymmetric() {
        return family == Family.HMAC;
    }

    Family family() {
        return family;
    }

    /** Digest size in bits (SHA-512 for EdDSA, which hashes internally). */
    int hashBits() {
        return hashBits;
    }

    /** The name for an error message: short and printable, or a placeholder. */
    static String printable(String s) {
        if (s == null) return "(none)";
        if (s.length() > 16 || !s.chars().allMatch(c -> c > 0x20 && c < 0x7f)) return "(unprintable)";
        return s;
    }
}
