package org.moqrelay.token;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;

/** Fresh key material per algorithm, sized as the reference's {@code generate.rs}. */
final class KeyGeneration {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyGeneration() {
    }

    static KeyMaterial generate(Algorithm alg) {
        try {
            return switch (alg.family()) {
                case HMAC -> {
                    byte[] secret = new byte[alg.hashBits() / 8];
                    RANDOM.nextBytes(secret);
                    yield new KeyMaterial.Oct(secret);
                }
                case RSA, RSA_PSS -> rsa();
                case EC -> ec(alg == Algorithm.ES256 ? EllipticCurve.P256 : EllipticCurve.P384);
                case EDDSA -> ed25519();
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate " + alg + " keys", e);
        }
    }

    private static KeyMaterial rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), RANDOM);
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) g.generateKeyPair().getPrivate();
        return new KeyMaterial.Rsa(unsigned(k.getModulus()), unsigned(k.getPublicExponent()), unsigned(k.getPrivateExponent()),
                unsigned(k.getPrimeP()), unsigned(k.getPrimeQ()), unsigned(k.getPrimeExponentP()),
                unsigned(k.getPrimeExponentQ()), unsigned(k.getCrtCoefficient()));
    }

    private static KeyMaterial ec(EllipticCurve curve) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve == EllipticCurve.P256 ? "secp256r1" : "secp384r1"), RANDOM);
        KeyPair pair = g.generateKeyPair();
        ECPublicKey pub = (ECPublicKey) pair.getPublic();
        ECPrivateKey priv = (ECPrivateKey) pair.getPrivate();
        int size = curve.size();
        return new KeyMaterial.Ec(curve, fixed(pub.getW().getAffineX(), size), fixed(pub.getW().getAffineY(), size), fixed(priv.getS(), size));
    }

    private static KeyMaterial ed25519() throws GeneralSecurityException {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = pair.getPublic().getEncoded();
        byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        byte[] seed = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow(() -> new GeneralSecurityException("no Ed25519 seed"));
        return new KeyMaterial.Okp(EllipticCurve.ED25519, x, seed);
    }

    /** Big-endian magnitude without a sign byte, as RFC 7518 wants for RSA members. */
    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    /** Big-endian, left-padded to exactly {@code size} bytes (EC coordinates and scalars). */
    private static byte[] fixed(BigInteger v, int size) {
        return JwsCrypto.pad(unsigned(v), size);
    }
}
