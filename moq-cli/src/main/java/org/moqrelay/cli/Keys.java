package org.moqrelay.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Every setting of the reference relay (relay.md §9; {@code rs/moq-relay/src/config.rs} and the
 * structs it flattens): the TOML key, its flags and its environment variable.
 *
 * <p>{@link #SUPPORTED} are the ones this relay implements ({@link Settings} reads them). {@link
 * #UNSUPPORTED} belong to features it does not have yet: giving one in the file, the environment or
 * on the command line stops start-up with "... is not supported yet (feature)", never "unknown key".
 * A few of them are on/off switches whose "off" value ({@link Unsupported#off}) is what this relay
 * does anyway ({@code web.ws = true}, {@code stats.enabled = false}, ...); that value is accepted.
 * Anything in the file that is in neither list is an unknown key.
 */
final class Keys {
    private Keys() {}

    /** A key this relay reads. {@code flags} and {@code env} may be empty / null for file-only keys. */
    record Supported(String key, List<String> flags, String env) {}

    /**
     * A key of a feature this relay lacks.
     *
     * @param key     the TOML key
     * @param flags   its flags (the first is the canonical one; the rest are the reference's aliases)
     * @param env     its environment variable, or null
     * @param feature what is missing, for the message
     * @param off     the one value that is accepted because it is what this relay does anyway, or null
     * @param bool    whether the flag's value is optional ({@code --stats-enabled} = {@code --stats-enabled=true})
     */
    record Unsupported(String key, List<String> flags, String env, String feature, String off, boolean bool) {}

    /** Supported flags whose value is optional: a bare flag means {@code true} (the reference's require_equals). */
    static final List<String> BOOL_FLAGS = List.of("--server-quic-gso", "--server-quic-mtu-discovery");

    static final List<Supported> SUPPORTED = List.of(
            new Supported("log.level", List.of("--log-level"), "MOQ_LOG_LEVEL"),
            new Supported("server.bind", List.of("--server-bind", "--listen"), "MOQ_SERVER_BIND"),
            new Supported("server.listen", List.of(), null), // serde alias of server.bind
            new Supported("server.tls.cert", List.of("--tls-cert"), "MOQ_SERVER_TLS_CERT"),
            new Supported("server.tls.key", List.of("--tls-key"), "MOQ_SERVER_TLS_KEY"),
            new Supported("server.tls.generate", List.of("--tls-generate"), "MOQ_SERVER_TLS_GENERATE"),
            new Supported("server.tls.root", List.of("--server-tls-root"), "MOQ_SERVER_TLS_ROOT"),
            new Supported("server.tcp.bind", List.of("--server-tcp-bind"), "MOQ_SERVER_TCP_BIND"),
            new Supported("server.unix.bind", List.of("--server-unix-bind"), "MOQ_SERVER_UNIX_BIND"),
            new Supported("server.unix.allow.uid", List.of("--server-unix-allow-uid"), "MOQ_SERVER_UNIX_ALLOW_UID"),
            new Supported("server.unix.allow.gid", List.of("--server-unix-allow-gid"), "MOQ_SERVER_UNIX_ALLOW_GID"),
            new Supported("server.unix.allow.pid", List.of("--server-unix-allow-pid"), "MOQ_SERVER_UNIX_ALLOW_PID"),
            new Supported("web.http.listen", List.of("--web-http-listen"), "MOQ_WEB_HTTP_LISTEN"),
            new Supported("auth.key", List.of("--auth-key"), "MOQ_AUTH_KEY"),
            new Supported("auth.key_dir", List.of("--auth-key-dir"), "MOQ_AUTH_KEY_DIR"),
            new Supported("auth.public", List.of("--auth-public"), "MOQ_AUTH_PUBLIC"),
            // [auth.public] subscribe / publish. The flags add to whatever auth.public gives, as in the reference.
            new Supported("auth.public.subscribe", List.of("--auth-public-subscribe"), "MOQ_AUTH_PUBLIC_SUBSCRIBE"),
            new Supported("auth.public.publish", List.of("--auth-public-publish"), "MOQ_AUTH_PUBLIC_PUBLISH"),
            new Supported("auth.auth_api", List.of("--auth-api"), "MOQ_AUTH_API"),
            new Supported("auth.domains", List.of("--auth-domain"), "MOQ_AUTH_DOMAIN"),
            new Supported("auth.mtls_tier", List.of("--auth-mtls-tier"), "MOQ_AUTH_MTLS_TIER"),
            new Supported("cluster.id", List.of("--cluster-id"), "MOQ_CLUSTER_ID"),
            new Supported("cluster.linger", List.of("--cluster-linger"), "MOQ_CLUSTER_LINGER"),
            // Only for this relay's own cluster dials, which it does not make yet (cluster.connect is unsupported).
            new Supported("cluster.tier", List.of("--cluster-tier"), "MOQ_CLUSTER_TIER"),
            new Supported("internal.listen", List.of("--internal-listen"), "MOQ_INTERNAL_LISTEN"),
            new Supported("web.https.listen", List.of("--web-https-listen"), "MOQ_WEB_HTTPS_LISTEN"),
            new Supported("web.https.cert", List.of("--web-https-cert"), "MOQ_WEB_HTTPS_CERT"),
            new Supported("web.https.key", List.of("--web-https-key"), "MOQ_WEB_HTTPS_KEY"),
            new Supported("web.https.root", List.of("--web-https-root"), "MOQ_WEB_HTTPS_ROOT"),
            new Supported("cache.capacity", List.of("--cache-capacity"), "MOQ_CACHE_CAPACITY"),
            new Supported("cache.headroom", List.of("--cache-headroom"), "MOQ_CACHE_HEADROOM"),
            new Supported("cache.duration", List.of("--cache-duration"), "MOQ_CACHE_DURATION"),
            new Supported("server.quic.congestion_control", List.of("--server-quic-congestion-control"),
                    "MOQ_SERVER_QUIC_CONGESTION_CONTROL"),
            new Supported("server.quic.gso", List.of("--server-quic-gso"), "MOQ_SERVER_QUIC_GSO"),
            new Supported("server.quic.mtu_discovery", List.of("--server-quic-mtu-discovery"), "MOQ_SERVER_QUIC_MTU_DISCOVERY"),
            new Supported("server.quic.max_streams", List.of("--server-quic-max-streams", "--server-max-streams"),
                    "MOQ_SERVER_QUIC_MAX_STREAMS"),
            new Supported("server.quic.idle_timeout", List.of("--server-quic-idle-timeout"), "MOQ_SERVER_QUIC_IDLE_TIMEOUT"),
            // Ours, not the reference's (quinn spreads work over its own runtime): event loops / UDP sockets.
            new Supported("server.quic.threads", List.of("--server-quic-threads"), "MOQ_SERVER_QUIC_THREADS"),
            // The reference deserializes its own positional `file` argument from TOML too; it means nothing there.
            new Supported("file", List.of(), null));

    /** Tables that may appear in the file (their keys are checked one by one). */
    static final Set<String> TABLES = Set.of(
            "log", "server", "server.tls", "server.tcp", "server.quic", "server.unix", "server.unix.allow",
            "client", "client.quic", "client.tls", "client.backoff", "client.websocket",
            "web", "web.http", "web.https", "internal", "auth", "auth.public", "auth.tls",
            "cluster", "cache", "stats", "iroh");

    private static final String QUIC = "QUIC transport tuning";
    private static final String CLIENT = "outbound client settings for cluster dials";
    private static final String CLUSTER = "clustering";
    private static final String STATS = "stats broadcasts";
    private static final String IROH = "iroh P2P";
    private static final String AUTH_TLS = "TLS settings for auth HTTP fetches";

    static final List<Unsupported> UNSUPPORTED;

    static {
        List<Unsupported> u = new ArrayList<>();
        u.add(value("server.backend", QUIC + " (backend choice)", "--server-backend"));
        u.add(value("server.version", "restricting MoQ versions", "--server-version"));
        u.add(value("server.quic.keep_alive", QUIC, "--server-quic-keep-alive"));
        u.add(value("server.quic.preferred_v4", QUIC, "MOQ_SERVER_PREFERRED_V4", "--server-preferred-v4"));
        u.add(value("server.quic.preferred_v6", QUIC, "MOQ_SERVER_PREFERRED_V6", "--server-preferred-v6"));
        u.add(value("server.quic.quic_lb_id", QUIC, "MOQ_SERVER_QUIC_LB_ID", "--server-quic-lb-id"));
        u.add(value("server.quic.quic_lb_nonce", QUIC, "MOQ_SERVER_QUIC_LB_NONCE", "--server-quic-lb-nonce"));
        u.add(value("server.quic.qlog", QUIC, "--server-quic-qlog"));

        u.add(value("client.connect", CLIENT, "--client-connect"));
        u.add(value("client.bind", CLIENT, "--client-bind"));
        u.add(value("client.backend", CLIENT, "--client-backend"));
        u.add(value("client.failover_delay", CLIENT, "--client-failover-delay"));
        u.add(value("client.resolution_delay", CLIENT, "--client-resolution-delay"));
        u.add(value("client.timeout", CLIENT, "MOQ_CLIENT_CONNECT_TIMEOUT", "--client-connect-timeout"));
        u.add(value("client.version", CLIENT, "--client-version"));
        u.add(value("client.quic.max_streams", CLIENT, "--client-quic-max-streams", "--client-max-streams"));
        u.add(bool("client.quic.gso", CLIENT, null, "--client-quic-gso"));
        u.add(value("client.quic.idle_timeout", CLIENT, "--client-quic-idle-timeout"));
        u.add(value("client.quic.keep_alive", CLIENT, "--client-quic-keep-alive"));
        u.add(bool("client.quic.mtu_discovery", CLIENT, null, "--client-quic-mtu-discovery"));
        u.add(value("client.quic.congestion_control", CLIENT, "--client-quic-congestion-control"));
        u.add(value("client.quic.qlog", CLIENT, "--client-quic-qlog"));
        u.add(value("client.tls.root", CLIENT, "--client-tls-root", "--tls-root"));
        u.add(bool("client.tls.system_roots", CLIENT, null, "--client-tls-system-roots", "--tls-system-roots"));
        u.add(value("client.tls.fingerprint", CLIENT, "--client-tls-fingerprint", "--tls-fingerprint"));
        u.add(value("client.tls.cert", CLIENT, "--client-tls-cert"));
        u.add(value("client.tls.key", CLIENT, "--client-tls-key"));
        u.add(bool("client.tls.disable_verify", CLIENT, null, "--client-tls-disable-verify", "--tls-disable-verify"));
        u.add(value("client.tls.host_name", CLIENT, "--client-tls-host-name"));
        u.add(value("client.backoff.initial", CLIENT, "MOQ_BACKOFF_INITIAL", "--backoff-initial"));
        u.add(value("client.backoff.multiplier", CLIENT, "MOQ_BACKOFF_MULTIPLIER", "--backoff-multiplier"));
        u.add(value("client.backoff.max", CLIENT, "MOQ_BACKOFF_MAX", "--backoff-max"));
        u.add(value("client.backoff.timeout", CLIENT, "MOQ_BACKOFF_TIMEOUT", "--backoff-timeout"));
        u.add(value("client.websocket.enabled", CLIENT, "MOQ_CLIENT_WEBSOCKET_ENABLED", "--websocket-enabled"));
        u.add(value("client.websocket.delay", CLIENT, "MOQ_CLIENT_WEBSOCKET_DELAY", "--websocket-delay"));

        // WebSocket is always served on web.http.listen: "true" is accepted, "false" is not.
        u.add(bool("web.ws", "turning WebSocket off; it is always on", "true", "--web-ws"));

        u.add(value("auth.public.api", "public access API", "--auth-public-api"));
        u.add(value("auth.tls.root", AUTH_TLS, "--auth-tls-root"));
        u.add(value("auth.tls.cert", AUTH_TLS, "--auth-tls-cert"));
        u.add(value("auth.tls.key", AUTH_TLS, "--auth-tls-key"));
        u.add(bool("auth.tls.disable_verify", AUTH_TLS, null, "--auth-tls-disable-verify"));

        u.add(value("cluster.connect", CLUSTER, "--cluster-connect"));
        u.add(value("cluster.connect_api", CLUSTER, "--cluster-connect-api"));
        u.add(value("cluster.node", CLUSTER, "--cluster-node"));
        u.add(bool("cluster.mesh", CLUSTER, "false", "--cluster-mesh"));
        u.add(value("cluster.token", CLUSTER, "--cluster-token"));

        u.add(bool("stats.enabled", STATS, "false", "--stats-enabled"));
        u.add(value("stats.prefix", STATS, "--stats-prefix"));
        u.add(value("stats.interval", STATS, "--stats-interval"));
        u.add(value("stats.node", STATS, "--stats-node"));
        u.add(value("stats.depth", STATS, "--stats-depth"));

        u.add(bool("iroh.enabled", IROH, "false", "--iroh-enabled"));
        u.add(value("iroh.secret", IROH, "--iroh-secret"));
        u.add(value("iroh.bind_v4", IROH, "--iroh-bind-v4"));
        u.add(value("iroh.bind_v6", IROH, "--iroh-bind-v6"));
        u.add(bool("iroh.disable_relay", IROH, null, "--iroh-disable-relay"));
        UNSUPPORTED = Collections.unmodifiableList(u);
    }

    /** A valued setting; its environment variable is MOQ_ + the first flag, unless given ("MOQ_..." as 3rd arg). */
    private static Unsupported value(String key, String feature, String... envAndFlags) {
        return make(key, feature, null, false, envAndFlags);
    }

    private static Unsupported bool(String key, String feature, String off, String... flags) {
        return make(key, feature, off, true, flags);
    }

    private static Unsupported make(String key, String feature, String off, boolean bool, String... envAndFlags) {
        List<String> flags = new ArrayList<>(List.of(envAndFlags));
        String env = flags.get(0).startsWith("MOQ_") ? flags.remove(0) : envOf(flags.get(0));
        return new Unsupported(key, List.copyOf(flags), env, feature, off, bool);
    }

    /** {@code --server-quic-gso} → {@code MOQ_SERVER_QUIC_GSO} (the reference's convention). */
    private static String envOf(String flag) {
        return "MOQ_" + flag.substring(2).replace('-', '_').toUpperCase(java.util.Locale.ROOT);
    }

    static Unsupported unsupported(String key) {
        for (Unsupported u : UNSUPPORTED) if (u.key.equals(key)) return u;
        return null;
    }

    static boolean supported(String key) {
        for (Supported s : SUPPORTED) if (s.key.equals(key)) return true;
        return false;
    }
}
