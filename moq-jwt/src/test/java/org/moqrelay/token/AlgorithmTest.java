package org.moqrelay.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.moqrelay.token.Tokens.assertRefused;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AlgorithmTest {
    private static final Claims CLAIMS = Claims.of("demo", List.of("alice"), List.of(""))
            .withExp(Instant.now().plusSeconds(3600)).withIat(Instant.ofEpochSecond(1_700_000_000L));
    private final TokenVerifier verifier = TokenVerifier.standard();

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void everyAlgorithmSignsAndVerifies(Algorithm alg) {
        Key key = Tokens.key(alg);
        String token = TokenSigner.sign(key, CLAIMS);

        assertThat(Tokens.decode(Tokens.part(token, 0))).isEqualTo("{\"typ\":\"JWT\",\"alg\":\"" + alg + "\",\"kid\":\"test-" + alg + "\"}");
        assertThat(verifier.verify(key, token)).isEqualTo(withWholeSeconds(CLAIMS));
        assertThat(verifier.keyId(token)).contains("test-" + alg);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void theKeySurvivesItsFileFormat(Algorithm alg) {
        Key key = Tokens.key(alg);
        Key reloaded = Key.parse(key.encode());
        assertThat(reloaded.toJson()).isEqualTo(key.toJson());
        assertThat(verifier.verify(reloaded, TokenSigner.sign(key, CLAIMS)).root()).isEqualTo("demo");
        assertThat(Key.parse(key.toJson()).toJson()).isEqualTo(key.toJson());
    }

    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"HS256", "HS384", "HS512"}, mode = EnumSource.Mode.EXCLUDE)
    void thePublicHalfVerifiesButCannotSign(Algorithm alg) {
        Key key = Tokens.key(alg);
        Key pub = Key.parse(key.toPublic().encode());
        assertThat(pub.isPrivate()).isFalse();
        assertThat(pub.operations()).containsExactly(KeyOperation.VERIFY);
        assertThat(pub.kid()).isEqualTo(key.kid());
        assertThat(verifier.verify(pub, TokenSigner.sign(key, CLAIMS)).put()).containsExactly("alice");

        assertRefused(TokenException.Reason.OPERATION_NOT_PERMITTED, () -> TokenSigner.sign(pub, CLAIMS));
        Key pubThatMaySign = pub.withOperations(java.util.EnumSet.allOf(KeyOperation.class));
        assertRefused(TokenException.Reason.MISSING_PRIVATE_KEY, () -> TokenSigner.sign(pubThatMaySign, CLAIMS));
    }

    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"HS256", "HS384", "HS512"})
    void aSymmetricKeyHasNoPublicHalf(Algorithm alg) {
        assertRefused(TokenException.Reason.NO_PUBLIC_KEY, () -> Tokens.key(alg).toPublic())
                .hasMessage("OCT key cannot be converted to public key");
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void generatedMaterialHasTheReferenceSizes(Algorithm alg) {
        KeyMaterial m = Tokens.key(alg).jwk().material();
        switch (m) {
            case KeyMaterial.Oct oct -> assertThat(oct.secret()).hasSize(alg.hashBits() / 8);
            case KeyMaterial.Rsa rsa -> {
                assertThat(rsa.n()).hasSize(256);
                assertThat(rsa.e()).containsExactly(1, 0, 1);
            }
            case KeyMaterial.Ec ec -> assertThat(ec.d()).hasSize(ec.curve().size());
            case KeyMaterial.Okp okp -> assertThat(okp.d()).hasSize(32);
        }
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aTokenOfEveryOtherAlgorithmIsRefused(Algorithm alg) {
        String token = TokenSigner.sign(Tokens.key(alg), CLAIMS);
        for (Algorithm other : Algorithm.values()) {
            if (other == alg) continue;
            assertRefused(TokenException.Reason.ALGORITHM_MISMATCH, () -> verifier.verify(Tokens.key(other), token));
        }
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void anotherKeyOfTheSameAlgorithmIsRefused(Algorithm alg) {
        Key other = alg.family() == Algorithm.Family.RSA_PSS
                ? Tokens.key(Algorithm.valueOf("RS" + alg.name().substring(2))) // reuse an RSA modulus, new alg
                : null;
        Key stranger = other != null
                ? Key.of(new Jwk(alg, other.operations(), other.jwk().material(), null, null))
                : Key.generate(alg, null);
        String token = TokenSigner.sign(Tokens.key(alg), CLAIMS);
        assertRefused(TokenException.Reason.BAD_SIGNATURE, () -> verifier.verify(stranger, token));
    }

    private static Claims withWholeSeconds(Claims c) {
        return c.withExp(Instant.ofEpochSecond(c.exp().getEpochSecond()));
    }
}
