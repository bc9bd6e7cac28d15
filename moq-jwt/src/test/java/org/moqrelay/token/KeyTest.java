package org.moqrelay.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.moqrelay.token.Tokens.assertRefused;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moqrelay.token.TokenException.Reason;

class KeyTest {
    private static final String K32 = "Fp8kipWUJeUFqeSqWym_tRC_tyI8z-QpqopIGrbrD68";

    @TempDir
    Path dir;

    @Test
    void oldKeysWithoutKtyOrKeyOpsLoad() {
        Key old = Key.parse("{\"alg\":\"HS256\",\"key_ops\":[\"sign\",\"verify\"],\"k\":\"" + K32 + "\"}");
        assertThat(old.jwk().material()).isInstanceOf(KeyMaterial.Oct.class);
        Key noOps = Key.parse("{\"kty\":\"oct\",\"alg\":\"HS256\",\"k\":\"" + K32 + "\",\"kid\":\"no-ops\"}");
        assertThat(noOps.operations()).containsExactly(KeyOperation.SIGN, KeyOperation.VERIFY);
        assertThat(noOps.toJson()).contains("\"key_ops\":[\"sign\",\"verify\"]");
    }

    @Test
    void bothFileFormsLoad() {
        String json = "{\"kty\":\"oct\",\"alg\":\"HS256\",\"k\":\"" + K32 + "\"}";
        String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        String padded = Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        for (String text : List.of(json, "  " + json + "\n", b64, b64 + "\n", padded)) {
            assertThat(Key.parse(text).algorithm()).isEqualTo(Algorithm.HS256);
        }
        assertRefused(Reason.INVALID_KEY, () -> Key.parse("%%%"));
        assertRefused(Reason.INVALID_KEY, () -> Key.parse(""));
        assertRefused(Reason.INVALID_KEY, () -> Key.parse("{not json"));
    }

    @Test
    void paddedMembersLoadForOldKeys() {
        String padded = "{\"kty\":\"oct\",\"alg\":\"HS256\",\"k\":\"dGVzdC1zZWNyZXQtdGhhdC1pcy1sb25nLWVub3VnaC1mb3ItaG1hYy1zaGEyNTY=\"}";
        KeyMaterial.Oct m = (KeyMaterial.Oct) Key.parse(padded).jwk().material();
        assertThat(new String(m.secret(), StandardCharsets.US_ASCII)).isEqualTo("test-secret-that-is-long-enough-for-hmac-sha256");
        assertRefused(Reason.INVALID_KEY, () -> Key.parse("{\"kty\":\"oct\",\"alg\":\"HS256\",\"k\":\"a+b/\"}"));
    }

    @Test
    void inconsistentKeysAreRefused() {
        // Short secrets (the reference's minimum is 32 bytes for every HS algorithm).
        assertRefused(Reason.INVALID_KEY, () -> Key.parse("{\"kty\":\"oct\",\"alg\":\"HS256\",\"k\":\"AAAAAAAAAAAAAAAAAAAAAA\"}"))
                .hasMessage("invalid key: oct key secret must be at least 32 bytes");
        assertRefused(Reason.INVALID_KEY, () -> Key.parse("{\"kty\":\"oct\",\"alg\":\"HS256\",\"k\":\"\"}"));
        assertRefused(Reason.INVALID_KEY, () -> Key.parse("{\"kty\":\"oct\",\"alg\":\"HS256\"}"));
        assertThat(Key.parse("{\"kty\":\"oct\",\"alg\":\"HS512\",\"k\":\"" + K32 + "\"}").algorithm()).isEqualTo(Algorithm.HS512);
        // alg vs kty vs crv.
        assertRefused(Reason.INVALID_KEY, () -> Key.parse("{\"kty\":\"oct\",\"alg\":\"RS256\",\"k\":\"" + K32 + "\"}"));
        String es256 = Tokens.key(Algorithm.ES256).toPublic().toJson();
        assertRefused(Reason.INVALID_KEY, () -> Key.parse(es256.replace("ES256", "ES384")));
        assertRefused(Reason.INVALID_KEY, () -> Key.parse(es256.replace("ES256", "HS256")));
        assertRefused(Reason.INVALID_KEY, () -> Key.parse(es256.replace("P-256", "Ed25519")));
        assertRefused(Reason.INVALID_KEY, () -> Key.parse(es256.replace("P-256", "P-521")));
        String ed = Tokens.key(Algorithm.EdDSA).toPublic().toJson();
        assertRefused(Reason.INVALID_KEY, () -> Key.parse(ed.replace("\"EdDSA\"", "\"ES256\"")));
        assertRefused(Reason.INVALID_KEY, () -> Key.parse(ed.replace("Ed25519", "P-256")));
        assertRefused(Reason.INVALID_KEY, () -> Key.parse(ed.replace("\"kty\":\"OKP\"", "\"kty\":\"XYZ\"")));
        assertRefused(Reason.INVALID_KEY, () -> Key.parse(ed.replace("\"alg\":\"EdDSA\"", "\"alg\":\"none\"")));
    }

