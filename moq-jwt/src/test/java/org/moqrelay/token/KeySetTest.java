package org.moqrelay.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.moqrelay.token.Tokens.assertRefused;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeySetTest {
    // Written by the reference's KeySet::to_str() (moq js/token/src/interop.test.ts).
    private static final String RUST_JWKS = "{\"keys\":[{\"alg\":\"HS256\",\"key_ops\":[\"sign\",\"verify\"],\"kty\":\"oct\","
            + "\"k\":\"jvS2B_SKkvhtObaiKg9n2vq_Iqdus-nVCVVYBWf0BQA\",\"kid\":\"d55b1f13e6bda281\"},{\"alg\":\"HS256\","
            + "\"key_ops\":[\"verify\",\"sign\"],\"kty\":\"oct\",\"k\":\"Fp8kipWUJeUFqeSqWym_tRC_tyI8z-QpqopIGrbrD68\",\"kid\":\"second-key\"}]}";

    private final Claims claims = Claims.of("demo", List.of("alice"), List.of("bob"));

    @Test
    void theKidPicksTheKey() {
        KeySet set = KeySet.fromJson(RUST_JWKS);
        assertThat(set.keys()).hasSize(2);
        assertThat(set.verify(TokenVerifier.standard(), ReferenceVectorsTest.RUST_HS256_TOKEN)).isEqualTo(claims);
        assertThat(set.find("second-key")).isPresent();
        assertThat(set.find("third")).isEmpty();
        assertRefused(TokenException.Reason.KEY_NOT_FOUND,
                () -> set.verify(TokenVerifier.standard(), TokenSigner.sign(Key.generate(Algorithm.HS256, "third"), claims)));
        Key unnamed = Key.generate(Algorithm.HS256, null);
        assertRefused(TokenException.Reason.MISSING_KEY_ID, () -> set.verify(TokenVerifier.standard(), TokenSigner.sign(unnamed, claims)));
        // One key needs no kid.
        assertThat(new KeySet(List.of(unnamed)).verify(TokenVerifier.standard(), TokenSigner.sign(unnamed, claims))).isEqualTo(claims);
    }

    @Test
    void signingSkipsKeysWithoutPrivateMaterial() {
        Key old = Tokens.key(Algorithm.ES256).toPublic().withOperations(EnumSet.of(KeyOperation.SIGN, KeyOperation.VERIFY));
        Key active = Key.generate(Algorithm.ES256, "active");
        KeySet set = new KeySet(List.of(old, active));
        assertThat(TokenVerifier.standard().keyId(set.sign(claims))).contains("active");
        assertThat(KeySet.fromJson(set.toJson()).toJson()).isEqualTo(set.toJson());
        assertThat(set.toPublic().keys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
        assertRefused(TokenException.Reason.KEY_NOT_FOUND, () -> new KeySet(List.of(old)).sign(claims));
    }

    @Test
    void malformedSetsAreRefused() {
        assertRefused(TokenException.Reason.INVALID_KEY, () -> KeySet.fromJson("invalid json"));
        assertRefused(TokenException.Reason.INVALID_KEY, () -> KeySet.fromJson("{\"keys\":[1]}"));
        assertRefused(TokenException.Reason.INVALID_KEY, () -> KeySet.fromJson("{\"keys\":[{\"alg\":\"HS256\",\"k\":\"AA\"}]}"));
        assertThat(KeySet.fromJson("{\"keys\":[]}").keys()).isEmpty();
    }
}
