package org.moqrelay.transport.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Serves whatever certificate is current. The QUIC stack asks the key manager on every handshake,
 * so replacing the bundle here changes the certificate of new connections without a restart;
 * connections already open keep theirs.
 *
 * <p>Thread-safe: handshakes on several event loops ask it while the reloader replaces the bundle.
 * A handshake picks an alias first and asks for the chain and the key by it afterwards, so every
 * bundle gets an alias of its own: a replacement in between cannot pair one bundle's chain with
 * another's key.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "moq-relay-";

    private record Entry(String alias, CertificateBundle bundle) {}

    private volatile Entry current;
    /** The bundle replaced last: a handshake that chose it just before the swap still gets it whole. */
    private volatile Entry previous;
    private long generation;

    public ReloadingKeyManager(CertificateBundle initial) {
        this.current = new Entry(ALIAS + 0, initial);
    }

    public CertificateBundle current() {
        return current.bundle();
    }

    public synchronized void set(CertificateBundle bundle) {
        previous = current;
        current = new Entry(ALIAS + ++generation, bundle);
    }

    private CertificateBundle bundle(String alias) {
        Entry c = current;
        if (c.alias().equals(alias)) return c.bundle();
        Entry p = previous;
        return p != null && p.alias().equals(alias) ? p.bundle() : null;
    }

    private String aliasFor(String keyType) {
        Entry c = current;
        String alg = c.bundle().key().getAlgorithm();
        boolean ec = "EC".equals(alg) || "ECDSA".equals(alg);
        return keyType == null || keyType.equals(alg) || (ec && keyType.startsWith("EC")) ? c.alias() : null;
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
        CertificateBundle b = bundle(alias);
        return b == null ? null : b.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        CertificateBundle b = bundle(alias);
        return b == null ? null : b.key();
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
