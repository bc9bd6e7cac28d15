package org.moqrelay.transport.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Serves whatever certificate is current. The QUIC stack asks the key manager on every handshake,
 * so replacing the bundle here changes the certificate of new connections without a restart;
 * connections already open keep theirs.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "moq-relay";
    private final AtomicReference<CertificateBundle> current;

    public ReloadingKeyManager(CertificateBundle initial) {
        this.current = new AtomicReference<>(initial);
    }

    public CertificateBundle current() {
        return current.get();
    }

    public void set(CertificateBundle bundle) {
        current.set(bundle);
    }

    private String aliasFor(String keyType) {
        String alg = current.get().key().getAlgorithm();
        boolean ec = "EC".equals(alg) || "ECDSA".equals(alg);
        return keyType == null || keyType.equals(alg) || (ec && keyType.startsWith("EC")) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String a = aliasFor(keyType);
        return a == null ? null : new String[] {a};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? current.get().chain().toArray(new X509Certificate[0]) : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? current.get().key() : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
