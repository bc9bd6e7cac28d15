package org.moqrelay.token;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A validated JWK, ready to sign and verify (moq {@code rs/moq-token/src/key.rs} {@code Key}). Immutable
 * and thread-safe; derive variants with the {@code with*} methods or by editing {@link #jwk()} and
 * calling {@link #of(Jwk)} again.
 *
 * <p>Checked on construction: {@code alg} fits {@code kty} and {@code crv} (so an RSA or EC key can never be
 * used as an HMAC secret), {@code oct} secrets have at least 32 bytes, coordinates have their curve's
 * length and lie on it, RSA moduli have 2048 to 8192 bits, RSA private members come all or none, and a
 * scope permits something.
 *
 * <p>{@link #toString()} never prints key material.
 */
public final class Key {
    /** Shortest {@code oct} secret, as in the reference (and {@code js/token}). */
    public static final int MIN_SECRET_BYTES = 32;

    private static final byte[] PAIRWISE_PROBE = "moq-token pairwise check".getBytes(StandardCharsets.US_ASCII);

    private final Jwk jwk;
    private final java.security.Key verifyKey;
    private volatile java.security.Key signKey;

    private Key(Jwk jwk, java.security.Key verifyKey) {
        this.jwk = jwk;
        this.verifyKey = verifyKey;
    }

    /** Validates a JWK into a key; {@link TokenException} ({@code INVALID_KEY}, {@code USELESS_SCOPE}) otherwise. */
    public static Key of(Jwk jwk) {
        Objects.requireNonNull(jwk, "jwk");
        if (jwk.scope() != null) jwk.scope().validate();
        checkMaterial(jwk.algorithm(), jwk.material());
        try {
            return new Key(jwk, JwsCrypto.verifyKey(jwk.algorithm(), jwk.material()));
        } catch (GeneralSecurityException e) {
            throw invalid(e.getMessage() != null ? e.getMessage() : "unusable key material");
        }
    }

    /**
     * Parses a key from text: JWK JSON when it starts with {@code {}, else base64url-encoded JSON (the
     * form the CLI writes). Surrounding whitespace is ignored.
     */
    public static Key parse(String text) {
        String s = Objects.requireNonNull(text, "text").strip();
        if (s.isEmpty()) throw invalid("empty key");
        if (s.startsWith("{")) return of(Jwk.fromJson(s));
        byte[] decoded = Base64Url.decodeLenient(s);
        if (decoded == null) throw invalid("neither JSON nor base64url-encoded JSON");
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(decoded)).toString();
        } catch (CharacterCodingException e) {
            throw invalid("base64url content is not UTF-8");
        }
        return of(Jwk.fromJson(json));
    }

    /** Reads a key file (either form); {@code IO} when the file cannot be read. */
    public static Key read(Path file) {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new TokenException(TokenException.Reason.IO, "cannot read key file " + file + ": " + describe(e), e);
        }
        return parse(text);
    }

    /**
     * Generates a new key: 32/48/64 random bytes for HS256/384/512, RSA-2048 (e = 65537) for RS* and PS*,
     * P-256 / P-384 for ES256 / ES384, Ed25519 for EdDSA. It may sign and verify; {@code kid} may be null.
     */
    public static Key generate(Algorithm algorithm, String kid) {
        Objects.requireNonNull(algorithm, "algorithm");
        if (kid != null) KeyIds.validate(kid);
        KeyMaterial material = KeyGeneration.generate(algorithm);
        return of(new Jwk(algorithm, EnumSet.of(KeyOperation.SIGN, KeyOperation.VERIFY), material, kid, null));
    }

    /** The JWK behind this key. */
    public Jwk jwk() {
        return jwk;
    }

    public Algorithm algorithm() {
        return jwk.algorithm();
    }

    public Optional<String> kid() {
        return Optional.ofNullable(jwk.kid());
    }

    public Set<KeyOperation> operations() {
        return jwk.operations();
    }

    public Optional<Scope> scope() {
        return Optional.ofNullable(jwk.scope());
    }

    /** True when {@code key_ops} contains {@code op}. */
    public boolean permits(KeyOperation op) {
        return jwk.operations().contains(op);
    }

    /**
     * True when the key holds secret material ({@code oct}, or an asymmetric key with its private half):
     * what signing needs, and what must not be readable by other users on disk.
     */
    public boolean isPrivate() {
        return jwk.material().isPrivate();
    }

    /**
     * The verify-only public half, with the same {@code kid} and scope. {@code NO_PUBLIC_KEY} for
     * {@code oct} keys; {@code OPERATION_NOT_PERMITTED} when this key may not verify.
     */
    public Key toPublic() {
        if (!permits(KeyOperation.VERIFY)) {
            throw new TokenException(TokenException.Reason.OPERATION_NOT_PERMITTED, "key does not support verification");
        }
        KeyMaterial pub = switch (jwk.material()) {
            case KeyMaterial.Oct oct -> throw new TokenException(TokenException.Reason.NO_PUBLIC_KEY,
                    "OCT key cannot be converted to public key");
            case KeyMaterial.Ec ec -> new KeyMaterial.Ec(ec.curve(), ec.x(), ec.y(), null);
            case KeyMaterial.Rsa rsa -> KeyMaterial.Rsa.publicKey(rsa.n(), rsa.e());
            case KeyMaterial.Okp okp -> new KeyMaterial.Okp(okp.curve(), okp.x(), null);
        };
        return new Key(new Jwk(jwk.algorithm(), EnumSet.of(KeyOperation.VERIFY), pub, jwk.kid(), jwk.scope()), verifyKey);
    }

    /** This key with a scope; the scope must permit something ({@code USELESS_SCOPE}). */
    public Key withScope(Scope scope) {
        Objects.requireNonNull(scope, "scope").validate();
        return new Key(new Jwk(jwk.algorithm(), jwk.operations(), jwk.material(), jwk.kid(), scope), verifyKey);
    }

    /** This key restricted (or widened) to {@code operations}. */
    public Key withOperations(Set<KeyOperation> operations) {
        return new Key(new Jwk(jwk.algorithm(), operations, jwk.material(), jwk.kid(), jwk.scope()), verifyKey);
    }

    /** Compact JWK JSON, including private material when present. */
    public String toJson() {
        return jwk.toJson();
    }

    /** base64url of the JWK JSON, unpadded: the reference's key file and CLI output format. */
    public String encode() {
        return Base64Url.encode(toJson().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@link #encode()} to {@code file}. A private key's file gets mode 0600 before the secret is
     * written, also when it replaces a more permissive file; a public key keeps the default mode.
     */
    public void write(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            KeyFiles.write(file, encode(), isPrivate());
        } catch (IOException e) {
            throw new TokenException(TokenException.Reason.IO, "cannot write key file " + file + ": " + describe(e), e);
        }
    }

    byte[] sign(byte[] input) {
        java.security.Key key = signKey;
        if (key == null) {
            key = createSignKey();
            signKey = key;
        }
        try {
            return JwsCrypto.sign(jwk.algorithm(), key, input);
        } catch (GeneralSecurityException e) {
            throw invalid("signing failed");
        }
    }

    boolean verify(byte[] input, byte[] signature) {
        try {
            return JwsCrypto.verify(jwk.algorithm(), verifyKey, input, signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private java.security.Key createSignKey() {
        if (!isPrivate()) throw new TokenException(TokenException.Reason.MISSING_PRIVATE_KEY, "missing private key");
        java.security.Key key;
        try {
            key = JwsCrypto.signKey(jwk.algorithm(), jwk.material());
            // A private half that does not match the public one would sign tokens nobody can verify.
            if (!jwk.algorithm().isSymmetric()
                    && !JwsCrypto.verify(jwk.algorithm(), verifyKey, PAIRWISE_PROBE, JwsCrypto.sign(jwk.algorithm(), key, PAIRWISE_PROBE))) {
                throw invalid("the private key does not match the public key");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof TokenException te) throw te;
            throw invalid("unusable private key");
        }
        return key;
    }

    private static void checkMaterial(Algorithm alg, KeyMaterial material) {
        switch (material) {
            case KeyMaterial.Oct oct -> {
                requireFamily(alg, "oct", Algorithm.Family.HMAC);
                if (oct.secret().length < MIN_SECRET_BYTES) throw invalid("oct key secret must be at least " + MIN_SECRET_BYTES + " bytes");
            }
            case KeyMaterial.Ec ec -> {
                requireFamily(alg, "EC", Algorithm.Family.EC);
                EllipticCurve expected = alg == Algorithm.ES256 ? EllipticCurve.P256 : EllipticCurve.P384;
                if (ec.curve() == EllipticCurve.ED25519) throw invalid("invalid curve for EC key");
                if (ec.curve() != expected) throw invalid("invalid algorithm for " + ec.curve().wireName() + " curve");
                int size = ec.curve().size();
                if (ec.x().length != size || ec.y().length != size) throw invalid("invalid coordinate length for " + ec.curve().wireName());
                if (ec.d() != null && (ec.d().length == 0 || ec.d().length > size)) throw invalid("invalid private scalar length for " + ec.curve().wireName());
            }
            case KeyMaterial.Rsa rsa -> {
                if (alg.family() != Algorithm.Family.RSA && alg.family() != Algorithm.Family.RSA_PSS) {
                    throw invalid("algorithm " + alg + " cannot be used with an RSA key");
                }
                int bits = new BigInteger(1, rsa.n()).bitLength();
                if (bits < 2048 || bits > 8192) throw invalid("RSA modulus must have 2048 to 8192 bits");
                int present = count(rsa.d(), rsa.p(), rsa.q(), rsa.dp(), rsa.dq(), rsa.qi());
                if (present != 0 && present != 6) throw invalid("RSA private members d, p, q, dp, dq, qi must be all present or all absent");
            }
            case KeyMaterial.Okp okp -> {
                requireFamily(alg, "OKP", Algorithm.Family.EDDSA);
                if (okp.curve() != EllipticCurve.ED25519) throw invalid("invalid curve for OKP key");
                if (okp.x().length != 32 || (okp.d() != null && okp.d().length != 32)) throw invalid("invalid key length for Ed25519");
            }
        }
    }

    private static void requireFamily(Algorithm alg, String kty, Algorithm.Family family) {
        if (alg.family() != family) throw invalid("algorithm " + alg + " cannot be used with an " + kty + " key");
    }

    private static int count(byte[]... members) {
        int n = 0;
        for (byte[] m : members) {
            if (m != null) n++;
        }
        return n;
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getClass().getSimpleName() + ": " + e.getMessage() : e.getClass().getSimpleName();
    }

    private static TokenException invalid(String detail) {
        return new TokenException(TokenException.Reason.INVALID_KEY, "invalid key: " + detail);
    }

    @Override
    public String toString() {
        return "Key[alg=" + jwk.algorithm() + ", kty=" + jwk.material().kty() + ", key_ops=" + jwk.operations()
                + ", kid=" + jwk.kid() + ", scope=" + jwk.scope() + ", private=" + isPrivate() + "]";
    }
}