    @Test
    void ecPointsMustLieOnTheirCurve() {
        KeyMaterial.Ec ec = (KeyMaterial.Ec) Tokens.key(Algorithm.ES256).jwk().material();
        byte[] y = ec.y().clone();
        y[31] ^= 1;
        Jwk offCurve = Jwk.of(Algorithm.ES256, new KeyMaterial.Ec(EllipticCurve.P256, ec.x(), y, null));
        assertRefused(Reason.INVALID_KEY, () -> Key.of(offCurve)).hasMessageContaining("not on the P-256 curve");
        Jwk shortX = Jwk.of(Algorithm.ES256, new KeyMaterial.Ec(EllipticCurve.P256, java.util.Arrays.copyOf(ec.x(), 31), ec.y(), null));
        assertRefused(Reason.INVALID_KEY, () -> Key.of(shortX)).hasMessage("invalid key: invalid coordinate length for P-256");
    }

    @Test
    void rsaKeysAreSizedAndWhole() throws Exception {
        KeyMaterial.Rsa rsa = (KeyMaterial.Rsa) Tokens.key(Algorithm.RS256).jwk().material();
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        var small = (java.security.interfaces.RSAPublicKey) g.generateKeyPair().getPublic();
        Jwk weak = Jwk.of(Algorithm.RS256, KeyMaterial.Rsa.publicKey(small.getModulus().toByteArray(), small.getPublicExponent().toByteArray()));
        assertRefused(Reason.INVALID_KEY, () -> Key.of(weak)).hasMessage("invalid key: RSA modulus must have 2048 to 8192 bits");
        Jwk partial = Jwk.of(Algorithm.RS256, new KeyMaterial.Rsa(rsa.n(), rsa.e(), rsa.d(), null, null, null, null, null));
        assertRefused(Reason.INVALID_KEY, () -> Key.of(partial)).hasMessageContaining("all present or all absent");
    }

    @Test
    void aMismatchedPrivateHalfIsCaughtBeforeItSigns() {
        KeyMaterial.Okp a = (KeyMaterial.Okp) Tokens.key(Algorithm.EdDSA).jwk().material();
        KeyMaterial.Okp b = (KeyMaterial.Okp) Key.generate(Algorithm.EdDSA, null).jwk().material();
        Key mixed = Key.of(Jwk.of(Algorithm.EdDSA, new KeyMaterial.Okp(EllipticCurve.ED25519, a.x(), b.d())));
        assertRefused(Reason.INVALID_KEY, () -> TokenSigner.sign(mixed, Claims.of("", List.of("a"), List.of())))
                .hasMessage("invalid key: the private key does not match the public key");
    }

