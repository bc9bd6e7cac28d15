package org.moqrelay.client;

/**
 * How a client verifies the relay's certificate: not at all (development only), by a pinned
 * SHA-256 fingerprint (what browsers do with {@code serverCertificateHashes}), or with the JVM's
 * default trust store.
 *
 * @param disableVerify     accept any certificate
 * @param fingerprintSha256 64 hex characters to pin, or null
 */
public record ClientOptions(boolean disableVerify, String fingerprintSha256) {
    public static final ClientOptions DEFAULT = new ClientOptions(false, null);
    public static final ClientOptions INSECURE = new ClientOptions(true, null);

    public static ClientOptions pinned(String sha256) {
        return new ClientOptions(false, sha256);
    }
}
