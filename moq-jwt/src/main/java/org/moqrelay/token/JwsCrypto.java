package org.moqrelay.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns {@link KeyMaterial} into JDK keys and computes or checks JWS signatures (RFC 7518 section 3,
 * RFC 8037 section 3.1). ECDSA and RSA go through Nimbus; HMAC and Ed25519 use the JDK directly, since
 * Nimbus needs Tink for Ed25519 and refuses HS384/HS512 with the 32-byte secrets the reference accepts.
 */
final class JwsCrypto {
    private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] ED25519_PKCS8 = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private JwsCrypto() {
    }

    /** The key that verifies: the shared secret or the public half. Checks EC points are on their curve. */
    static java.security.Key verifyKey(Algorithm alg, KeyMaterial material) throws GeneralSecurityException {
        try {
            return switch (material) {
                case KeyMaterial.Oct oct -> new SecretKeySpec(oct.secret(), macName(alg));
                case KeyMaterial.Ec ec -> ecJwk(ec, false).toECPublicKey();
                case KeyMaterial.Rsa rsa -> KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(new BigInteger(1, rsa.n()), new BigInteger(1, rsa.e())));
                case KeyMaterial.Okp okp -> KeyFactory.getInstance("Ed25519")
                        .generatePublic(new X509EncodedKeySpec(concat(ED25519_SPKI, okp.x())));
            };
        } catch (JOSEException e) {
            throw new GeneralSecurityException("unusable key", e);
        }
    }

    /** The key that signs; the material must be private. */
    static java.security.Key signKey(Algorithm alg, KeyMaterial material) throws GeneralSecurityException {
        try {
            return switch (material) {
                case KeyMaterial.Oct oct -> new SecretKeySpec(oct.secret(), macName(alg));
                case KeyMaterial.Ec ec -> ecJwk(ec, true).toECPrivateKey();
                case KeyMaterial.Rsa rsa -> KeyFactory.getInstance("RSA").generatePrivate(new RSAPrivateCrtKeySpec(
                        new BigInteger(1, rsa.n()), new BigInteger(1, rsa.e()), new BigInteger(1, rsa.d()),
                        new BigInteger(1, rsa.p()), new BigInteger(1, rsa.q()), new BigInteger(1, rsa.dp()),
                        new BigInteger(1, rsa.dq()), new BigInteger(1, rsa.qi())));
                case KeyMaterial.Okp okp -> KeyFactory.getInstance("Ed25519")
                        .generatePrivate(new PKCS8EncodedKeySpec(concat(ED25519_PKCS8, okp.d())));
            };
        } catch (JOSEException e) {
            throw new GeneralSecurityException("unusable key", e);
        }
    }

    static byte[] sign(Algorithm alg, java.security.Key key, byte[] input) throws GeneralSecurityException {
        try {
            return switch (alg.family()) {
                case HMAC -> mac(alg, key, input);
                case EC -> new ECDSASigner((ECPrivateKey) key).sign(header(alg), input).decode();
                case RSA, RSA_PSS -> new RSASSASigner((PrivateKey) key).sign(header(alg), input).decode();
                case EDDSA -> {
                    Signature s = Signature.getInstance("Ed25519");
                    s.initSign((PrivateKey) key);
                    s.update(input);
                    yield s.sign();
                }
            };
        } catch (JOSEException e) {
            throw new GeneralSecurityException("signing failed", e);
        }
    }

    static boolean verify(Algorithm alg, java.security.Key key, byte[] input, byte[] signature) throws GeneralSecurityException {
        try {
            return switch (alg.family()) {
                case HMAC -> MessageDigest.isEqual(mac(alg, key, input), signature);
                case EC -> new ECDSAVerifier((ECPublicKey) key).verify(header(alg), input, Base64URL.encode(signature));
                case RSA, RSA_PSS -> new RSASSAVerifier((RSAPublicKey) key).verify(header(alg), input, Base64URL.encode(signature));
                case EDDSA -> {
                    if (signature.length != 64) yield false;
                    Signature s = Signature.getInstance("Ed25519");
                    s.initVerify((PublicKey) key);
                    s.update(input);
                    yield s.verify(signature);
                }
            };
        } catch (JOSEException e) {
            throw new GeneralSecurityException("verification failed", e);
        }
    }

    private static byte[] mac(Algorithm alg, java.security.Key key, byte[] input) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(macName(alg));
        mac.init(key);
        return mac.doFinal(input);
    }

    private static String macName(Algorithm alg) {
        return "HmacSHA" + alg.hashBits();
    }

    private static JWSHeader header(Algorithm alg) {
        return new JWSHeader(JWSAlgorithm.parse(alg.name()));
    }

    private static ECKey ecJwk(KeyMaterial.Ec ec, boolean withPrivate) throws GeneralSecurityException {
        Curve curve = ec.curve() == EllipticCurve.P256 ? Curve.P_256 : Curve.P_384;
        try {
            ECKey.Builder b = new ECKey.Builder(curve, Base64URL.encode(ec.x()), Base64URL.encode(ec.y()));
            if (withPrivate) b.d(Base64URL.encode(pad(ec.d(), ec.curve().size())));
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new GeneralSecurityException("the EC point is not on the " + ec.curve().wireName() + " curve");
        }
    }

    /** Left-pads a big-endian integer to {@code size} bytes. */
    static byte[] pad(byte[] value, int size) {
        if (value.length >= size) return value;
        byte[] out = new byte[size];
        System.arraycopy(value, 0, out, size - value.length, value.length);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
