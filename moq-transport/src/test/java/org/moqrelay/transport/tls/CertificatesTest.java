package org.moqrelay.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.AlgorithmParameters;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificatesTest {
    @TempDir
    Path dir;

    @Test
    void generatedCertificateIsEcdsaP256SelfSigned() throws Exception {
        CertificateBundle bundle = Certificates.generateSelfSigned(List.of("localhost", "127.0.0.1"));
        X509Certificate cert = bundle.leaf();

        assertThat(bundle.chain()).hasSize(1);
        assertThat(bundle.key().getAlgorithm()).isEqualTo("EC");
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(cert.getVersion()).isEqualTo(3);
        ECParameterSpec p256 = p256();
        ECParameterSpec params = ((ECPublicKey) cert.getPublicKey()).getParams();
        assertThat(params.getCurve()).isEqualTo(p256.getCurve());
        assertThat(params.getOrder()).isEqualTo(p256.getOrder());
        assertThat(params.getGenerator()).isEqualTo(p256.getGenerator());
        cert.verify(cert.getPublicKey());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
        assertThat(cert.getSerialNumber()).isPositive();
    }

    @Test
    void generatedCertificateIsValidNowForAtMostFourteenDays() throws Exception {
        CertificateBundle bundle = Certificates.generateSelfSigned(List.of("localhost"));
        X509Certificate cert = bundle.leaf();

        Duration validity = Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
        assertThat(validity).isLessThanOrEqualTo(Duration.ofDays(14)).isEqualTo(Duration.ofDays(14));
        cert.checkValidity(new Date());
        Instant now = Instant.now();
        assertThat(cert.getNotBefore().toInstant()).isBetween(now.minus(Duration.ofDays(1)).minusSeconds(60), now);
    }

    @Test
    void namesBecomeDnsOrIpSubjectAltNames() throws Exception {
        CertificateBundle bundle = Certificates.generateSelfSigned(List.of("localhost", "127.0.0.1", "::1", "relay.example"));

        assertThat(bundle.leaf().getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "localhost"),
                List.of(7, "127.0.0.1"),
                List.of(7, "0:0:0:0:0:0:0:1"),
                List.of(2, "relay.example"));
    }

    @Test
    void noNamesIsRejected() {
        assertThatThrownBy(() -> Certificates.generateSelfSigned(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names");
    }

    @Test
    void sha256HexIsLowercaseHexOfTheLeafDer() throws Exception {
        CertificateBundle bundle = Certificates.generateSelfSigned(List.of("localhost"));

        String hex = bundle.sha256Hex();
        assertThat(hex).hasSize(64).matches("[0-9a-f]{64}");
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(bundle.leaf().getEncoded());
        assertThat(hex).isEqualTo(HexFormat.of().formatHex(expected));
    }

    @Test
    void writeThenLoadRoundTrips() throws Exception {
        CertificateBundle bundle = Certificates.generateSelfSigned(List.of("localhost", "127.0.0.1"));
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");

        Certificates.writePem(bundle, cert, key);
        CertificateBundle loaded = Certificates.load(cert, key);

        assertThat(Files.readString(cert)).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(loaded.leaf().getEncoded()).isEqualTo(bundle.leaf().getEncoded());
        assertThat(loaded.key().getEncoded()).isEqualTo(bundle.key().getEncoded());
        assertThat(loaded.sha256Hex()).isEqualTo(bundle.sha256Hex());
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        }
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactlyInAnyOrder(cert, key);
        }
    }

    @Test
    void loadsAChainAndASec1EcKey() throws Exception {
        CertificateBundle leaf = Certificates.generateSelfSigned(List.of("localhost"));
        CertificateBundle other = Certificates.generateSelfSigned(List.of("ca.example"));
        Path cert = dir.resolve("chain.pem");
        Path key = dir.resolve("ec-key.pem");
        writePem(cert, leaf.leaf(), other.leaf());
        // SEC1 as openssl writes it (curve named inside), public key left out as it may be.
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                256, ((ECPrivateKey) leaf.key()).getS(), SECObjectIdentifiers.secp256r1);
        writePem(key, new PemObject("EC PRIVATE KEY", sec1.getEncoded()));

        CertificateBundle loaded = Certificates.load(cert, key);

        assertThat(Files.readString(key)).contains("BEGIN EC PRIVATE KEY");
        assertThat(loaded.chain()).containsExactly(leaf.leaf(), other.leaf());
        assertThat(loaded.sha256Hex()).isEqualTo(leaf.sha256Hex());
    }

    @Test
    void loadsAnRsaPkcs1Key() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=rsa.example");
        X509Certificate rsaCert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.ONE, new Date(), new Date(System.currentTimeMillis() + 86_400_000L), name, pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        Path cert = dir.resolve("rsa-cert.pem");
        Path key = dir.resolve("rsa-key.pem");
        writePem(cert, rsaCert);
        writePem(key, pair.getPrivate()); // JcaPEMWriter writes RSA keys as PKCS#1 "RSA PRIVATE KEY"

        CertificateBundle loaded = Certificates.load(cert, key);

        assertThat(Files.readString(key)).contains("BEGIN RSA PRIVATE KEY");
        assertThat(loaded.key().getAlgorithm()).isEqualTo("RSA");
        assertThat(loaded.key().getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(loaded.leaf()).isEqualTo(rsaCert);
    }

    @Test
    void skipsEcParametersBeforeTheKey() throws Exception {
        CertificateBundle bundle = Certificates.generateSelfSigned(List.of("localhost"));
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Certificates.writePem(bundle, cert, key);
        // What `openssl ecparam -genkey -name prime256v1` prints before the key.
        Files.writeString(key, "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + Files.readString(key));

        assertThat(Certificates.load(cert, key).key().getEncoded()).isEqualTo(bundle.key().getEncoded());
    }

    @Test
    void missingFilesAreNamed() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Certificates.writePem(Certificates.generateSelfSigned(List.of("localhost")), cert, key);
        Path missing = dir.resolve("nope.pem");

        assertThatThrownBy(() -> Certificates.load(missing, key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("certificate file " + missing)
                .hasMessageContaining("not found");
        assertThatThrownBy(() -> Certificates.load(cert, missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key file " + missing)
                .hasMessageContaining("not found");
    }

    @Test
    void emptyAndGarbageFilesAreRejectedClearly() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Certificates.writePem(Certificates.generateSelfSigned(List.of("localhost")), cert, key);
        Path empty = Files.createFile(dir.resolve("empty.pem"));
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello, not a certificate\n");
        Path binary = Files.write(dir.resolve("binary.der"), new byte[] {0x30, (byte) 0x82, (byte) 0xff, 0x00, 0x7f});
        Path broken = Files.writeString(dir.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\n!!!notbase64!!!\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> Certificates.load(empty, key))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(empty.toString()).hasMessageContaining("empty");
        assertThatThrownBy(() -> Certificates.load(cert, empty))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(empty.toString()).hasMessageContaining("empty");
        assertThatThrownBy(() -> Certificates.load(garbage, key))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(garbage.toString()).hasMessageContaining("not PEM");
        assertThatThrownBy(() -> Certificates.load(binary, key))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(binary.toString()).hasMessageContaining("not PEM");
        assertThatThrownBy(() -> Certificates.load(broken, key))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(broken.toString()).hasMessageContaining("PEM");
        assertThatThrownBy(() -> Certificates.load(key, key))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no CERTIFICATE block");
        assertThatThrownBy(() -> Certificates.load(cert, cert))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key file " + cert);
        assertThatThrownBy(() -> Certificates.load(cert, dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a regular file");
    }

    @Test
    void aKeyFromAnotherCertificateIsRejected() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Certificates.writePem(Certificates.generateSelfSigned(List.of("a.example")), cert, dir.resolve("a-key.pem"));
        Certificates.writePem(Certificates.generateSelfSigned(List.of("b.example")), dir.resolve("b.pem"), key);

        assertThatThrownBy(() -> Certificates.load(cert, key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key.toString())
                .hasMessageContaining(cert.toString());
    }

    @Test
    void nettyQuicAcceptsTheGeneratedBundle() {
        CertificateBundle bundle = Certificates.generateSelfSigned(List.of("localhost", "127.0.0.1"));

        QuicSslContext context = QuicSslContextBuilder
                .forServer(bundle.key(), null, bundle.chain().toArray(X509Certificate[]::new))
                .applicationProtocols("h3")
                .build();

        assertThat(context.isServer()).isTrue();
        assertThat(context.applicationProtocolNegotiator().protocols()).containsExactly("h3");
    }

    private static ECParameterSpec p256() throws Exception {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        return parameters.getParameterSpec(ECParameterSpec.class);
    }

    private static void writePem(Path file, Object... objects) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
             JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                writer.writeObject(o);
            }
        }
    }
}
