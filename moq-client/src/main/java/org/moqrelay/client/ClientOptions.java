package org.moqrelay.client;

import org.moqrelay.wire.LiteVersion;

/**
 * How a client verifies the relay's certificate: not at all (development only), by a pinned
 * SHA-256 fingerprint (what browsers do with {@code serverCertificateHashes}), or with the JVM's
 * default trust store.
 *
 * @param disableVerify     accept any certificate
 * @param fingerprintSha256 64 hex characters to pin, or null
 * @param version           the moq-lite version to speak (lite-03 or newer)
 */
public record ClientOptions(boolean disableVerify, String fingerprintSha256, LiteVersion version) {
    public static final ClientOptions DEFAULT = new ClientOptions(false, null, LiteVersion.LITE_05);
    public static final ClientOptions INSECURE = new ClientOptions(true, null, LiteVersion.LITE_05);

    public ClientOptions {
        if (version == null) version = LiteVersion.LITE_05;
        if (version.hasLegacySetup()) {
            throw new IllegalArgumentException("version: " + version + " (expected: moq-lite-03 or newer; "
                    + "the Java client does not speak the legacy SETUP exchange)");
        }
    }

    public ClientOptions(boolean disableVerify, String fingerprintSha256) {
        this(disableVerify, fingerprintSha256, LiteVersion.LITE_05);
    }

    public static ClientOptions pinned(String sha256) {
        return new ClientOptions(false, sha256, LiteVersion.LITE_05);
    }

    /** The same options speaking {@code v} (chosen by ALPN on QUIC, in-band on TCP). */
    public ClientOptions withVersion(LiteVersion v) {
        return new ClientOptions(disableVerify, fingerprintSha256, v);
    }
}
