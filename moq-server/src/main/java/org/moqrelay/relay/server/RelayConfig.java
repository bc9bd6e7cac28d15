package org.moqrelay.relay.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.moqrelay.transport.quic.QuicTransportConfig;

/**
 * Everything a relay needs to start. Built by the CLI from TOML, flags and environment.
 *
 * @param serverBind    UDP address of the QUIC endpoint (raw QUIC and WebTransport)
 * @param tlsCert       PEM certificate chain, or null
 * @param tlsKey        PEM private key, or null
 * @param tlsGenerate   host names for a self-signed certificate (used when no cert/key is given)
 * @param webHttpListen TCP address of the HTTP listener (certificate hash, health), or null
 * @param auth          tokens, keys and public prefixes
 * @param lingerMillis  how long a broadcast survives its publisher's abrupt loss (0 = not at all)
 * @param clusterId     this relay's hop id; 0 = random
 * @param tcpBind       TCP address of the plain qmux listener for trusted local clients, or null
 * @param tlsRoot       PEM file of CA certificates; a client certificate chaining to one of them
 *                      gets full access within its URL path (mTLS); null = no client certificates
 * @param internalListen TCP address of the plain-HTTP ops listener ({@code /health}, {@code /metrics}),
 *                       or null (disabled); unauthenticated, so bind it to loopback or a private network
 * @param cache         the cache budget ({@code [cache] capacity} and {@code duration})
 * @param webHttps      the HTTPS / WSS listener, or null
 * @param quic          QUIC transport settings ({@code [server.quic]}); null = the defaults
 * @param clusterTier   {@code cluster.tier}: the stats tier of this relay's own cluster dials, or null for the
 *                      default tier; recorded only, since this relay dials no peers yet
 * @param unix          the qmux listener on a Unix domain socket, or null
 * @param quicThreads   event-loop threads, each serving its own UDP socket on {@code serverBind}
 *                      ({@code SO_REUSEPORT}); the other listeners share them; 0 = one per core
 */
