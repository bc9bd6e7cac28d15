package org.moqrelay.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keys and tokens made by the reference implementations (moq {@code js/token/src/interop.test.ts} and
 * {@code rs/moq-token/src/key.rs} tests): we load, verify and, for the deterministic algorithms, re-sign
 * them byte for byte.
 */
class ReferenceVectorsTest {
    // Rust CLI: moq-token generate --out rust-hs256.jwk
    static final String RUST_HS256_KEY = "{\"alg\":\"HS256\",\"key_ops\":[\"verify\",\"sign\"],\"kty\":\"oct\","
            + "\"k\":\"jvS2B_SKkvhtObaiKg9n2vq_Iqdus-nVCVVYBWf0BQA\",\"kid\":\"d55b1f13e6bda281\"}";
    // Rust CLI: moq-token sign --key rust-hs256.jwk --root demo --publish alice --subscribe bob
    static final String RUST_HS256_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiIsImtpZCI6ImQ1NWIxZjEzZTZiZGEyODEifQ."
            + "eyJyb290IjoiZGVtbyIsInB1dCI6WyJhbGljZSJdLCJnZXQiOlsiYm9iIl19.eyOkZtTtj_MDkLF4Eu11cygb7B_6DyP-6e0TtwVE4UE";
    // Same key, no --root: the claims carry no root member at all.
    static final String RUST_HS256_TOKEN_EMPTY_ROOT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiIsImtpZCI6ImQ1NWIxZjEzZTZiZGEyODEifQ."
            + "eyJwdXQiOlsiYWxpY2UiXSwiZ2V0IjpbImJvYiJdfQ.AFQ0rWFDFhOMumIItAaVjg5O6e-55D9f73aw-0s46ks";
    static final String RUST_EDDSA_PRIVATE_KEY = "{\"alg\":\"EdDSA\",\"key_ops\":[\"sign\",\"verify\"],\"kty\":\"OKP\",\"crv\":\"Ed25519\","
            + "\"x\":\"S9n3tEG677fSNpa0Ftf46OPBte5y1pTwvm4fPkEw_Z8\",\"d\":\"EhFsuE3CFkJoQpZCT2Wwr6YF7ZwjsaEIgbwO4Uc4b5U\",\"kid\":\"dfab9113ea85dc27\"}";
    static final String RUST_EDDSA_PUBLIC_KEY = "{\"alg\":\"EdDSA\",\"key_ops\":[\"verify\"],\"kty\":\"OKP\",\"crv\":\"Ed25519\","
            + "\"x\":\"S9n3tEG677fSNpa0Ftf46OPBte5y1pTwvm4fPkEw_Z8\",\"kid\":\"dfab9113ea85dc27\"}";
    // Rust CLI: sign --root room --publish stream1 --publish stream2 --subscribe feed1
    static final String RUST_EDDSA_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJFZERTQSIsImtpZCI6ImRmYWI5MTEzZWE4NWRjMjcifQ."
            + "eyJyb290Ijoicm9vbSIsInB1dCI6WyJzdHJlYW0xIiwic3RyZWFtMiJdLCJnZXQiOlsiZmVlZDEiXX0."
            + "jezhAgTHQHdYkc15CBZP8zPKKJ0z5oVRwON4wPHeQ6xvIhoM5IkCs_4YRCEoG74t99pdVTQrwAMNrlfKm2O6DA";
    // Rust CLI: generate --root project --publish live --subscribe watch
    static final String RUST_SCOPED_KEY = "{\"alg\":\"HS256\",\"key_ops\":[\"verify\",\"sign\"],\"kty\":\"oct\","
            + "\"k\":\"pLDMYsYrp6vZLQbefVzHXN6P4wc1ADTLn4L7xzi1Qm4\",\"kid\":\"e396f70014db9fe9\","
            + "\"scope\":{\"root\":\"project\",\"put\":[\"live\"],\"get\":[\"watch\"]}}";
    // Rust CLI: sign --key scoped.jwk --root project --publish live/room --subscribe watch
    static final String RUST_SCOPED_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiIsImtpZCI6ImUzOTZmNzAwMTRkYjlmZTkifQ."
            + "eyJyb290IjoicHJvamVjdCIsInB1dCI6WyJsaXZlL3Jvb20iXSwiZ2V0IjpbIndhdGNoIl19.24Mxox6iQeFniEppRb1gWOO7iOTIsYlQRAjnOq6A2vk";
    // @moq/token generate("HS256", "js-test-key"), with members from an older JS release that we ignore.
    static final String JS_HS256_KEY = "{\"kty\":\"oct\",\"alg\":\"HS256\",\"k\":\"xm6xsSkfFqzPU3KfcbAcF2_h0OkStxQ_nNqVPYl0ync\","
            + "\"kid\":\"js-test-key\",\"key_ops\":[\"sign\",\"verify\"],\"guest\":[],\"guest_sub\":[],\"guest_pub\":[]}";
    static final String JS_HS256_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImpzLXRlc3Qta2V5In0."
            + "eyJyb290IjoibGl2ZSIsInB1dCI6WyJjYW1lcmExIl0sImdldCI6WyJjYW1lcmExIiwiY2FtZXJhMiJdLCJpYXQiOjE3NzUxNzY3NTR9."
            + "tHNQtHh_HCIKxXOexDCM7AkjqWzbULLZzjEckfOGRfY";
    static final String JS_EDDSA_PUBLIC_KEY = "{\"kty\":\"OKP\",\"alg\":\"EdDSA\",\"crv\":\"Ed25519\",\"x\":\"UiU9fT_SdBBpkFtJPRCY0gX1jK_Dr9syYLFuEz4QUM4\","
            + "\"kid\":\"js-eddsa-key\",\"guest\":[],\"guest_sub\":[],\"guest_pub\":[],\"key_ops\":[\"verify\"]}";
    static final String JS_EDDSA_TOKEN = "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCIsImtpZCI6ImpzLWVkZHNhLWtleSJ9."
            + "eyJyb290Ijoic3RyZWFtIiwicHV0IjpbInZpZGVvIl0sImlhdCI6MTc3NTE3Njc1Nn0."
            + "l9rUMHjPSXWKSXRP3mmeMgTAywtqpdqQehhViWaPrKxax1Y2D9KRIYTixYz-b6PI-AoHQYusHWeeLu_HRw2cAg";

