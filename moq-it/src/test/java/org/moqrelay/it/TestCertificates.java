package org.moqrelay.it;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** CAs and client certificates made on the spot for the mTLS tests (EC P-256, SHA-256). */
final class TestCertificates {
    private TestCertificates() {}

    static KeyPair ecKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** Valid from an hour ago for a day. */
    static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys, boolean ca)
            throws Exception {
        return certificate(subject, subjectKeys, issuer, issuerKeys, ca, Duration.ofDays(1));
    }

    /** Valid from an hour ago until {@code validity} from now. */
    static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys, boolean ca,
                                       Duration validity) throws Exception {
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)),
                new X500Name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    static void writePem(Path file, X509Certificate cert) throws IOException {
        try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(file))) {
            w.writeObject(cert);
        }
    }
}
