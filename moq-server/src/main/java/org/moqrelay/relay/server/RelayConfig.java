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
 * @param timeouts      how long the TCP listeners wait for a request or a qmux handshake; null = the defaults
 */
public record RelayConfig(InetSocketAddress serverBind, Path tlsCert, Path tlsKey, List<String> tlsGenerate,
                          InetSocketAddress webHttpListen, AuthConfig auth, long lingerMillis, long clusterId,
                          InetSocketAddress tcpBind, Path tlsRoot, InetSocketAddress internalListen, CacheConfig cache,
                          WebHttpsConfig webHttps, QuicTransportConfig quic, String clusterTier,
                          UnixSocketConfig unix, int quicThreads, TimeoutConfig timeouts) {
    public static final long DEFAULT_LINGER_MILLIS = 5_000;
    /** {@link #quicThreads} limit: the connection-id router addresses sockets with 16 bits; far fewer is sane. */
    public static final int MAX_QUIC_THREADS = 1024;

    /** A config without the internal ops listener. */
    public RelayConfig(InetSocketAddress serverBind, Path tlsCert, Path tlsKey, List<String> tlsGenerate,
                       InetSocketAddress webHttpListen, AuthConfig auth, long lingerMillis, long clusterId,
                       InetSocketAddress tcpBind, Path tlsRoot) {
        this(serverBind, tlsCert, tlsKey, tlsGenerate, webHttpListen, auth, lingerMillis, clusterId, tcpBind, tlsRoot, null,
                CacheConfig.UNLIMITED, null, null, null, null, 0, null);
    }

    public RelayConfig {
        Objects.requireNonNull(serverBind, "serverBind");
        tlsGenerate = tlsGenerate == null ? List.of() : List.copyOf(tlsGenerate);
        if (auth == null) auth = AuthConfig.NONE;
        if (cache == null) cache = CacheConfig.UNLIMITED;
        if (quic == null) quic = QuicTransportConfig.DEFAULT;
        if (timeouts == null) timeouts = TimeoutConfig.DEFAULT;
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
        return toBuilder().tcpBind(bind).build();
    }

    /** This config with {@code auth}. */
    public RelayConfig withAuth(AuthConfig a) {
        return toBuilder().auth(a).build();
    }

    /** This config accepting client certificates that chain to the CAs in {@code rootPem}. */
    public RelayConfig withTlsRoot(Path rootPem) {
        return toBuilder().tlsRoot(rootPem).build();
    }

    /** This config with the internal ops listener ({@code --internal-listen}) on {@code listen}; null disables it. */
    public RelayConfig withInternalListen(InetSocketAddress listen) {
        return toBuilder().internalListen(listen).build();
    }

    /** This config with the cache budget {@code c}. */
    public RelayConfig withCache(CacheConfig c) {
        return toBuilder().cache(c).build();
    }

    /** This config with an HTTPS / WSS listener. */
    public RelayConfig withWebHttps(WebHttpsConfig h) {
        return toBuilder().webHttps(h).build();
    }

    /** This config with QUIC transport settings {@code q}. */
    public RelayConfig withQuic(QuicTransportConfig q) {
        return toBuilder().quic(q).build();
    }

    /** This config with {@code cluster.tier} set to {@code tier}. */
    public RelayConfig withClusterTier(String tier) {
        return toBuilder().clusterTier(tier).build();
    }

    /** This config with the qmux listener on a Unix socket {@code u} (null: none). */
    public RelayConfig withUnix(UnixSocketConfig u) {
        return toBuilder().unix(u).build();
    }

    /** This config with the listeners' {@code timeouts}. */
    public RelayConfig withTimeouts(TimeoutConfig t) {
        return toBuilder().timeouts(t).build();
    }

    /** This config with {@code n} event-loop threads and QUIC sockets; 0 = one per core. */
    public RelayConfig withQuicThreads(int n) {
        return toBuilder().quicThreads(n).build();
    }

    /** The event-loop threads to run: {@link #quicThreads}, or one per available core when 0. */
    public int effectiveQuicThreads() {
        return quicThreads > 0 ? quicThreads : Runtime.getRuntime().availableProcessors();
    }

    /** A development relay on {@code bind} with a generated certificate and everything public. */
    public static RelayConfig development(InetSocketAddress bind, InetSocketAddress web) {
        return builder(bind).tlsGenerate(List.of("localhost", "127.0.0.1", "::1")).webHttpListen(web)
                .auth(AuthConfig.publicOnly(List.of(""))).build();
    }

    /**
     * A builder for a relay on {@code serverBind}. Unset components are null or 0, as the canonical constructor
     * takes them, except {@code lingerMillis}, which starts at {@link #DEFAULT_LINGER_MILLIS}.
     */
    public static Builder builder(InetSocketAddress serverBind) {
        return new Builder(serverBind);
    }

    /** A builder holding every component of this config. */
    public Builder toBuilder() {
        return new Builder(serverBind).tlsCert(tlsCert).tlsKey(tlsKey).tlsGenerate(tlsGenerate).webHttpListen(webHttpListen)
                .auth(auth).lingerMillis(lingerMillis).clusterId(clusterId).tcpBind(tcpBind).tlsRoot(tlsRoot)
                .internalListen(internalListen).cache(cache).webHttps(webHttps).quic(quic).clusterTier(clusterTier)
                .unix(unix).quicThreads(quicThreads).timeouts(timeouts);
    }

    /** Mutable, one setter per component; {@link #build()} validates through the canonical constructor. */
    public static final class Builder {
        private InetSocketAddress serverBind;
        private Path tlsCert;
        private Path tlsKey;
        private List<String> tlsGenerate;
        private InetSocketAddress webHttpListen;
        private AuthConfig auth;
        private long lingerMillis = DEFAULT_LINGER_MILLIS;
        private long clusterId;
        private InetSocketAddress tcpBind;
        private Path tlsRoot;
        private InetSocketAddress internalListen;
        private CacheConfig cache;
        private WebHttpsConfig webHttps;
        private QuicTransportConfig quic;
        private String clusterTier;
        private UnixSocketConfig unix;
        private int quicThreads;
        private TimeoutConfig timeouts;

        private Builder(InetSocketAddress serverBind) {
            this.serverBind = serverBind;
        }

        public Builder serverBind(InetSocketAddress serverBind) {
            this.serverBind = serverBind;
            return this;
        }

        public Builder tlsCert(Path tlsCert) {
            this.tlsCert = tlsCert;
            return this;
        }

        public Builder tlsKey(Path tlsKey) {
            this.tlsKey = tlsKey;
            return this;
        }

        public Builder tlsGenerate(List<String> tlsGenerate) {
            this.tlsGenerate = tlsGenerate;
            return this;
        }

        public Builder webHttpListen(InetSocketAddress webHttpListen) {
            this.webHttpListen = webHttpListen;
            return this;
        }

        public Builder auth(AuthConfig auth) {
            this.auth = auth;
            return this;
        }

        public Builder lingerMillis(long lingerMillis) {
            this.lingerMillis = lingerMillis;
            return this;
        }

        public Builder clusterId(long clusterId) {
            this.clusterId = clusterId;
            return this;
        }

        public Builder tcpBind(InetSocketAddress tcpBind) {
            this.tcpBind = tcpBind;
            return this;
        }

        public Builder tlsRoot(Path tlsRoot) {
            this.tlsRoot = tlsRoot;
            return this;
        }

        public Builder internalListen(InetSocketAddress internalListen) {
            this.internalListen = internalListen;
            return this;
        }

        public Builder cache(CacheConfig cache) {
            this.cache = cache;
            return this;
        }

        public Builder webHttps(WebHttpsConfig webHttps) {
            this.webHttps = webHttps;
            return this;
        }

        public Builder quic(QuicTransportConfig quic) {
            this.quic = quic;
            return this;
        }

        public Builder clusterTier(String clusterTier) {
            this.clusterTier = clusterTier;
            return this;
        }

        public Builder unix(UnixSocketConfig unix) {
            this.unix = unix;
            return this;
        }

        public Builder quicThreads(int quicThreads) {
            this.quicThreads = quicThreads;
            return this;
        }

        public Builder timeouts(TimeoutConfig timeouts) {
            this.timeouts = timeouts;
            return this;
        }

        /** The config; {@link IllegalArgumentException} or {@link NullPointerException} as the canonical constructor throws. */
        public RelayConfig build() {
            return new RelayConfig(serverBind, tlsCert, tlsKey, tlsGenerate, webHttpListen, auth, lingerMillis, clusterId,
                    tcpBind, tlsRoot, internalListen, cache, webHttps, quic, clusterTier, unix, quicThreads, timeouts);
        }
    }
}