    private final TokenVerifier verifier = TokenVerifier.standard();

    @Test
    void rustHs256TokenVerifiesAndResignsByteForByte() {
        Key key = Key.parse(RUST_HS256_KEY);
        Claims claims = verifier.verify(key, RUST_HS256_TOKEN);
        assertThat(claims).isEqualTo(Claims.of("demo", List.of("alice"), List.of("bob")));
        assertThat(TokenSigner.sign(key, claims)).isEqualTo(RUST_HS256_TOKEN);
    }

    @Test
    void rustTokenWithoutRootHasTheEmptyRoot() {
        Key key = Key.parse(RUST_HS256_KEY);
        Claims claims = verifier.verify(key, RUST_HS256_TOKEN_EMPTY_ROOT);
        assertThat(claims.root()).isEmpty();
        assertThat(TokenSigner.sign(key, Claims.of("", List.of("alice"), List.of("bob")))).isEqualTo(RUST_HS256_TOKEN_EMPTY_ROOT);
        assertThat(Authorization.authorize("alice", claims).publish()).containsExactly("");
    }

    @Test
    void rustEddsaTokenVerifiesWithEitherHalfAndResignsByteForByte() {
        Key priv = Key.parse(RUST_EDDSA_PRIVATE_KEY);
        Key pub = Key.parse(RUST_EDDSA_PUBLIC_KEY);
        Claims expected = Claims.of("room", List.of("stream1", "stream2"), List.of("feed1"));
        assertThat(verifier.verify(pub, RUST_EDDSA_TOKEN)).isEqualTo(expected);
        assertThat(verifier.verify(priv, RUST_EDDSA_TOKEN)).isEqualTo(expected);
        assertThat(TokenSigner.sign(priv, expected)).isEqualTo(RUST_EDDSA_TOKEN);
        assertThat(priv.toPublic().toJson()).isEqualTo(pub.toJson());
    }

    @Test
    void rustScopedKeyKeepsItsScope() {
        Key key = Key.parse(RUST_SCOPED_KEY);
        assertThat(key.scope()).contains(new Scope("project", List.of("live"), List.of("watch")));
        Claims claims = verifier.verify(key, RUST_SCOPED_TOKEN);
        assertThat(TokenSigner.sign(key, claims)).isEqualTo(RUST_SCOPED_TOKEN);
        assertThatThrownBy(() -> TokenSigner.sign(key, Claims.of("project", List.of("other"), List.of())))
                .isInstanceOfSatisfying(TokenException.class, e -> assertThat(e.reason()).isEqualTo(TokenException.Reason.SCOPE_EXCEEDED))
                .hasMessage("token capabilities exceed the key scope");
    }

    @Test
    void jsKeysAndTokensVerify() {
        Claims hs = verifier.verify(Key.parse(JS_HS256_KEY), JS_HS256_TOKEN);
        assertThat(hs.root()).isEqualTo("live");
        assertThat(hs.put()).containsExactly("camera1");
        assertThat(hs.get()).containsExactly("camera1", "camera2");
        assertThat(hs.iat()).isNotNull();

        Claims ed = verifier.verify(Key.parse(JS_EDDSA_PUBLIC_KEY), JS_EDDSA_TOKEN);
        assertThat(ed.root()).isEqualTo("stream");
        assertThat(ed.put()).containsExactly("video");
    }

    @Test
    void aTokenIsRejectedByAnotherKey() {
        assertThatThrownBy(() -> verifier.verify(Key.generate(Algorithm.HS256, null), RUST_HS256_TOKEN))
                .isInstanceOfSatisfying(TokenException.class, e -> assertThat(e.reason()).isEqualTo(TokenException.Reason.BAD_SIGNATURE));
        assertThatThrownBy(() -> verifier.verify(Key.parse(RUST_HS256_KEY), RUST_EDDSA_TOKEN))
                .isInstanceOfSatisfying(TokenException.class, e -> assertThat(e.reason()).isEqualTo(TokenException.Reason.ALGORITHM_MISMATCH));
    }

    @Test
    void rustKeyFileFormatRoundTrips() {
        Key key = Key.parse(RUST_HS256_KEY);
        // The reference writes base64url(JSON) and orders members alg, key_ops, kty, material, kid.
        assertThat(key.toJson()).isEqualTo("{\"alg\":\"HS256\",\"key_ops\":[\"sign\",\"verify\"],\"kty\":\"oct\","
                + "\"k\":\"jvS2B_SKkvhtObaiKg9n2vq_Iqdus-nVCVVYBWf0BQA\",\"kid\":\"d55b1f13e6bda281\"}");
        assertThat(key.encode()).doesNotContain("{", "=");
        assertThat(Key.parse(key.encode()).toJson()).isEqualTo(key.toJson());
    }
}
