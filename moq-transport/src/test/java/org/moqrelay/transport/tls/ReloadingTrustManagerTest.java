package org.moqrelay.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CA files are reloaded when they change; a broken file keeps the CAs loaded before. */
class ReloadingTrustManagerTest {
    @TempDir
    Path dir;

    private static void touch(Path file, int seconds) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(seconds)));
    }

    @Test
    void reloadsChangedFilesAndKeepsTheOldCasWhenAFileIsBroken() throws Exception {
        Path a = dir.resolve("a.pem");
        Path b = dir.resolve("b.pem");
        CertificateBundle caA = Certificates.generateSelfSigned(List.of("a.example"));
        CertificateBundle caB = Certificates.generateSelfSigned(List.of("b.example"));
        CertificateBundle caC = Certificates.generateSelfSigned(List.of("c.example"));
        Certificates.writePem(caA, a, dir.resolve("a.key"));
        Certificates.writePem(caB, b, dir.resolve("b.key"));
        try (ReloadingTrustManager tm = new ReloadingTrustManager(List.of(a, b))) {
            assertThat(tm.getAcceptedIssuers()).containsExactlyInAnyOrder(caA.chain().get(0), caB.chain().get(0));

            Files.writeString(b, "-----BEGIN CERTIFICATE-----\nhalf written");
            touch(b, 10);
            tm.check();
            assertThat(tm.getAcceptedIssuers()).containsExactlyInAnyOrder(caA.chain().get(0), caB.chain().get(0));

            Certificates.writePem(caC, b, dir.resolve("c.key"));
            touch(b, 20);
            tm.check();
            assertThat(tm.getAcceptedIssuers()).containsExactlyInAnyOrder(caA.chain().get(0), caC.chain().get(0));
        }
    }

    @Test
    void aMissingOrEmptyFileIsAnErrorAtStart() throws Exception {
        assertThatThrownBy(() -> new ReloadingTrustManager(List.of(dir.resolve("none.pem"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none.pem");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> new ReloadingTrustManager(List.of(empty)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty.pem");
    }
}