    @Test
    void keyIdsAreValidated() {
        for (String bad : List.of("../etc/passwd", "key with spaces", "key/slash", "key.dot", "", "x".repeat(129), "é")) {
            assertRefused(Reason.INVALID_KEY_ID, () -> KeyIds.validate(bad));
            assertThat(KeyIds.isValid(bad)).isFalse();
            assertRefused(Reason.INVALID_KEY_ID, () -> Key.generate(Algorithm.HS256, bad));
            String json = "{\"kty\":\"oct\",\"alg\":\"HS256\",\"k\":\"" + K32 + "\",\"kid\":" + quote(bad) + "}";
            assertRefused(Reason.INVALID_KEY_ID, () -> Key.parse(json));
        }
        for (String good : List.of("abc-123_DEF", "a", "x".repeat(128))) assertThat(KeyIds.validate(good)).isEqualTo(good);
        assertThat(KeyIds.random()).matches("[0-9a-f]{16}");
    }

    @Test
    void scopesMustPermitSomething() {
        assertRefused(Reason.USELESS_SCOPE, () -> Key.parse("{\"alg\":\"HS256\",\"k\":\"" + K32 + "\",\"scope\":{}}"))
                .hasMessage("no publish or subscribe allowed; key scope is useless");
        assertRefused(Reason.USELESS_SCOPE, () -> Tokens.key(Algorithm.HS256).withScope(new Scope("x", List.of(), List.of())));
        Key scoped = Tokens.key(Algorithm.HS256).withScope(new Scope("", List.of("a"), List.of()));
        assertThat(scoped.toJson()).endsWith(",\"kid\":\"test-HS256\",\"scope\":{\"put\":[\"a\"]}}");
        assertThat(Key.parse(scoped.encode()).scope()).contains(new Scope("", List.of("a"), List.of()));
        assertThat(Key.parse("{\"alg\":\"HS256\",\"k\":\"" + K32 + "\",\"scope\":null}").scope()).isEmpty();
    }

    @Test
    void privateKeyFilesAreOwnerOnly() throws Exception {
        Path priv = dir.resolve("private.jwk");
        Tokens.key(Algorithm.ES256).write(priv);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
        assertThat(Files.readString(priv)).doesNotContain("{", "\n").isEqualTo(Tokens.key(Algorithm.ES256).encode());

        Path existing = dir.resolve("existing.jwk");
        Files.writeString(existing, "stale stale stale stale stale stale stale stale stale stale stale");
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-rw-rw-"));
        Tokens.key(Algorithm.HS256).write(existing);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing))).isEqualTo("rw-------");
        assertThat(Files.readString(existing)).doesNotContain("stale");
        assertThat(Key.read(existing).toJson()).isEqualTo(Tokens.key(Algorithm.HS256).toJson());

        Path pub = dir.resolve("public.jwk");
        Tokens.key(Algorithm.ES256).toPublic().write(pub);
        assertThat(Files.getPosixFilePermissions(pub)).contains(java.nio.file.attribute.PosixFilePermission.OWNER_READ)
                .doesNotContain(java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
        assertRefused(Reason.IO, () -> Key.read(dir.resolve("missing.jwk")));
    }

    @Test
    void operationsAreParsedAndKept() {
        Key k = Key.parse("{\"alg\":\"HS256\",\"k\":\"" + K32 + "\",\"key_ops\":[\"verify\",\"decrypt\"]}");
        assertThat(k.operations()).containsExactly(KeyOperation.VERIFY, KeyOperation.DECRYPT);
        assertThat(Key.parse("{\"alg\":\"HS256\",\"k\":\"" + K32 + "\",\"key_ops\":[]}").operations()).isEmpty();
        assertRefused(Reason.INVALID_KEY, () -> Key.parse("{\"alg\":\"HS256\",\"k\":\"" + K32 + "\",\"key_ops\":[\"wrapKey\"]}"));
        assertThat(Tokens.key(Algorithm.HS256).withOperations(EnumSet.of(KeyOperation.VERIFY)).permits(KeyOperation.SIGN)).isFalse();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder();
        Json.quote(b, s);
        return b.toString();
    }
}
