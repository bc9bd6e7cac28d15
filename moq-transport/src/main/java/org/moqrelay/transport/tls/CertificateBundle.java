package org.moqrelay.transport.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A private key with its certificate chain, leaf first.
 *
 * @param key   the private key of the leaf certificate
 * @param chain the leaf certificate followed by any intermediates; never empty
 */
public record CertificateBundle(PrivateKey key, List<X509Certificate> chain) {

    public CertificateBundle {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(Objects.requireNonNull(chain, "chain"));
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain: empty (expected: at least the leaf certificate)");
        }
    }

    /** The leaf certificate, the one the server presents first. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /**
     * Lowercase hex SHA-256 of the leaf certificate's DER, 64 characters without separators.
     *
     * <p>This is the value browsers take in {@code serverCertificateHashes} and the relay serves at
     * {@code /certificate.sha256}.
     */
    public String sha256Hex() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(leaf().getEncoded());
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("leaf certificate cannot be encoded", e);
        }
    }
}
