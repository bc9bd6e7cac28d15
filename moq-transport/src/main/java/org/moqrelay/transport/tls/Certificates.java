package org.moqrelay.transport.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;
import org.bouncycastle.util.io.pem.PemObject;

/** Creates, loads and stores the relay's TLS certificates. */
public final class Certificates {
    /**
     * Total validity of a generated certificate: browsers accept a certificate pinned through
     * {@code serverCertificateHashes} only when notAfter - notBefore is at most 14 days.
     */
    public static final Duration GENERATED_VALIDITY = Duration.ofDays(14);

    /** Backdating of a generated certificate, so peers with a slow clock still accept it. */
    public static final Duration GENERATED_BACKDATE = Duration.ofDays(1);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC_READ = PosixFilePermissions.fromString("rw-r--r--");

    private Certificates() {}

    /**
     * Generates a self-signed ECDSA P-256 certificate for {@code names}, usable with browsers'
     * {@code serverCertificateHashes}.
     *
     * @param names DNS names or IP literals for the subjectAltName; the first is also the CN
     */
    public static CertificateBundle generateSelfSigned(List<String> names) {
        Objects.requireNonNull(names, "names");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("names: empty (expected: at least one name)");
        }
        GeneralName[] altNames = new GeneralName[names.size()];
        for (int i = 0; i < altNames.length; i++) {
            altNames[i] = altName(names.get(i));
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair pair = generator.generateKeyPair();

            // X.509 times have whole seconds; truncating first keeps the encoded span exactly 14 days.
            Instant notBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(GENERATED_BACKDATE);
            Instant notAfter = notBefore.plus(GENERATED_VALIDITY);
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, names.get(0)).build();
            // A positive 63-bit serial: unique enough for throwaway certificates, never zero or negative.
            BigInteger serial = BigInteger.valueOf(RANDOM.nextLong() & Long.MAX_VALUE).setBit(0);

            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject, serial, Date.from(notBefore), Date.from(notAfter), subject, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new CertificateBundle(pair.getPrivate(), List.of(cert));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate", e);
        }
    }

    /**
     * Loads a PEM certificate chain (leaf first) and its PEM private key (PKCS#8, SEC1 or PKCS#1).
     *
     * <p>Reads files, so call it at start-up or off the event loops.
     *
     * @throws IllegalArgumentException when a file is missing, empty, not PEM, or the key does not
     *                                  belong to the leaf certificate
     */
    public static CertificateBundle load(Path certPem, Path keyPem) {
        Objects.requireNonNull(certPem, "certPem");
        Objects.requireNonNull(keyPem, "keyPem");
        List<X509Certificate> chain = PemFiles.readCertificates(certPem);
        var key = PemFiles.readPrivateKey(keyPem);
        PemFiles.checkKeyMatches(key, chain.get(0), certPem, keyPem);
        return new CertificateBundle(key, chain);
    }

    /** Every CERTIFICATE block of a PEM file (e.g. the CAs trusted for client certificates). */
    public static List<X509Certificate> loadCertificates(Path pem) {
        Objects.requireNonNull(pem, "pem");
        return PemFiles.readCertificates(pem);
    }

    /**
     * Writes the chain as CERTIFICATE blocks and the key as a PKCS#8 PRIVATE KEY block.
     *
     * <p>The key file is readable by its owner only where the file system has POSIX permissions.
     */
    public static void writePem(CertificateBundle bundle, Path certPem, Path keyPem) {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(certPem, "certPem");
        Objects.requireNonNull(keyPem, "keyPem");
        try {
            writeAtomically(certPem, false, writer -> {
                for (X509Certificate cert : bundle.chain()) {
                    writer.writeObject(cert);
                }
            });
            writeAtomically(keyPem, true,
                    writer -> writer.writeObject(new PemObject("PRIVATE KEY", bundle.key().getEncoded())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + certPem + " / " + keyPem, e);
        }
    }

    private static GeneralName altName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("names: blank name (expected: a DNS name or an IP literal)");
        }
        // IPAddress checks syntax only; InetAddress.getByName would do a DNS lookup for host names.
        String bare = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
        if (IPAddress.isValid(bare)) {
            return new GeneralName(GeneralName.iPAddress, bare);
        }
        return new GeneralName(GeneralName.dNSName, name);
    }

    private interface PemBody {
        void write(JcaPEMWriter writer) throws IOException;
    }

    // A temporary file in the same directory, then a rename: a reader never sees half a file and
    // the key is never readable by others, not even for a moment.
    private static void writeAtomically(Path target, boolean secret, PemBody body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        Path tmp = posix && secret
                ? Files.createTempFile(dir, ".tmp-", ".pem", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, ".tmp-", ".pem");
        try {
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII);
                 JcaPEMWriter writer = new JcaPEMWriter(out)) {
                body.write(writer);
            }
            if (posix && !secret) {
                Files.setPosixFilePermissions(tmp, PUBLIC_READ);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
