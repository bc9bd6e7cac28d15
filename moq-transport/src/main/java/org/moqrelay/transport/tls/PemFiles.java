package org.moqrelay.transport.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** Reads certificate chains and private keys from PEM files, with errors that name the file. */
final class PemFiles {
    private PemFiles() {}

    /** Every CERTIFICATE block of {@code file}, in file order. */
    static List<X509Certificate> readCertificates(Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object item : readAll(file, "certificate")) {
            if (item instanceof X509CertificateHolder holder) {
                try {
                    chain.add(converter.getCertificate(holder));
                } catch (GeneralSecurityException e) {
                    throw new IllegalArgumentException("certificate file " + file + ": unreadable certificate: " + e.getMessage(), e);
                }
            }
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("certificate file " + file + ": no CERTIFICATE block");
        }
        return chain;
    }

    /** The first private key of {@code file}: PKCS#8 {@code PRIVATE KEY}, SEC1 or PKCS#1. */
    static PrivateKey readPrivateKey(Path file) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        // Other blocks are skipped: `openssl ecparam -genkey` puts EC PARAMETERS before the key.
        for (Object item : readAll(file, "key")) {
            try {
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMKeyPair pair) {
                    // Not getKeyPair: the public key is optional in SEC1 and often left out.
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("key file " + file + ": unsupported private key: " + e.getMessage(), e);
            }
            if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new IllegalArgumentException("key file " + file + ": encrypted private keys are not supported");
            }
        }
        throw new IllegalArgumentException(
                "key file " + file + ": no PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block");
    }

    /**
     * Fails when {@code key} does not belong to {@code leaf}: otherwise the mismatch only shows up
     * as an opaque handshake failure on the first connection.
     */
    static void checkKeyMatches(PrivateKey key, X509Certificate leaf, Path certFile, Path keyFile) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        PublicKey publicKey = leaf.getPublicKey();
        byte[] probe = "moq-relay key check".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new IllegalArgumentException("key file " + keyFile + " does not hold the private key of the first certificate in "
                    + certFile + " (key " + key.getAlgorithm() + ", certificate " + publicKey.getAlgorithm() + ")");
        }
    }

    private static List<Object> readAll(Path file, String role) {
        String what = role + " file " + file;
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(what + ": not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + ": not a regular file");
        }
        List<Object> items = new ArrayList<>();
        long size;
        // ISO-8859-1 maps every byte, so a binary (DER) file reads as "no PEM block" instead of
        // failing on a malformed character.
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
             PEMParser parser = new PEMParser(in)) {
            size = Files.size(file);
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                items.add(item);
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + ": not found", e);
        } catch (IOException | RuntimeException e) {
            // BouncyCastle reports bad base64 or DER inside a block with unchecked exceptions too.
            throw new IllegalArgumentException(what + ": not valid PEM: " + e.getMessage(), e);
        }
        if (size == 0) {
            throw new IllegalArgumentException(what + ": empty");
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException(what + ": not PEM (no -----BEGIN ...----- block)");
        }
        return items;
    }
}
