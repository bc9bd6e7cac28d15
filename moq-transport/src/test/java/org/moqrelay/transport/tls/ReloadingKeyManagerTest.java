package org.moqrelay.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReloadingKeyManagerTest {
    @Test
    void aHandshakeThatChoseItsAliasBeforeAReloadGetsTheChainAndKeyOfOneBundle() {
        CertificateBundle first = Certificates.generateSelfSigned(List.of("first"));
        CertificateBundle second = Certificates.generateSelfSigned(List.of("second"));
        ReloadingKeyManager km = new ReloadingKeyManager(first);

        String chosen = km.chooseEngineServerAlias("EC", null, null);
        km.set(second);

        assertThat(km.getCertificateChain(chosen)[0]).isEqualTo(first.leaf());
        assertThat(km.getPrivateKey(chosen)).isEqualTo(first.key());
        String now = km.chooseEngineServerAlias("EC", null, null);
        assertThat(now).isNotEqualTo(chosen);
        assertThat(km.getCertificateChain(now)[0]).isEqualTo(second.leaf());
        assertThat(km.getPrivateKey(now)).isEqualTo(second.key());
        assertThat(km.current()).isSameAs(second);
    }

    @Test
    void anAliasTwoReloadsOldOrUnknownHasNoMaterial() {
        ReloadingKeyManager km = new ReloadingKeyManager(Certificates.generateSelfSigned(List.of("a")));
        String old = km.chooseEngineServerAlias("EC", null, null);
        km.set(Certificates.generateSelfSigned(List.of("b")));
        km.set(Certificates.generateSelfSigned(List.of("c")));

        assertThat(km.getCertificateChain(old)).isNull();
        assertThat(km.getPrivateKey(old)).isNull();
        assertThat(km.getPrivateKey("someone-else")).isNull();
        assertThat(km.chooseEngineServerAlias("RSA", null, null)).isNull();
    }
}
