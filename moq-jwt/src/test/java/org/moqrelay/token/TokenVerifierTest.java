package org.moqrelay.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.moqrelay.token.Tokens.assertRefused;
import static org.moqrelay.token.Tokens.b64;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.moqrelay.token.TokenException.Reason;

class TokenVerifierTest {
    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);
    private final TokenVerifier verifier = TokenVerifier.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    private final Key hs = Tokens.key(Algorithm.HS256);
    private final Claims claims = Claims.of("demo", List.of("alice"), List.of("bob"));
    private final String token = TokenSigner.sign(hs, claims);

    @Test
    void anUnsignedTokenIsRefused() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String payload = Tokens.part(token, 1);
        assertRefused(Reason.UNSUPPORTED_ALGORITHM, () -> verifier.verify(hs, header + "." + payload + "."))
                .hasMessage("unsigned tokens (alg none) are not accepted");
        assertRefused(Reason.UNSUPPORTED_ALGORITHM, () -> verifier.verify(hs, b64("{\"alg\":\"NoNe\"}") + "." + payload + "."));
        // Even with the right signature appended, `none` never reaches signature checking.
        assertRefused(Reason.UNSUPPORTED_ALGORITHM, () -> verifier.verify(hs, header + "." + payload + "." + Tokens.part(token, 2)));
    }

    @Test
    void anHmacTokenKeyedWithAnRsaPublicKeyIsRefused() throws Exception {
        Key rsa = Tokens.key(Algorithm.RS256).toPublic();
        KeyMaterial.Rsa material = (KeyMaterial.Rsa) rsa.jwk().material();
        String payload = b64(claims.toJson());
        // The classic confusion: HS256 "signed" with bytes an attacker can see (the public JWK, the modulus).
        for (byte[] secret : List.of(rsa.toJson().getBytes(StandardCharsets.UTF_8), material.n(), rsa.encode().getBytes(StandardCharsets.US_ASCII))) {
            String input = b64("{\"typ\":\"JWT\",\"alg\":\"HS256\"}") + "." + payload;
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String forged = input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
            assertRefused(Reason.ALGORITHM_MISMATCH, () -> verifier.verify(rsa, forged))
                    .hasMessage("token algorithm HS256 does not match the key algorithm RS256");
        }
        // And a JWK cannot pair RSA material with an HMAC algorithm in the first place.
        String hostile = rsa.toJson().replace("\"alg\":\"RS256\"", "\"alg\":\"HS256\"");
        assertRefused(Reason.INVALID_KEY, () -> Key.parse(hostile)).hasMessageContaining("HS256 cannot be used with an RSA key");
    }

    @Test
    void aTokenWithTheWrongAlgorithmIsRefusedEvenForTheSameSecret() throws Exception {
        Key hs384 = Key.of(new Jwk(Algorithm.HS384, hs.operations(), hs.jwk().material(), null, null));
        assertRefused(Reason.ALGORITHM_MISMATCH, () -> verifier.verify(hs384, token));
        assertRefused(Reason.UNSUPPORTED_ALGORITHM, () -> verifier.verify(hs, Tokens.withPart(token, 0, b64("{\"alg\":\"ES512\"}"))))
                .hasMessage("unsupported token algorithm ES512");
    }

    @Test
    void tamperingIsRefused() {
        String otherPayload = b64(claims.withPut("").toJson());
        assertRefused(Reason.BAD_SIGNATURE, () -> verifier.verify(hs, Tokens.withPart(token, 1, otherPayload)))
                .hasMessage("invalid token signature");
        String otherHeader = b64("{\"typ\":\"JWT\",\"alg\":\"HS256\",\"kid\":\"other\"}");
        assertRefused(Reason.BAD_SIGNATURE, () -> verifier.verify(hs, Tokens.withPart(token, 0, otherHeader)));
        String sig = Tokens.part(token, 2);
        String flipped = (sig.charAt(0) == 'A' ? "B" : "A") + sig.substring(1);
        assertRefused(Reason.BAD_SIGNATURE, () -> verifier.verify(hs, Tokens.withPart(token, 2, flipped)));
        assertRefused(Reason.BAD_SIGNATURE, () -> verifier.verify(hs, Tokens.withPart(token, 2, "")));
        assertRefused(Reason.BAD_SIGNATURE, () -> verifier.verify(hs, Tokens.withPart(token, 2, sig.substring(0, 20))));
    }

    @Test
    void badBase64IsRefused() {
        String sig = Tokens.part(token, 2);
        assertRefused(Reason.MALFORMED_TOKEN, () -> verifier.verify(hs, Tokens.withPart(token, 2, sig + "=")))
                .hasMessage("token signature is not valid base64url");
        assertRefused(Reason.MALFORMED_TOKEN, () -> verifier.verify(hs, Tokens.withPart(token, 1, Tokens.part(token, 1) + "!")));
        assertRefused(Reason.MALFORMED_TOKEN, () -> verifier.verify(hs, Tokens.withPart(token, 0, "e+J0eXAi")));
        assertRefused(Reason.MALFORMED_TOKEN, () -> verifier.verify(hs, Tokens.withPart(token, 1, "A")));
        // The last character of a 43-char HS256 signature carries 2 unused bits; setting them is a second spelling.
        char last = sig.charAt(sig.length() - 1);
        String alias = sig.substring(0, sig.length() - 1) + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                .charAt("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".indexOf(last) ^ 1);
        assertRefused(Reason.MALFORMED_TOKEN, () -> verifier.verify(hs, Tokens.withPart(token, 2, alias)));
    }

    @Test
    void structureIsChecked() {
        assertRefused(Reason.MALFORMED_TOKEN, () -> verifier.verify(hs, "not-a-jwt"));
        assertRefused(Reason.MALFORMED_TOKEN, () -> verifier.verify(hs, ""));
        assertRefused(Reason.MALFORMED_TOKEN, () -> verifier.verify(hs, token + ".x"));
        assertRefused(Reason.MALFORMED_TOKEN, () -> verifier.verify(hs, Tokens.withPart(token, 0, b64("[1]"))))
                .hasMessage("token header is not a JSON object");
        assertRefused(Reason.MALFORMED_TOKEN, () -> verifier.verify(hs, Tokens.withPart(token, 0, b64("{\"typ\":\"JWT\"}"))));
        assertRefused(Reason.MALFORMED_TOKEN, () -> verifier.verify(hs, Tokens.withPart(token, 0, b64("{\"alg\":\"HS256\",\"kid\":7}"))));
        assertRefused(Reason.UNSUPPORTED_HEADER,
                () -> verifier.verify(hs, Tokens.withPart(token, 0, b64("{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}"))));
    }

    @Test
    void anOversizedTokenIsRefusedBeforeParsing() {
        String big = signed(claims.withGet(List.of("x".repeat(TokenVerifier.DEFAULT_MAX_TOKEN_LENGTH))));
        assertRefused(Reason.TOKEN_TOO_LARGE, () -> verifier.verify(hs, big)).hasMessage("token is longer than 8192 characters");
        assertRefused(Reason.TOKEN_TOO_LARGE, () -> verifier.verify(hs, "a".repeat(10_000)));
        String fits = signed(claims.withGet(List.of("x".repeat(5000))));
        assertThat(fits.length()).isLessThan(TokenVerifier.DEFAULT_MAX_TOKEN_LENGTH);
        assertThat(verifier.verify(hs, fits).get()).hasSize(1);
        TokenVerifier tight = TokenVerifier.builder().maxTokenLength(100).build();
        assertRefused(Reason.TOKEN_TOO_LARGE, () -> tight.verify(hs, token));
    }

    @Test
    void anExpiredTokenIsRefusedWithoutLeeway() {
        assertRefused(Reason.EXPIRED, () -> verifier.verify(hs, signed(claims.withExp(NOW.minusSeconds(1)))))
                .hasMessage("token has expired");
        assertThat(verifier.verify(hs, signed(claims.withExp(NOW))).exp()).isEqualTo(NOW);
        assertThat(verifier.verify(hs, signed(claims.withExp(NOW.plusSeconds(1)))).exp()).isEqualTo(NOW.plusSeconds(1));
        // iat is informational, even in the future.
        assertThat(verifier.verify(hs, signed(claims.withIat(NOW.plusSeconds(86_400)))).iat()).isNotNull();
    }

    @Test
    void aUselessTokenIsRefused() {
        assertRefused(Reason.USELESS_TOKEN, () -> verifier.verify(hs, signed(Claims.of("demo", List.of(), List.of()))))
                .hasMessage("no publish or subscribe allowed; token is useless");
        assertRefused(Reason.USELESS_TOKEN, () -> verifier.verify(hs, rawSigned("{\"root\":\"demo\",\"put\":[],\"get\":[]}")));
        assertRefused(Reason.USELESS_TOKEN, () -> TokenSigner.sign(hs, Claims.empty()));
    }

    @Test
    void legacyClaimNamesAreReadOnlyWhenAskedFor() {
        String old = rawSigned("{\"root\":\"demo\",\"pub\":\"alice\",\"sub\":\"\",\"cluster\":true}");
        assertRefused(Reason.USELESS_TOKEN, () -> verifier.verify(hs, old));
        TokenVerifier legacy = TokenVerifier.builder().legacyClaimNames(true).build();
        Claims c = legacy.verify(hs, old);
        assertThat(c.put()).containsExactly("alice");
        assertThat(c.get()).containsExactly("");
        assertThat(c.cluster()).isTrue();
        // put/get win over pub/sub when both are present.
        Claims both = legacy.verify(hs, rawSigned("{\"put\":[\"a\"],\"pub\":\"b\"}"));
        assertThat(both.put()).containsExactly("a");
    }

    @Test
    void invalidClaimTypesAreRefused() {
        for (String payload : List.of("{\"put\":\"a\",\"exp\":1.9e9}", "{\"put\":\"a\",\"exp\":\"soon\"}", "{\"root\":5,\"put\":\"a\"}",
                "{\"root\":null,\"put\":\"a\"}", "{\"put\":7}", "{\"put\":[\"a\",1]}", "[]", "{\"put\":\"a\",\"put\":\"b\"}")) {
            assertRefused(Reason.INVALID_CLAIMS, () -> verifier.verify(hs, rawSigned(payload)));
        }
        // Unknown members and null times are fine.
        Claims c = verifier.verify(hs, rawSigned("{\"put\":\"a\",\"exp\":null,\"aud\":\"x\",\"nbf\":99999999999}"));
        assertThat(c.put()).containsExactly("a");
        assertThat(c.exp()).isNull();
    }

    @Test
    void aScopedKeyRefusesToSignOrVerifyBeyondItsScope() {
        Key scoped = hs.withScope(new Scope("demo", List.of("alice"), List.of()));
        assertThat(verifier.verify(scoped, signed(Claims.of("demo/alice", List.of("cam"), List.of()))).root()).isEqualTo("demo/alice");
        String wider = signed(Claims.of("demo", List.of("alice"), List.of("bob")));
        assertRefused(Reason.SCOPE_EXCEEDED, () -> verifier.verify(scoped, wider));
        assertRefused(Reason.SCOPE_EXCEEDED, () -> TokenSigner.sign(scoped, Claims.of("demo", List.of("alicexyz"), List.of())));
        assertRefused(Reason.SCOPE_EXCEEDED, () -> TokenSigner.sign(scoped, Claims.of("", List.of(""), List.of())));
        assertThat(TokenSigner.sign(scoped, Claims.of("", List.of("demo/alice/x"), List.of()))).isNotEmpty();
    }

    @Test
    void aKeyWithoutVerifyMayNotVerify() {
        Key signOnly = hs.withOperations(EnumSet.of(KeyOperation.SIGN));
        assertRefused(Reason.OPERATION_NOT_PERMITTED, () -> verifier.verify(signOnly, token)).hasMessage("key does not support verification");
        Key verifyOnly = hs.withOperations(EnumSet.of(KeyOperation.VERIFY));
        assertRefused(Reason.OPERATION_NOT_PERMITTED, () -> TokenSigner.sign(verifyOnly, claims)).hasMessage("key does not support signing");
    }

    @Test
    void messagesNeverContainTheTokenOrTheKey() {
        String secret = Tokens.b64(((KeyMaterial.Oct) hs.jwk().material()).secret());
        List<String> bad = List.of(token + "x", Tokens.withPart(token, 1, b64("{\"put\":7}")), "x." + token, token.replace('.', ','));
        for (String t : bad) {
            try {
                verifier.verify(hs, t);
            } catch (TokenException e) {
                assertThat(e.getMessage()).doesNotContain(Tokens.part(token, 1), Tokens.part(token, 2), secret);
            }
        }
        assertThat(hs.toString()).doesNotContain(secret);
        assertThat(hs.jwk().toString()).doesNotContain(secret);
    }

    private String signed(Claims c) {
        return TokenSigner.sign(hs, c);
    }

    /** A token over an arbitrary payload, correctly signed with {@link #hs}. */
    private String rawSigned(String payload) {
        String input = b64("{\"typ\":\"JWT\",\"alg\":\"HS256\"}") + "." + b64(payload);
        return input + "." + b64(hs.sign(input.getBytes(StandardCharsets.US_ASCII)));
    }
}