public record RelayConfig(InetSocketAddress serverBind, Path tlsCert, Path tlsKey, List<String> tlsGenerate,
                          InetSocketAddress webHttpListen, AuthConfig auth, long lingerMillis, long clusterId,
                          InetSocketAddress tcpBind, Path tlsRoot, InetSocketAddress internalListen, CacheConfig cache,
                          WebHttpsConfig webHttps, QuicTransportConfig quic, String clusterTier,
                          UnixSocketConfig unix, int quicThreads) {
    public static final long DEFAULT_LINGER_MILLIS = 5_000;
    /** {@link #quicThreads} limit: the connection-id router addresses sockets with 16 bits; far fewer is sane. */
    public static final int MAX_QUIC_THREADS = 1024;

    /** A config without the internal ops listener. */
    public RelayConfig(InetSocketAddress serverBind, Path tlsCert, Path tlsKey, List<String> tlsGenerate,
                       InetSocketAddress webHttpListen, AuthConfig auth, long lingerMillis, long clusterId,
                       InetSocketAddress tcpBind, Path tlsRoot) {
        this(serverBind, tlsCert, tlsKey, tlsGenerate, webHttpListen, auth, lingerMillis, clusterId, tcpBind, tlsRoot, null,
                CacheConfig.UNLIMITED, null, null, null, null, 0);
    }

    public RelayConfig {
        Objects.requireNonNull(serverBind, "serverBind");
        tlsGenerate = tlsGenerate == null ? List.of() : List.copyOf(tlsGenerate);
        if (auth == null) auth = AuthConfig.NONE;
        if (cache == null) cache = CacheConfig.UNLIMITED;
        if (quic == null) quic = QuicTransportConfig.DEFAULT;
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("tls cert and key must be given together (cert: " + tlsCert + ", key: " + tlsKey + ")");
        }
        if (tlsCert == null && tlsGenerate.isEmpty()) {
            throw new IllegalArgumentException("no TLS certificate: give --tls-cert and --tls-key, or --tls-generate NAMES");
        }
        if (quicThreads < 0 || quicThreads > MAX_QUIC_THREADS) {
            throw new IllegalArgumentException("quic threads: " + quicThreads + " (expected: 0 to " + MAX_QUIC_THREADS + ")");
        }
        if (lingerMillis < 0) throw new IllegalArgumentException("linger: " + lingerMillis + " (expected: >= 0)");
        if (clusterId < 0 || clusterId >= (1L << 53)) {
            throw new IllegalArgumentException("cluster id: " + clusterId + " (expected: 0 <= id < 2^53)");
        }
    }

    /** This config with a plain TCP qmux listener on {@code bind}. */
    public RelayConfig withTcpBind(InetSocketAddress bind) {
        return new RelayConfig(serverBind, tlsCert, tlsKey, tlsGenerate, webHttpListen, auth, lingerMillis,
                clusterId, bind, tlsRoot, internalListen, cache, webHttps, quic, clusterTier, unix, quicThreads);
    }

    /** This config with {@code auth}. */
    public RelayConfig withAuth(AuthConfig a) {
        return new RelayConfig(serverBind, tlsCert, tlsKey, tlsGenerate, webHttpListen, a, lingerMillis,
                clusterId, tcpBind, tlsRoot, internalListen, cache, webHttps, quic, clusterTier, unix, quicThreads);
    }

    /** This config accepting client certificates that chain to the CAs in {@code rootPem}. */
    public RelayConfig withTlsRoot(Path rootPem) {
        return new RelayConfig(serverBind, tlsCert, tlsKey, tlsGenerate, webHttpListen, auth, lingerMillis,
                clusterId, tcpBind, rootPem, internalListen, cache, webHttps, quic, clusterTier, unix, quicThreads);
    }

    /** This config with the internal ops listener ({@code --internal-listen}) on {@code listen}; null disables it. */
    public RelayConfig withInternalListen(InetSocketAddress listen) {
        return new RelayConfig(serverBind, tlsCert, tlsKey, tlsGenerate, webHttpListen, auth, lingerMillis,
                clusterId, tcpBind, tlsRoot, listen, cache, webHttps, quic, clusterTier, unix, quicThreads);
    }

    /** This config with the cache budget {@code c}. */
    public RelayConfig withCache(CacheConfig c) {
        return new RelayConfig(serverBind, tlsCert, tlsKey, tlsGenerate, webHttpListen, auth, lingerMillis,
                clusterId, tcpBind, tlsRoot, internalListen, c, webHttps, quic, clusterTier, unix, quicThreads);
    }

    /** This config with an HTTPS / WSS listener. */
    public RelayConfig withWebHttps(WebHttpsConfig h) {
        return new RelayConfig(serverBind, tlsCert, tlsKey, tlsGenerate, webHttpListen, auth, lingerMillis,
                clusterId, tcpBind, tlsRoot, internalListen, cache, h, quic, clusterTier, unix, quicThreads);
    }

    /** This config with QUIC transport settings {@code q}. */
    public RelayConfig withQuic(QuicTransportConfig q) {
        return new RelayConfig(serverBind, tlsCert, tlsKey, tlsGenerate, webHttpListen, auth, lingerMillis,
                clusterId, tcpBind, tlsRoot, internalListen, cache, webHttps, q, clusterTier, unix, quicThreads);
    }

    /** This config with {@code cluster.tier} set to {@code tier}. */
    public RelayConfig withClusterTier(String tier) {
        return new RelayConfig(serverBind, tlsCert, tlsKey, tlsGenerate, webHttpListen, auth, lingerMillis,
                clusterId, tcpBind, tlsRoot, internalListen, cache, webHttps, quic, tier, unix, quicThreads);
    }

    /** This config with the qmux listener on a Unix socket {@code u} (null: none). */
    public RelayConfig withUnix(UnixSocketConfig u) {
        return new RelayConfig(serverBind, tlsCert, tlsKey, tlsGenerate, webHttpListen, auth, lingerMillis,
                clusterId, tcpBind, tlsRoot, internalListen, cache, webHttps, quic, clusterTier, u, quicThreads);
    }

    /** This config with {@code n} event-loop threads and QUIC sockets; 0 = one per core. */
    public RelayConfig withQuicThreads(int n) {
        return new RelayConfig(serverBind, tlsCert, tlsKey, tlsGenerate, webHttpListen, auth, lingerMillis,
                clusterId, tcpBind, tlsRoot, internalListen, cache, webHttps, quic, clusterTier, unix, n);
    }

    /** The event-loop threads to run: {@link #quicThreads}, or one per available core when 0. */
    public int effectiveQuicThreads() {
        return quicThreads > 0 ? quicThreads : Runtime.getRuntime().availableProcessors();
    }

    /** A development relay on {@code bind} with a generated certificate and everything public. */
    public static RelayConfig development(InetSocketAddress bind, InetSocketAddress web) {
        return new RelayConfig(bind, null, null, List.of("localhost", "127.0.0.1", "::1"), web, AuthConfig.publicOnly(List.of("")),
                DEFAULT_LINGER_MILLIS, 0, null, null);
    }
}
