package org.moqrelay.client;

import org.moqrelay.transport.tls.CertificateBundle;
import org.moqrelay.wire.LiteVersion;

/**
 * How a client verifies the relay's certificate: not at all (development only), by a pinned
 * SHA-256 fingerprint (what browsers do with {@code serverCertificateHashes}), or with the JVM's
 * default trust store.
 *
 * @param disableVerify     accept any certificate
 * @param fingerprintSha256 64 hex characters to pin, or null
 * @param version           the moq-lite version to speak; LITE_02 means ALPN {@code moql} with the legacy SETUP;
 *                          over WebTransport the newest one offered, every older one after it, and the
 *                          server picks
 * @param clientCertificate a certificate and key to present to the relay (mTLS), or null
 */
public record ClientOptions(boolean disableVerify, String fingerprintSha256, LiteVersion version,
                            CertificateBundle clientCertificate) {
    public static final ClientOptions DEFAULT = new ClientOptions(false, null, LiteVersion.LITE_05, null);
    public static final ClientOptions INSECURE = new ClientOptions(true, null, LiteVersion.LITE_05, null);

    public ClientOptions {
        if (version == null) version = LiteVersion.LITE_05;
        if (version == LiteVersion.LITE_01) {
            // ALPN moql offers lite-02 and lite-01 in the legacy SETUP; the server picks.
            version = LiteVersion.LITE_02;
        }
    }

    public ClientOptions(boolean disableVerify, String fingerprintSha256) {
        this(disableVerify, fingerprintSha256, LiteVersion.LITE_05, null);
    }

    public static ClientOptions pinned(String sha256) {
        return new ClientOptions(false, sha256, LiteVersion.LITE_05, null);
    }

    /** The same options speaking {@code v} (chosen by ALPN on QUIC, in-band on TCP; over WebTransport {@code v} or an older one the server picks). */
    public ClientOptions withVersion(LiteVersion v) {
        return new ClientOptions(disableVerify, fingerprintSha256, v, clientCertificate);
    }

    /** The same options presenting {@code cert} to the relay (mTLS, QUIC only). */
    public ClientOptions withClientCertificate(CertificateBundle cert) {
        return new ClientOptions(disableVerify, fingerprintSha256, version, cert);
    }
}
