package org.moqrelay.transport.tls;

import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies client certificates (mTLS) against the CA certificates of some PEM files, and reloads
 * them when a file changes, so a rotated CA bundle applies to new handshakes without a restart (as
 * the reference's client verifier does). A broken file is logged and the previous CAs stay.
 * Thread-safe.
 */
public final class ReloadingTrustManager extends X509ExtendedTrustManager implements AutoCloseable {
    private final FileWatch watch;
    private volatile X509ExtendedTrustManager current;
    private final boolean issuerHints;

    /**
     * Loads the CAs now.
     *
     * @throws IllegalArgumentException when a file is missing, empty or not PEM
     */
    public ReloadingTrustManager(List<Path> files) {
        this(files, true);
    }

    /**
     * One that names no CAs to clients ({@link #getAcceptedIssuers()} is empty), for a TLS stack
     * that copies the names once when its context is built, as Netty's BoringSSL QUIC context does:
     * clients that pick their certificate by the names they are sent would otherwise keep being
     * told the old CAs after a rotation, and send none. Verification uses the current CAs all the same.
     */
    public static ReloadingTrustManager withoutIssuerHints(List<Path> files) {
        return new ReloadingTrustManager(files, false);
    }

    private ReloadingTrustManager(List<Path> files, boolean issuerHints) {
        this.issuerHints = issuerHints;
        if (files.isEmpty()) throw new IllegalArgumentException("no CA files");
        this.current = load(files);
        this.watch = new FileWatch(files, "the client-certificate CAs", () -> current = load(files));
    }

    /** Checks the files every {@code periodMillis} on {@code timer} (never an event loop: it reads files). */
    public ReloadingTrustManager watch(ScheduledExecutorService timer, long periodMillis) {
        watch.every(timer, periodMillis);
        return this;
    }

    /** Reloads if a file changed since the last look; public so tests need not wait. */
    public void check() {
        watch.check();
    }

    @Override
    public void close() {
        watch.close();
    }

    private static X509ExtendedTrustManager load(List<Path> files) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Path file : files) {
                for (X509Certificate ca : Certificates.loadCertificates(file)) store.setCertificateEntry("ca" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) return x;
            }
            throw new IllegalStateException("no X.509 trust manager in " + tmf.getAlgorithm());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot use the CAs of " + files + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        current.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        current.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        current.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        current.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        current.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        current.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return issuerHints ? current.getAcceptedIssuers() : new X509Certificate[0];
    }
}
