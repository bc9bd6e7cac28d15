package org.moqrelay.token;

import java.util.Objects;

/**
 * The key-type-specific part of a JWK (RFC 7518 section 6, RFC 8037 section 2): the {@code kty} and its
 * members as raw big-endian bytes. A private member is null when the JWK carries only the public half.
 *
 * <p>Arrays are held as given, not copied: treat them as read-only. Records compare them by identity.
 */
public sealed interface KeyMaterial {
    /** The JSON {@code kty}. */
    String kty();

    /** True when the material can sign (for {@code oct}, always). */
    boolean isPrivate();

    /** {@code kty: "oct"}: a shared secret ({@code k}). */
    record Oct(byte[] secret) implements KeyMaterial {
        public Oct {
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public String kty() {
            return "oct";
        }

        @Override
        public boolean isPrivate() {
            return true;
        }

        @Override
        public String toString() {
            return "Oct[" + secret.length + " bytes]";
        }
    }

    /** {@code kty: "EC"}: a NIST curve point and, for a private key, the scalar {@code d}. */
    record Ec(EllipticCurve curve, byte[] x, byte[] y, byte[] d) implements KeyMaterial {
        public Ec {
            Objects.requireNonNull(curve, "curve");
            Objects.requireNonNull(x, "x");
            Objects.requireNonNull(y, "y");
        }

        @Override
        public String kty() {
            return "EC";
        }

        @Override
        public boolean isPrivate() {
            return d != null;
        }

        @Override
        public String toString() {
            return "Ec[" + curve.wireName() + (d != null ? ", private" : ", public") + "]";
        }
    }

    /** {@code kty: "RSA"}: modulus and exponent, and for a private key all six CRT members or none. */
    record Rsa(byte[] n, byte[] e, byte[] d, byte[] p, byte[] q, byte[] dp, byte[] dq, byte[] qi) implements KeyMaterial {
        public Rsa {
            Objects.requireNonNull(n, "n");
            Objects.requireNonNull(e, "e");
        }

        /** The public half only. */
        public static Rsa publicKey(byte[] n, byte[] e) {
            return new Rsa(n, e, null, null, null, null, null, null);
        }

        @Override
        public String kty() {
            return "RSA";
        }

        @Override
        public boolean isPrivate() {
            return d != null;
        }

        @Override
        public String toString() {
            return "Rsa[" + (d != null ? "private" : "public") + "]";
        }
    }

    /** {@code kty: "OKP"}: an Ed25519 public key {@code x} and, for a private key, the seed {@code d}. */
    record Okp(EllipticCurve curve, byte[] x, byte[] d) implements KeyMaterial {
        public Okp {
            Objects.requireNonNull(curve, "curve");
            Objects.requireNonNull(x, "x");
        }

        @Override
        public String kty() {
            return "OKP";
        }

        @Override
        public boolean isPrivate() {
            return d != null;
        }

        @Override
        public String toString() {
            return "Okp[" + curve.wireName() + (d != null ? ", private" : ", public") + "]";
        }
    }
}
