package org.moqrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.moqrelay.relay.server.RelayConfig;
import org.moqrelay.transport.quic.QuicTransportConfig;

/** {@link Settings}: every supported key through file, flag and variable; precedence; errors. */
class SettingsTest {
    /** What a file needs besides the key under test: a certificate and some way in. */
    private static final String TLS = "server.tls.generate = [\"localhost\"]";
    private static final String AUTH = "auth.public = \"anon\"";
    /** QUIC, which a Unix-socket listener needs beside it (a relay without QUIC is not supported yet). */
    private static final String BIND = "server.bind = \"[::]:4443\"";
    private static final String UNIX = "server.unix.bind = \"relay.sock\"";

    @TempDir
    Path dir;

    private int files;

    private Path toml(String... lines) throws IOException {
        Path p = dir.resolve("relay" + (files++) + ".toml");
        Files.writeString(p, String.join("\n", lines) + "\n");
        return p;
    }

    private static Settings.Loaded load(Path file, Map<String, String> env, String... args) {
        return Settings.load(file, RelayCommand.parse(env, args), env);
    }

    private static RelayConfig relay(Path file, Map<String, String> env, String... args) {
        return load(file, env, args).relay();
    }

    private static RelayConfig relay(Path file, String... args) {
        return relay(file, Map.of(), args);
    }

    private static InetSocketAddress addr(String host, int port) {
        return new InetSocketAddress(host, port);
    }

    // ---------------------------------------------------------------------------------------------
    // Every supported key through the file, its flag and its variable, and their precedence.

    /**
     * One supported setting.
     *
     * @param file  file lines setting it (dotted keys), giving value A
     * @param flags flags setting it to value B
     * @param env   variables setting it to value C
     * @param base  what else the file needs (TLS, AUTH)
     * @param get   reads the setting back
     * @param a     value A
     * @param b     value B
     * @param c     value C
     */
    record Case(String name, List<String> file, List<String> flags, Map<String, String> env, List<String> base,
                Function<Settings.Loaded, Object> get, Object a, Object b, Object c) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        List<String> both = List.of(TLS, AUTH);
        return Stream.of(
                new Case("log.level", List.of("log.level = \"debug\""), List.of("--log-level", "WARN"),
                        Map.of("MOQ_LOG_LEVEL", "trace"), both, Settings.Loaded::logLevel, Level.DEBUG, Level.WARN, Level.TRACE),
                new Case("server.bind", List.of("server.bind = \"127.0.0.1:4001\""), List.of("--server-bind", "127.0.0.1:4002"),
                        Map.of("MOQ_SERVER_BIND", "[::1]:4003"), both, l -> l.relay().serverBind(),
                        addr("127.0.0.1", 4001), addr("127.0.0.1", 4002), addr("::1", 4003)),
                new Case("server.listen (alias), --listen (alias)", List.of("server.listen = \":4001\""), List.of("--listen", "127.0.0.1:4002"),
                        Map.of("MOQ_SERVER_BIND", "127.0.0.1:4003"), both, l -> l.relay().serverBind(),
                        addr("::", 4001), addr("127.0.0.1", 4002), addr("127.0.0.1", 4003)),
                new Case("server.tls.cert", List.of("server.tls.cert = \"a.crt\"", "server.tls.key = \"a.key\""),
                        List.of("--tls-cert", "b.crt", "--tls-key", "b.key"),
                        Map.of("MOQ_SERVER_TLS_CERT", "c.crt", "MOQ_SERVER_TLS_KEY", "c.key"), List.of(AUTH),
                        l -> l.relay().tlsCert(), Path.of("a.crt"), Path.of("b.crt"), Path.of("c.crt")),
                new Case("server.tls.key (array form)", List.of("server.tls.cert = [\"a.crt\"]", "server.tls.key = [\"a.key\"]"),
                        List.of("--tls-cert", "b.crt", "--tls-key", "b.key"),
                        Map.of("MOQ_SERVER_TLS_CERT", "c.crt", "MOQ_SERVER_TLS_KEY", "c.key"), List.of(AUTH),
                        l -> l.relay().tlsKey(), Path.of("a.key"), Path.of("b.key"), Path.of("c.key")),
                new Case("server.tls.generate", List.of("server.tls.generate = [\"a\", \"a2\"]"), List.of("--tls-generate", "b,b2"),
                        Map.of("MOQ_SERVER_TLS_GENERATE", "c,c2"), List.of(AUTH), l -> l.relay().tlsGenerate(),
                        List.of("a", "a2"), List.of("b", "b2"), List.of("c", "c2")),
                new Case("server.tls.generate (string form)", List.of("server.tls.generate = \"a\""),
                        List.of("--tls-generate", "b", "--tls-generate", "b2"),
                        Map.of("MOQ_SERVER_TLS_GENERATE", "c"), List.of(AUTH), l -> l.relay().tlsGenerate(),
                        List.of("a"), List.of("b", "b2"), List.of("c")),
                new Case("server.tls.root", List.of("server.tls.root = \"a.pem\""), List.of("--server-tls-root", "b.pem"),
                        Map.of("MOQ_SERVER_TLS_ROOT", "c.pem"), both, l -> l.relay().tlsRoot(),
                        Path.of("a.pem"), Path.of("b.pem"), Path.of("c.pem")),
                new Case("server.tcp.bind", List.of("server.tcp.bind = \"127.0.0.1:5001\""), List.of("--server-tcp-bind", "127.0.0.1:5002"),
                        Map.of("MOQ_SERVER_TCP_BIND", "127.0.0.1:5003"), List.of(TLS, AUTH, "server.bind = \"[::]:4443\""),
                        l -> l.relay().tcpBind(),
                        addr("127.0.0.1", 5001), addr("127.0.0.1", 5002), addr("127.0.0.1", 5003)),
                new Case("server.unix.bind", List.of("server.unix.bind = \"/run/a.sock\""), List.of("--server-unix-bind", "/run/b.sock"),
                        Map.of("MOQ_SERVER_UNIX_BIND", "c.sock"), List.of(TLS, AUTH, BIND), l -> l.relay().unix().bind(),
                        Path.of("/run/a.sock"), Path.of("/run/b.sock"), Path.of("c.sock")),
                new Case("server.unix.allow.uid", List.of("[server.unix.allow]", "uid = [1000, 4294967295]"),
                        List.of("--server-unix-allow-uid", "2000", "--server-unix-allow-uid", "2001"),
                        Map.of("MOQ_SERVER_UNIX_ALLOW_UID", "3000,3001"), List.of(TLS, AUTH, BIND, UNIX),
                        l -> l.relay().unix().allow().uids(), List.of(1000L, 4294967295L), List.of(2000L, 2001L), List.of(3000L, 3001L)),
                new Case("server.unix.allow.gid", List.of("server.unix.allow.gid = [0]"), List.of("--server-unix-allow-gid", "5,6"),
                        Map.of("MOQ_SERVER_UNIX_ALLOW_GID", "7"), List.of(TLS, AUTH, BIND, UNIX),
                        l -> l.relay().unix().allow().gids(), List.of(0L), List.of(5L, 6L), List.of(7L)),
                new Case("server.unix.allow.pid", List.of("server.unix.allow.pid = []"), List.of("--server-unix-allow-pid", "42"),
                        Map.of("MOQ_SERVER_UNIX_ALLOW_PID", "43, 44"), List.of(TLS, AUTH, BIND, UNIX),
                        l -> l.relay().unix().allow().pids(), List.of(), List.of(42), List.of(43, 44)),
                new Case("web.http.listen", List.of("web.http.listen = \"127.0.0.1:6001\""), List.of("--web-http-listen", "127.0.0.1:6002"),
                        Map.of("MOQ_WEB_HTTP_LISTEN", "[::]:6003"), both, l -> l.relay().webHttpListen(),
                        addr("127.0.0.1", 6001), addr("127.0.0.1", 6002), addr("::", 6003)),
                new Case("auth.key", List.of("auth.key = \"a.jwk\""), List.of("--auth-key", "https://keys.example/b.jwk"),
                        Map.of("MOQ_AUTH_KEY", "c.jwk"), List.of(TLS), l -> l.relay().auth().key(),
                        "a.jwk", "https://keys.example/b.jwk", "c.jwk"),
                new Case("auth.key_dir", List.of("auth.key_dir = \"a\""), List.of("--auth-key-dir", "b"),
                        Map.of("MOQ_AUTH_KEY_DIR", "c"), List.of(TLS), l -> l.relay().auth().keyDir(), "a", "b", "c"),
                new Case("auth.public (subscribe side)", List.of("auth.public = [\"a\", \"a2\"]"),
                        List.of("--auth-public", "b", "--auth-public", "b2"),
                        Map.of("MOQ_AUTH_PUBLIC", "c,c2"), List.of(TLS), l -> l.relay().auth().publicSubscribe(),
                        List.of("a", "a2"), List.of("b", "b2"), List.of("c,c2")),
                new Case("auth.public (publish side)", List.of("auth.public = \"a\""), List.of("--auth-public", "b"),
                        Map.of("MOQ_AUTH_PUBLIC", ""), List.of(TLS), l -> l.relay().auth().publicPublish(),
                        List.of("a"), List.of("b"), List.of("")),
                new Case("auth.auth_api", List.of("auth.auth_api = \"https://a.example/auth\""),
                        List.of("--auth-api", "http://127.0.0.1:8080/b?region=eu"), Map.of("MOQ_AUTH_API", "https://c.example/"),
                        List.of(TLS), l -> l.relay().auth().authApi(),
                        "https://a.example/auth", "http://127.0.0.1:8080/b?region=eu", "https://c.example/"),
                new Case("auth.domains", List.of("auth.domains = [\"a.example\", \"a2.example\"]"),
                        List.of("--auth-domain", "b.example", "--auth-domain", "b2.example"), Map.of("MOQ_AUTH_DOMAIN", "c.example"),
                        both, l -> l.relay().auth().domains(),
                        List.of("a.example", "a2.example"), List.of("b.example", "b2.example"), List.of("c.example")),
                new Case("auth.domains (string form)", List.of("auth.domains = \"a.example\""),
                        List.of("--auth-domain", "b.example"), Map.of("MOQ_AUTH_DOMAIN", "c.example,c2.example"),
                        List.of(TLS, "auth.key = \"k.jwk\""), l -> l.relay().auth().domains(),
                        List.of("a.example"), List.of("b.example"), List.of("c.example,c2.example")),
                new Case("auth.mtls_tier", List.of("auth.mtls_tier = \"edge\""), List.of("--auth-mtls-tier", "region/sjc"),
                        Map.of("MOQ_AUTH_MTLS_TIER", ""), both, l -> l.relay().auth().mtlsTier(), "edge", "region/sjc", ""),
                new Case("cluster.tier", List.of("cluster.tier = \"region\""), List.of("--cluster-tier", "peers"),
                        Map.of("MOQ_CLUSTER_TIER", "backbone"), both, l -> l.relay().clusterTier(), "region", "peers", "backbone"),
                new Case("cluster.id", List.of("cluster.id = 12345"), List.of("--cluster-id", "67890"),
                        Map.of("MOQ_CLUSTER_ID", "9007199254740991"), both, l -> l.relay().clusterId(),
                        12345L, 67890L, 9007199254740991L),
                new Case("cluster.linger", List.of("cluster.linger = \"30s\""), List.of("--cluster-linger", "500ms"),
                        Map.of("MOQ_CLUSTER_LINGER", "1m 30s"), both, l -> l.relay().lingerMillis(), 30_000L, 500L, 90_000L),
                new Case("internal.listen", List.of("[internal]", "listen = \"127.0.0.1:9001\""),
                        List.of("--internal-listen", "127.0.0.1:9002"), Map.of("MOQ_INTERNAL_LISTEN", "127.0.0.1:9003"), both,
                        l -> l.relay().internalListen().getPort(), 9001, 9002, 9003),
                new Case("cache.capacity", List.of("[cache]", "capacity = \"1MiB\""), List.of("--cache-capacity", "2MB"),
                        Map.of("MOQ_CACHE_CAPACITY", "4096"), both, l -> l.relay().cache().capacityBytes(),
                        1_048_576L, 2_000_000L, 4096L),
                new Case("web.https.listen", List.of("[web.https]", "listen = \"127.0.0.1:9443\""),
                        List.of("--web-https-listen", "127.0.0.1:9444"), Map.of("MOQ_WEB_HTTPS_LISTEN", "127.0.0.1:9445"), both,
                        l -> l.relay().webHttps().listen().getPort(), 9443, 9444, 9445),
                new Case("web.https.cert", List.of("[web.https]", "listen = \":1\"", "cert = \"a.pem\"", "key = \"a.key\""),
                        List.of("--web-https-listen", ":1", "--web-https-cert", "b.pem", "--web-https-key", "b.key"),
                        Map.of("MOQ_WEB_HTTPS_LISTEN", ":1", "MOQ_WEB_HTTPS_CERT", "c.pem", "MOQ_WEB_HTTPS_KEY", "c.key"), both,
                        l -> l.relay().webHttps().cert().toString(), "a.pem", "b.pem", "c.pem"),
                new Case("web.https.key", List.of("[web.https]", "listen = \":1\"", "cert = \"a.pem\"", "key = \"a.key\""),
                        List.of("--web-https-listen", ":1", "--web-https-cert", "b.pem", "--web-https-key", "b.key"),
                        Map.of("MOQ_WEB_HTTPS_LISTEN", ":1", "MOQ_WEB_HTTPS_CERT", "c.pem", "MOQ_WEB_HTTPS_KEY", "c.key"), both,
                        l -> l.relay().webHttps().key().toString(), "a.key", "b.key", "c.key"),
                new Case("web.https.root", List.of("[web.https]", "listen = \":1\"", "root = \"a.pem\""),
                        List.of("--web-https-listen", ":1", "--web-https-root", "b.pem,b2.pem"),
                        Map.of("MOQ_WEB_HTTPS_LISTEN", ":1", "MOQ_WEB_HTTPS_ROOT", "c.pem,c2.pem"), both,
                        l -> l.relay().webHttps().roots(), List.of(Path.of("a.pem")), List.of(Path.of("b.pem"), Path.of("b2.pem")),
                        List.of(Path.of("c.pem"), Path.of("c2.pem"))),
                new Case("web.https.root (array form)", List.of("[web.https]", "listen = \":1\"", "root = [\"a.pem\", \"a2.pem\"]"),
                        List.of("--web-https-listen", ":1", "--web-https-root", "b.pem", "--web-https-root", "b2.pem"),
                        Map.of("MOQ_WEB_HTTPS_LISTEN", ":1", "MOQ_WEB_HTTPS_ROOT", "c.pem"), both,
                        l -> l.relay().webHttps().roots(), List.of(Path.of("a.pem"), Path.of("a2.pem")),
                        List.of(Path.of("b.pem"), Path.of("b2.pem")), List.of(Path.of("c.pem"))),
                new Case("cache.headroom", List.of("[cache]", "headroom = \"2GiB\""), List.of("--cache-headroom", "512MB"),
                        Map.of("MOQ_CACHE_HEADROOM", "1.5 Ki"), both, l -> l.relay().cache().headroomBytes(),
                        2_147_483_648L, 512_000_000L, 1536L),
                new Case("cache.duration", List.of("[cache]", "duration = \"30s\""), List.of("--cache-duration", "2s"),
                        Map.of("MOQ_CACHE_DURATION", "1m"), both, l -> l.relay().cache().durationMillis(),
                        30_000L, 2_000L, 60_000L),
                new Case("server.quic.congestion_control", List.of("[server.quic]", "congestion_control = \"loss\""),
                        List.of("--server-quic-congestion-control", "delay"), Map.of("MOQ_SERVER_QUIC_CONGESTION_CONTROL", "LOSS"),
                        both, l -> l.relay().quic().congestionControl(), QuicTransportConfig.CongestionControl.LOSS,
                        QuicTransportConfig.CongestionControl.DELAY, QuicTransportConfig.CongestionControl.LOSS),
                new Case("server.quic.gso", List.of("[server.quic]", "gso = false"), List.of("--server-quic-gso"),
                        Map.of("MOQ_SERVER_QUIC_GSO", "false"), both, l -> l.relay().quic().gso(), false, true, false),
                new Case("server.quic.mtu_discovery", List.of("[server.quic]", "mtu_discovery = true"),
                        List.of("--server-quic-mtu-discovery=false"), Map.of("MOQ_SERVER_QUIC_MTU_DISCOVERY", "true"), both,
                        l -> l.relay().quic().mtuDiscovery(), true, false, true),
                new Case("server.quic.max_streams", List.of("[server.quic]", "max_streams = 100"),
                        List.of("--server-max-streams", "200"), Map.of("MOQ_SERVER_QUIC_MAX_STREAMS", "300"), both,
                        l -> l.relay().quic().maxStreams(), 100L, 200L, 300L),
                new Case("server.quic.idle_timeout", List.of("[server.quic]", "idle_timeout = \"10s\""),
                        List.of("--server-quic-idle-timeout", "1m"), Map.of("MOQ_SERVER_QUIC_IDLE_TIMEOUT", "500ms"), both,
                        l -> l.relay().quic().idleTimeout().toMillis(), 10_000L, 60_000L, 500L),
                new Case("server.quic.threads", List.of("[server.quic]", "threads = 3"), List.of("--server-quic-threads", "2"),
                        Map.of("MOQ_SERVER_QUIC_THREADS", "1"), both, l -> l.relay().quicThreads(), 3, 2, 1));
    }

    @Test
    void quicDefaultsAndBadValues() throws IOException {
        assertThat(load(toml(TLS, AUTH), Map.of()).relay().quic()).isEqualTo(QuicTransportConfig.DEFAULT);
        assertThatThrownBy(() -> load(toml(TLS, AUTH, "[server.quic]", "congestion_control = \"reno\""), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server.quic.congestion_control")
                .hasMessageContaining("line 4").hasMessageContaining("reno");
        assertThatThrownBy(() -> load(toml(TLS, AUTH, "[server.quic]", "gso = \"yes\""), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server.quic.gso").hasMessageContaining("boolean");
        assertThatThrownBy(() -> load(toml(TLS, AUTH), Map.of("MOQ_SERVER_QUIC_MAX_STREAMS", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("MOQ_SERVER_QUIC_MAX_STREAMS");
        assertThatThrownBy(() -> load(toml(TLS, AUTH), Map.of(), "--server-quic-idle-timeout", "0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--server-quic-idle-timeout");
        assertThat(load(toml(TLS, AUTH), Map.of()).relay().quicThreads()).as("0 = one per core").isZero();
        assertThatThrownBy(() -> load(toml(TLS, AUTH), Map.of(), "--server-quic-threads", "0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--server-quic-threads")
                .hasMessageContaining("expected 1 to 1024");
        assertThatThrownBy(() -> load(toml(TLS, AUTH, "[server.quic]", "threads = \"two\""), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server.quic.threads")
                .hasMessageContaining("integer");
        assertThatThrownBy(() -> load(toml(TLS, AUTH), Map.of("MOQ_SERVER_QUIC_THREADS", "x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("MOQ_SERVER_QUIC_THREADS");
    }

    private Path fileOf(Case c) throws IOException {
        List<String> lines = new ArrayList<>(c.base());
        lines.addAll(c.file());
        return toml(lines.toArray(String[]::new));
    }

    private Path baseOf(Case c) throws IOException {
        return toml(c.base().toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fromFile(Case c) throws IOException {
        assertThat(c.get().apply(load(fileOf(c), Map.of()))).isEqualTo(c.a());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fromFlag(Case c) throws IOException {
        assertThat(c.get().apply(load(baseOf(c), Map.of(), c.flags().toArray(String[]::new)))).isEqualTo(c.b());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fromEnv(Case c) throws IOException {
        assertThat(c.get().apply(load(baseOf(c), c.env()))).isEqualTo(c.c());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void flagBeatsEnvBeatsFile(Case c) throws IOException {
        Path file = fileOf(c);
        assertThat(c.get().apply(load(file, c.env(), c.flags().toArray(String[]::new)))).isEqualTo(c.b());
        assertThat(c.get().apply(load(file, c.env()))).isEqualTo(c.c());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void unsetFlagsAndOtherVariablesLeaveTheFileValue(Case c) throws IOException {
        // Flags and variables of *other* settings, and unrelated variables, change nothing here.
        Map<String, String> env = Map.of("MOQ_JAVA_OPTS", "-Xmx1g", "MOQ_NO_BUILD", "1", "PATH", "/bin");
        String[] other = c.name().startsWith("log") ? new String[] {"--cluster-linger", "1s"} : new String[] {"--log-level", "warn"};
        assertThat(c.get().apply(load(fileOf(c), env, other))).isEqualTo(c.a());
    }

    @Test
    void everySupportedKeyWithAFlagHasACase() {
        List<String> names = cases().map(Case::name).toList();
        for (Keys.Supported s : Keys.SUPPORTED) {
            if (s.flags().isEmpty() || s.key().startsWith("auth.public.")) continue; // tested below
            assertThat(names).as(s.key()).anyMatch(n -> n.startsWith(s.key()));
        }
    }

    @Test
    void defaults() throws IOException {
        Settings.Loaded l = load(toml(TLS, AUTH), Map.of());
        RelayConfig r = l.relay();
        assertThat(r.serverBind()).isEqualTo(addr("::", 443));
        assertThat(r.tlsCert()).isNull();
        assertThat(r.tlsRoot()).isNull();
        assertThat(r.webHttpListen()).isNull();
        assertThat(r.tcpBind()).isNull();
        assertThat(r.lingerMillis()).isEqualTo(5_000);
        assertThat(r.clusterId()).isZero(); // random
        assertThat(r.auth().key()).isNull();
        assertThat(r.auth().keyDir()).isNull();
        assertThat(r.cache()).isEqualTo(org.moqrelay.relay.server.CacheConfig.UNLIMITED);
        assertThat(r.cache().headroomBytes()).isZero(); // no governor
        assertThat(l.logLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void noFileAtAllFlagsAndVariablesOnly() {
        RelayConfig r = relay(null, Map.of("MOQ_AUTH_PUBLIC", ""), "--tls-generate", "localhost", "--server-bind", "127.0.0.1:4443");
        assertThat(r.serverBind()).isEqualTo(addr("127.0.0.1", 4443));
        assertThat(r.auth().publicSubscribe()).containsExactly("");
    }

    @Test
    void tablesAndDottedKeysAreTheSame() throws IOException {
        RelayConfig r = relay(toml("[server]", "bind = \"127.0.0.1:4443\"", "tls.generate = [\"localhost\"]",
                "[server.tcp]", "bind = \"127.0.0.1:4444\"", "[web.http]", "listen = \"127.0.0.1:4443\"",
                "[auth]", "public = \"\"", "[cluster]", "linger = \"0\"", "[log]", "level = \"ERROR\""));
        assertThat(r.serverBind()).isEqualTo(addr("127.0.0.1", 4443));
        assertThat(r.tcpBind()).isEqualTo(addr("127.0.0.1", 4444));
        assertThat(r.webHttpListen()).isEqualTo(addr("127.0.0.1", 4443));
        assertThat(r.lingerMillis()).isZero();
    }

    @Test
    void theReferencesOwnFileKeyIsIgnored() throws IOException {
        assertThat(relay(toml("file = \"other.toml\"", TLS, AUTH)).serverBind()).isEqualTo(addr("::", 443));
    }

    @Test
    void logLevelsAsTracingReadsThem() throws IOException {
        Path f = toml(TLS, AUTH);
        assertThat(load(f, Map.of(), "--log-level", "Error").logLevel()).isEqualTo(Level.ERROR);
        assertThat(load(f, Map.of(), "--log-level", "2").logLevel()).isEqualTo(Level.WARN);
        assertThat(load(f, Map.of(), "--log-level", "5").logLevel()).isEqualTo(Level.TRACE);
    }

    @Test
    void durationsAsHumantimeWritesThem() throws IOException {
        Path f = toml(TLS, AUTH);
        assertThat(relay(f, "--cluster-linger", "0").lingerMillis()).isZero();
        assertThat(relay(f, "--cluster-linger", "0s").lingerMillis()).isZero();
        assertThat(relay(f, "--cluster-linger", "2min").lingerMillis()).isEqualTo(120_000);
        assertThat(relay(f, "--cluster-linger", "1h 1ms").lingerMillis()).isEqualTo(3_600_001);
        assertThat(relay(f, "--cluster-linger", "1500us").lingerMillis()).isEqualTo(1);
    }

    @Test
    void sizesAsBytesizeReadsThem() throws IOException {
        Path f = toml(TLS, AUTH);
        for (String flag : List.of("--cache-capacity", "--cache-headroom")) {
            Function<String, Long> size = v -> {
                var c = relay(f, flag, v).cache();
                return flag.equals("--cache-capacity") ? c.capacityBytes() : c.headroomBytes();
            };
            assertThat(size.apply("1073741824")).isEqualTo(1L << 30);
            assertThat(size.apply("8GiB")).isEqualTo(8L << 30);
            assertThat(size.apply("8gi")).isEqualTo(8L << 30);
            assertThat(size.apply("512MB")).isEqualTo(512_000_000L);
            assertThat(size.apply("64k")).isEqualTo(64_000L);
            assertThat(size.apply("3 mib")).isEqualTo(3L << 20);
            assertThat(size.apply("1.5TB")).isEqualTo(1_500_000_000_000L);
            assertThat(size.apply("2P")).isEqualTo(2_000_000_000_000_000L);
            assertThat(size.apply("1PiB")).isEqualTo(1L << 50);
            // A share of the machine's memory (the container's limit when there is one).
            long total = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getTotalMemorySize();
            assertThat(size.apply("100%")).isEqualTo(total);
            assertThat(size.apply("10 %")).isBetween(total / 10 - 1, total / 10 + 1);
        }
    }

    @Test
    void badSizesNameTheFlagVariableOrKey() throws IOException {
        Path f = toml(TLS, AUTH);
        String expected = "(expected e.g. 536870912, 512MiB, 2GB or 25%)";
        fails(f, "--cache-headroom: bad size 'lots' " + expected, "--cache-headroom", "lots");
        fails(f, "--cache-headroom: bad size '5 parsecs' " + expected, "--cache-headroom", "5 parsecs");
        fails(f, "--cache-headroom: must be non-zero (leave it unset for no headroom)", "--cache-headroom", "0");
        fails(f, Map.of("MOQ_CACHE_HEADROOM", "150%"), "MOQ_CACHE_HEADROOM: memory percentage must be within (0, 100], got 150");
        fails(f, Map.of("MOQ_CACHE_HEADROOM", "0%"), "MOQ_CACHE_HEADROOM: memory percentage must be within (0, 100], got 0");
        fails(f, Map.of("MOQ_CACHE_CAPACITY", "-1"), "MOQ_CACHE_CAPACITY: bad size '-1' " + expected);
        fails(f, "--cache-capacity: bad size '99999999999PiB' " + expected, "--cache-capacity", "99999999999PiB");
        Path file = toml(TLS, AUTH, "[cache]", "headroom = 1024");
        fails(file, file + ": key 'cache.headroom' at line 4: expected a string, got the integer 1024");
        Path zero = toml(TLS, AUTH, "cache.headroom = \"0B\"");
        fails(zero, zero + ": key 'cache.headroom' at line 3: must be non-zero (leave it unset for no headroom)");
    }

    @Test
    void headroomAndCapacityTogether() throws IOException {
        var c = relay(toml(TLS, AUTH, "[cache]", "capacity = \"1GiB\"", "headroom = \"256MiB\"", "duration = \"10s\"")).cache();
        assertThat(c.capacityBytes()).isEqualTo(1L << 30);
        assertThat(c.headroomBytes()).isEqualTo(256L << 20);
        assertThat(c.durationMillis()).isEqualTo(10_000);
    }

    // ---------------------------------------------------------------------------------------------
    // auth.public: string, array, table; and the --auth-public-* flags.

    @Test
    void authPublicTable() throws IOException {
        RelayConfig r = relay(toml(TLS, "[auth.public]", "subscribe = [\"anon\", \"demo\"]", "publish = \"anon\""));
        assertThat(r.auth().publicSubscribe()).containsExactly("anon", "demo");
        assertThat(r.auth().publicPublish()).containsExactly("anon");
    }

    @Test
    void authPublicInlineTableWithOneRole() throws IOException {
        RelayConfig r = relay(toml(TLS, "[auth]", "public = { subscribe = \"watch\" }"));
        assertThat(r.auth().publicSubscribe()).containsExactly("watch");
        assertThat(r.auth().publicPublish()).isEmpty();
    }

    @Test
    void authPublicFlagReplacesTheFilesTable() throws IOException {
        Path f = toml(TLS, "[auth.public]", "subscribe = [\"anon\", \"demo\"]", "publish = [\"anon\"]");
        RelayConfig r = relay(f, "--auth-public", "x");
        assertThat(r.auth().publicSubscribe()).containsExactly("x");
        assertThat(r.auth().publicPublish()).containsExactly("x");
        r = relay(f, Map.of("MOQ_AUTH_PUBLIC", "y"));
        assertThat(r.auth().publicSubscribe()).containsExactly("y");
    }

    @Test
    void authPublicSubscribeAndPublishFlagsAddToTheFile() throws IOException {
        // As in the reference: these flags are extra prefixes, merged with auth.public.
        Path f = toml(TLS, "[auth.public]", "subscribe = [\"anon\"]", "publish = [\"anon\"]");
        RelayConfig r = relay(f, "--auth-public-subscribe", "demo", "--auth-public-publish", "up", "--auth-public-publish", "up2");
        assertThat(r.auth().publicSubscribe()).containsExactly("anon", "demo");
        assertThat(r.auth().publicPublish()).containsExactly("anon", "up", "up2");
        r = relay(f, Map.of("MOQ_AUTH_PUBLIC_SUBSCRIBE", "e1", "MOQ_AUTH_PUBLIC_PUBLISH", "e2"));
        assertThat(r.auth().publicSubscribe()).containsExactly("anon", "e1");
        assertThat(r.auth().publicPublish()).containsExactly("anon", "e2");
        // The flag beats its variable.
        r = relay(f, Map.of("MOQ_AUTH_PUBLIC_SUBSCRIBE", "e1"), "--auth-public-subscribe", "f1");
        assertThat(r.auth().publicSubscribe()).containsExactly("anon", "f1");
    }

    @Test
    void authPublicSubscribeOnlyIsEnoughAuth() throws IOException {
        RelayConfig r = relay(toml(TLS), "--auth-public-subscribe", "watch");
        assertThat(r.auth().publicSubscribe()).containsExactly("watch");
        assertThat(r.auth().publicPublish()).isEmpty();
    }

    @Test
    void emptyPublicTableOrArrayGrantsNothing() throws IOException {
        assertThat(relay(toml(TLS, "auth.key = \"k.jwk\"", "[auth.public]")).auth().publicSubscribe()).isEmpty();
        assertThat(relay(toml(TLS, "auth.key = \"k.jwk\"", "auth.public = []")).auth().publicPublish()).isEmpty();
    }

    @Test
    void mtlsAloneIsEnoughAuth() throws IOException {
        assertThat(relay(toml(TLS, "server.tls.root = \"ca.pem\"")).auth().publicSubscribe()).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------
    // auth.auth_api, auth.domains, the tiers.

    @Test
    void theAuthApiAloneIsEnoughAuthAndNothingElseIsSet() throws IOException {
        RelayConfig r = relay(toml(TLS, "[auth]", "auth_api = \"https://api.example/auth\"", "domains = [\"cdn.example\"]",
                "mtls_tier = \"peers\""));
        assertThat(r.auth().authApi()).isEqualTo("https://api.example/auth");
        assertThat(r.auth().key()).isNull();
        assertThat(r.auth().publicSubscribe()).isEmpty();
        assertThat(r.auth().domains()).containsExactly("cdn.example");
        assertThat(r.auth().mtlsTier()).isEqualTo("peers");
        assertThat(relay(toml(TLS), Map.of("MOQ_AUTH_API", "http://127.0.0.1:1/"), "--server-tls-root", "ca.pem").auth().authApi())
                .isEqualTo("http://127.0.0.1:1/");
    }

    @Test
    void theAuthApiExcludesKeysAndPublicPrefixesNamingWhereEachCameFrom() throws IOException {
        String prefix = "auth.auth_api cannot be combined with auth.key, auth.key_dir or auth.public (";
        Path key = toml(TLS, "auth.key = \"k.jwk\"", "auth.auth_api = \"https://api.example/\"");
        fails(key, prefix + key + ": key 'auth.auth_api' at line 3; " + key + ": key 'auth.key' at line 2)");
        Path pub = toml(TLS, AUTH);
        fails(pub, prefix + "--auth-api; " + pub + ": key 'auth.public' at line 2)", "--auth-api", "https://api.example/");
        fails(toml(TLS), Map.of("MOQ_AUTH_API", "https://api.example/", "MOQ_AUTH_KEY_DIR", "keys"),
                prefix + "MOQ_AUTH_API; MOQ_AUTH_KEY_DIR; --auth-public-subscribe)", "--auth-public-subscribe", "x");
        fails(toml(TLS), prefix + "--auth-api; --auth-public-publish)", "--auth-api", "https://api.example/", "--auth-public-publish", "x");
        // An empty auth.public is no public access, as in the reference.
        assertThat(relay(toml(TLS, "auth.public = []", "auth.auth_api = \"https://api.example/\"")).auth().authApi()).isNotNull();
    }

    @Test
    void theAuthApiUrlMustBeHttpWithAHost() throws IOException {
        Path f = toml(TLS, "auth.auth_api = \"ftp://api.example/\"");
        fails(f, f + ": key 'auth.auth_api' at line 2: invalid auth API URL 'ftp://api.example/'"
                + " (expected http://HOST/... or https://HOST/...)");
        fails(toml(TLS), "--auth-api: invalid auth API URL 'api.example/auth' (expected http://HOST/... or https://HOST/...)",
                "--auth-api", "api.example/auth");
        fails(toml(TLS), Map.of("MOQ_AUTH_API", "https://bad host/"), "MOQ_AUTH_API: invalid auth API URL 'https://bad host/':"
                + " Illegal character in authority at index 11: https://bad host/");
    }

    @Test
    void domainSuffixesMustNotBeEmpty() throws IOException {
        Path f = toml(TLS, AUTH, "auth.domains = [\"cdn.example\", \".\"]");
        fails(f, f + ": key 'auth.domains' at line 3: auth-domain suffix must not be empty (got '.')");
        fails(toml(TLS, AUTH), "--auth-domain: auth-domain suffix must not be empty (got '')", "--auth-domain", "");
        fails(toml(TLS, AUTH), Map.of("MOQ_AUTH_DOMAIN", ""), "MOQ_AUTH_DOMAIN: auth-domain suffix must not be empty (got '')");
        // A flag replaces the file's list, as for every setting.
        assertThat(relay(toml(TLS, AUTH, "auth.domains = [\"a.example\", \"b.example\"]"), "--auth-domain", "c.example")
                .auth().domains()).containsExactly("c.example");
    }

    // ---------------------------------------------------------------------------------------------
    // Unknown keys, syntax, bad values.

    private void fails(Path file, String message, String... args) {
        fails(file, Map.of(), message, args);
    }

    private void fails(Path file, Map<String, String> env, String message, String... args) {
        assertThatThrownBy(() -> load(file, env, args)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void unknownKeyWithItsLine() throws IOException {
        Path f = toml("[server]", "tls.generate = [\"localhost\"]", "bnid = \"[::]:443\"", "[auth]", "public = \"\"");
        fails(f, f + ": unknown key 'server.bnid' at line 3");
    }

    @Test
    void unknownTableAndTopLevelKey() throws IOException {
        Path f = toml(TLS, AUTH, "", "[relay]", "bind = 1");
        fails(f, f + ": unknown key 'relay' at line 4");
        Path g = toml("verbose = true", TLS, AUTH);
        fails(g, g + ": unknown key 'verbose' at line 1");
    }

    @Test
    void unknownKeyInsideAnUnsupportedTableIsUnknown() throws IOException {
        Path f = toml(TLS, AUTH, "[stats]", "enabled = false", "colour = \"red\"");
        fails(f, f + ": unknown key 'stats.colour' at line 5");
        Path g = toml(TLS, "[auth]", "public = \"anon\"", "api = \"https://example.com\"");
        fails(g, g + ": unknown key 'auth.api' at line 4"); // the reference's key is auth.auth_api
    }

    @Test
    void theFirstProblemInTheFileIsReported() throws IOException {
        Path f = toml(TLS, AUTH, "[cluster]", "connect = [\"https://peer/\"]", "typo = 1");
        fails(f, f + ": key 'cluster.connect' at line 4 is not supported yet (clustering)");
        Path g = toml(TLS, AUTH, "[cluster]", "typo = 1", "connect = [\"https://peer/\"]");
        fails(g, g + ": unknown key 'cluster.typo' at line 4");
        Path h = toml(TLS, AUTH, "[cluster]", "linger = \"soon\"", "connect = [\"https://peer/\"]");
        fails(h, h + ": key 'cluster.linger' at line 4: bad duration 'soon' (expected e.g. 5s, 500ms, 1m 30s, or 0)");
    }

    @Test
    void syntaxErrorWithItsLine() throws IOException {
        Path f = toml(TLS, AUTH, "[server", "bind = 1");
        assertThatThrownBy(() -> load(f, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(f + ": line 3: ");
        Path g = toml(TLS, AUTH, "log.level = \"info\"", "log.level = \"debug\"");
        assertThatThrownBy(() -> load(g, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(g + ": line 4: ");
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("nope.toml");
        fails(f, f + ": no such file");
    }

    static Stream<Arguments> badFileValues() {
        return Stream.of(
                Arguments.of("server.bind = 443", "server.bind", "expected a string, got the integer 443"),
                Arguments.of("server.bind = \"443\"", "server.bind", "bad address '443' (expected HOST:PORT, [IPv6]:PORT or :PORT)"),
                Arguments.of("server.bind = \"127.0.0.1:70000\"", "server.bind", "bad address '127.0.0.1:70000' (expected HOST:PORT, [IPv6]:PORT or :PORT)"),
                Arguments.of("server.bind = \"::1:443\"", "server.bind", "bad address '::1:443' (expected HOST:PORT, [IPv6]:PORT or :PORT)"),
                Arguments.of("server.listen = \"[::]:x\"", "server.listen", "bad address '[::]:x' (expected HOST:PORT, [IPv6]:PORT or :PORT)"),
                Arguments.of("server.tcp.bind = true", "server.tcp.bind", "expected a string, got the boolean true"),
                Arguments.of("web.http.listen = \"localhost\"", "web.http.listen", "bad address 'localhost' (expected HOST:PORT, [IPv6]:PORT or :PORT)"),
                Arguments.of("server.tls.cert = [1]", "server.tls.cert", "expected a string or an array of strings, got the integer 1 in the array"),
                Arguments.of("server.tls.cert = 1", "server.tls.cert", "expected a string or an array of strings, got the integer 1"),
                Arguments.of("server.tls.key = { a = 1 }", "server.tls.key", "expected a value, got a table"),
                Arguments.of("auth.key = [\"a\"]", "auth.key", "expected a string, got an array"),
                Arguments.of("auth.key_dir = 1.5", "auth.key_dir", "expected a string, got the number 1.5"),
                Arguments.of("auth.public = 5", "auth.public", "expected a string, an array of strings or a table {subscribe, publish}, got the integer 5"),
                Arguments.of("auth.public.subscribe = [true]", "auth.public.subscribe", "expected a string or an array of strings, got the boolean true in the array"),
                Arguments.of("auth.auth_api = 1", "auth.auth_api", "expected a string, got the integer 1"),
                Arguments.of("auth.auth_api = \"/auth\"", "auth.auth_api",
                        "invalid auth API URL '/auth' (expected http://HOST/... or https://HOST/...)"),
                Arguments.of("auth.domains = 5", "auth.domains", "expected a string or an array of strings, got the integer 5"),
                Arguments.of("auth.domains = [\"\"]", "auth.domains", "auth-domain suffix must not be empty (got '')"),
                Arguments.of("auth.mtls_tier = [\"a\"]", "auth.mtls_tier", "expected a string, got an array"),
                Arguments.of("cluster.tier = true", "cluster.tier", "expected a string, got the boolean true"),
                Arguments.of("cluster.id = \"12\"", "cluster.id", "expected an integer, got the string \"12\""),
                Arguments.of("cluster.id = 0", "cluster.id", "must be non-zero (leave it unset for a random id)"),
                Arguments.of("cluster.id = -1", "cluster.id", "-1 is out of range (expected 1 to 2^53-1)"),
                Arguments.of("cluster.id = 9007199254740992", "cluster.id", "9007199254740992 is out of range (expected 1 to 2^53-1)"),
                Arguments.of("cluster.linger = 5", "cluster.linger", "expected a string, got the integer 5"),
                Arguments.of("cluster.linger = \"5\"", "cluster.linger", "bad duration '5' (expected e.g. 5s, 500ms, 1m 30s, or 0)"),
                Arguments.of("cluster.linger = \"5 parsecs\"", "cluster.linger", "bad duration '5 parsecs' (expected e.g. 5s, 500ms, 1m 30s, or 0)"),
                Arguments.of("cluster.linger = \"1.5s\"", "cluster.linger", "bad duration '1.5s' (expected e.g. 5s, 500ms, 1m 30s, or 0)"),
                Arguments.of("log.level = \"verbose\"", "log.level", "unknown level 'verbose' (expected error, warn, info, debug or trace)"),
                Arguments.of("log.level = 3", "log.level", "expected a string, got the integer 3"),
                Arguments.of("log = \"debug\"", "log", "expected a table, got the string \"debug\""),
                Arguments.of("server.unix.bind = \"\"", "server.unix.bind", "empty path (expected the socket file, e.g. /run/moq/relay.sock)"),
                Arguments.of("server.unix.bind = 1", "server.unix.bind", "expected a string, got the integer 1"),
                Arguments.of("server.unix.allow.uid = 1000", "server.unix.allow.uid", "expected an array of integers, got the integer 1000"),
                Arguments.of("server.unix.allow.gid = [\"1\"]", "server.unix.allow.gid",
                        "expected an array of integers, got the string \"1\" in the array"),
                Arguments.of("server.unix.allow.uid = [4294967296]", "server.unix.allow.uid",
                        "4294967296 is out of range (expected 0 to 4294967295)"),
                Arguments.of("server.unix.allow.pid = [-1]", "server.unix.allow.pid", "-1 is out of range (expected 0 to 2147483647)"),
                Arguments.of("server.unix.allow = 1", "server.unix.allow", "expected a table, got the integer 1"),
                Arguments.of("web.https.root = 1", "web.https.root", "expected a string or an array of strings, got the integer 1"),
                Arguments.of("file = 1", null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFileValues")
    void badValueInTheFileNamesKeyAndLine(String line, String key, String problem) throws IOException {
        Path f = toml(TLS, "server.tls.root = \"ca.pem\"", line); // mTLS: enough auth, and no auth.* key taken
        if (key == null) { // accepted, whatever it is
            assertThat(relay(f)).isNotNull();
            return;
        }
        fails(f, f + ": key '" + key + "' at line 3: " + problem);
    }

    @Test
    void aBadFileValueIsReportedEvenWhenAFlagOverridesIt() throws IOException {
        // Like the reference (serde reads the whole file first), the file must be valid on its own.
        Path f = toml(TLS, AUTH, "server.bind = \"nope\"");
        fails(f, f + ": key 'server.bind' at line 3: bad address 'nope' (expected HOST:PORT, [IPv6]:PORT or :PORT)",
                "--server-bind", "127.0.0.1:1");
    }

    @Test
    void badFlagAndVariableValuesNameTheFlagAndVariable() throws IOException {
        Path f = toml(TLS, AUTH);
        fails(f, "--cluster-id: bad integer 'abc'", "--cluster-id", "abc");
        fails(f, "--cluster-id: must be non-zero (leave it unset for a random id)", "--cluster-id", "0");
        fails(f, Map.of("MOQ_CLUSTER_ID", "1e3"), "MOQ_CLUSTER_ID: bad integer '1e3'");
        fails(f, "--server-bind: bad address 'x' (expected HOST:PORT, [IPv6]:PORT or :PORT)", "--server-bind", "x");
        fails(f, "--server-bind: bad address 'x' (expected HOST:PORT, [IPv6]:PORT or :PORT)", "--listen", "x");
        fails(f, Map.of("MOQ_SERVER_BIND", ""), "MOQ_SERVER_BIND: bad address '' (expected HOST:PORT, [IPv6]:PORT or :PORT)");
        fails(f, Map.of("MOQ_WEB_HTTP_LISTEN", "[::1"), "MOQ_WEB_HTTP_LISTEN: bad address '[::1' (expected HOST:PORT, [IPv6]:PORT or :PORT)");
        fails(f, "--server-tcp-bind: bad address '1.2.3.4:-1' (expected HOST:PORT, [IPv6]:PORT or :PORT)", "--server-tcp-bind", "1.2.3.4:-1");
        fails(f, Map.of("MOQ_CLUSTER_LINGER", "soon"), "MOQ_CLUSTER_LINGER: bad duration 'soon' (expected e.g. 5s, 500ms, 1m 30s, or 0)");
        fails(f, "--cluster-linger: bad duration '' (expected e.g. 5s, 500ms, 1m 30s, or 0)", "--cluster-linger", "");
        fails(f, Map.of("MOQ_LOG_LEVEL", "loud"), "MOQ_LOG_LEVEL: unknown level 'loud' (expected error, warn, info, debug or trace)");
        fails(f, "--log-level: unknown level 'off' (expected error, warn, info, debug or trace)", "--log-level", "off");
        fails(f, "--server-unix-allow-uid: bad integer 'root'", "--server-unix-allow-uid", "root");
        fails(f, "--server-unix-allow-gid: -5 is out of range (expected 0 to 4294967295)", "--server-unix-allow-gid", "1,-5");
        fails(f, Map.of("MOQ_SERVER_UNIX_ALLOW_PID", ""), "MOQ_SERVER_UNIX_ALLOW_PID: bad integer ''");
        fails(f, Map.of("MOQ_SERVER_UNIX_ALLOW_UID", "1,,2"), "MOQ_SERVER_UNIX_ALLOW_UID: bad integer ''");
        fails(f, Map.of("MOQ_SERVER_UNIX_BIND", " "), "MOQ_SERVER_UNIX_BIND: empty path (expected the socket file, e.g. /run/moq/relay.sock)");
    }

    @Test
    void consistencyErrors() throws IOException {
        Path none = toml(AUTH);
        fails(none, "no TLS certificate: set server.tls.cert and server.tls.key (--tls-cert, --tls-key)"
                + " or server.tls.generate (--tls-generate HOSTNAMES)");
        Path halfPair = toml(AUTH, "server.tls.cert = \"c.pem\"");
        fails(halfPair, "server.tls.cert and server.tls.key (--tls-cert / --tls-key) must be given together,"
                + " one key per certificate (got 1 and 0)");
        Path twoPairs = toml(AUTH, "server.tls.cert = [\"a.pem\", \"b.pem\"]", "server.tls.key = [\"a.key\", \"b.key\"]");
        fails(twoPairs, "server.tls.cert: more than one certificate (selected by SNI) is not supported yet");
        Path twoRoots = toml(TLS, "server.tls.root = [\"a.pem\", \"b.pem\"]");
        fails(twoRoots, "server.tls.root: more than one CA file is not supported yet (put all the CA certificates in one PEM file)");
        Path noAuth = toml(TLS);
        fails(noAuth, "no authentication configured: set auth.key, auth.key_dir, auth.public or auth.auth_api"
                + " (--auth-key, --auth-key-dir, --auth-public, --auth-api; --auth-public \"\" makes everything public)");
        fails(toml(TLS, "auth.domains = \"cdn.example\"", "auth.mtls_tier = \"x\""), "no authentication configured: set auth.key,"
                + " auth.key_dir, auth.public or auth.auth_api (--auth-key, --auth-key-dir, --auth-public, --auth-api;"
                + " --auth-public \"\" makes everything public)");
        Path keyAndDir = toml(TLS, "auth.key = \"k.jwk\"", "auth.key_dir = \"keys\"");
        fails(keyAndDir, "auth.key and auth.key_dir cannot both be set (" + keyAndDir + ": key 'auth.key' at line 2; "
                + keyAndDir + ": key 'auth.key_dir' at line 3)");
        fails(toml(TLS), Map.of("MOQ_AUTH_KEY_DIR", "keys"),
                "auth.key and auth.key_dir cannot both be set (--auth-key; MOQ_AUTH_KEY_DIR)", "--auth-key", "k.jwk");
        Path both = toml(TLS, AUTH, "server.bind = \"[::]:1\"", "server.listen = \"[::]:2\"");
        fails(both, both + ": key 'server.listen' at line 4: server.listen is an alias of server.bind; give only one");
        Path tcpOnly = toml(TLS, AUTH, "server.tcp.bind = \"127.0.0.1:4443\"");
        fails(tcpOnly, tcpOnly + ": key 'server.tcp.bind' at line 3: a relay without QUIC (server.tcp.bind without"
                + " server.bind) is not supported yet; set server.bind too");
        Path unixOnly = toml(TLS, AUTH, UNIX);
        fails(unixOnly, unixOnly + ": key 'server.unix.bind' at line 3: a relay without QUIC (server.unix.bind without"
                + " server.bind) is not supported yet; set server.bind too");
        fails(toml(TLS, AUTH), "--server-unix-bind: a relay without QUIC (server.unix.bind without"
                + " server.bind) is not supported yet; set server.bind too", "--server-unix-bind", "x.sock");
        Path rootOnly = toml(TLS, AUTH, "web.https.root = \"ca.pem\"");
        fails(rootOnly, rootOnly + ": key 'web.https.root' at line 3: web.https.root is set but web.https.listen"
                + " (--web-https-listen) is not");
    }

    // ---------------------------------------------------------------------------------------------
    // Keys of features this relay does not have: file, variable and flag.

    static Stream<Keys.Unsupported> unsupported() {
        return Keys.UNSUPPORTED.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupported")
    void unsupportedKeyInTheFile(Keys.Unsupported u) throws IOException {
        Path f = toml(TLS, "auth.key = \"k.jwk\"", u.key() + " = \"x\"");
        fails(f, f + ": key '" + u.key() + "' at line 3 is not supported yet (" + u.feature() + ")");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupported")
    void unsupportedVariable(Keys.Unsupported u) throws IOException {
        fails(toml(TLS, AUTH), Map.of(u.env(), "x"), u.env() + " is not supported yet (" + u.feature() + ")");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupported")
    void unsupportedFlagEverySpelling(Keys.Unsupported u) throws IOException {
        Path f = toml(TLS, AUTH);
        for (String flag : u.flags()) {
            String[] args = u.bool() ? new String[] {flag} : new String[] {flag, "x"};
            if (u.off() != null && u.off().equals("true")) args = new String[] {flag + "=false"};
            fails(f, flag + " is not supported yet (" + u.feature() + ")", args);
        }
    }

    @Test
    void unsupportedTablesAreFineWhenEmpty() throws IOException {
        assertThat(relay(toml(TLS, AUTH, "[stats]", "[iroh]", "[client.tls]", "[cache]", "[internal]", "[web.https]")))
                .isNotNull();
    }

    @Test
    void webWsTrueIsAcceptedFalseIsNot() throws IOException {
        assertThat(relay(toml(TLS, AUTH, "web.ws = true"))).isNotNull();
        assertThat(relay(toml(TLS, AUTH), Map.of("MOQ_WEB_WS", "true"))).isNotNull();
        assertThat(relay(toml(TLS, AUTH), "--web-ws")).isNotNull();
        assertThat(relay(toml(TLS, AUTH), "--web-ws=TRUE")).isNotNull();
        Path f = toml(TLS, AUTH, "[web]", "ws = false");
        fails(f, f + ": key 'web.ws' at line 4 is not supported yet (turning WebSocket off; it is always on)");
        fails(toml(TLS, AUTH), Map.of("MOQ_WEB_WS", "false"), "MOQ_WEB_WS is not supported yet (turning WebSocket off; it is always on)");
        fails(toml(TLS, AUTH), "--web-ws is not supported yet (turning WebSocket off; it is always on)", "--web-ws=false");
        // The flag overrides the file, as for any setting.
        assertThat(relay(f, "--web-ws")).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"stats.enabled", "iroh.enabled", "cluster.mesh"})
    void switchedOffFeaturesAreAccepted(String key) throws IOException {
        Keys.Unsupported u = Keys.unsupported(key);
        assertThat(relay(toml(TLS, AUTH, key + " = false"))).isNotNull();
        assertThat(relay(toml(TLS, AUTH), Map.of(u.env(), "false"))).isNotNull();
        assertThat(relay(toml(TLS, AUTH), u.flags().get(0) + "=false")).isNotNull();
        Path f = toml(TLS, AUTH, key + " = true");
        fails(f, f + ": key '" + key + "' at line 3 is not supported yet (" + u.feature() + ")");
    }

    @Test
    void aBareBooleanFlagDoesNotSwallowTheConfigFile() throws IOException {
        Path f = toml(TLS, AUTH);
        RelayCommand cmd = RelayCommand.parse(Map.of(), "--web-ws", f.toString());
        assertThat(cmd.configFile).isEqualTo(f);
        assertThat(Settings.load(cmd.configFile, cmd, Map.of()).relay()).isNotNull();
    }

    @Test
    void publicApiInTheTableIsUnsupported() throws IOException {
        Path f = toml(TLS, "[auth.public]", "subscribe = [\"anon\"]", "api = \"https://api.example.com/public\"");
        fails(f, f + ": key 'auth.public.api' at line 4 is not supported yet (public access API)");
        fails(toml(TLS, AUTH), "--auth-public-api is not supported yet (public access API)", "--auth-public-api", "https://x/");
    }

    @Test
    void everyReferenceKeyIsSupportedOrUnsupported() {
        // §9 of relay.md, one key per row (the braces expanded).
        List<String> reference = List.of("log.level", "server.bind", "server.backend", "server.version", "server.tls.cert",
                "server.tls.key", "server.tls.generate", "server.tls.root", "server.quic.max_streams", "server.quic.idle_timeout",
                "server.quic.keep_alive", "server.quic.congestion_control", "server.quic.gso", "server.quic.mtu_discovery",
                "server.quic.qlog", "server.quic.preferred_v4", "server.quic.preferred_v6", "server.quic.quic_lb_id",
                "server.quic.quic_lb_nonce", "server.tcp.bind", "server.unix.bind", "server.unix.allow.uid",
                "server.unix.allow.gid", "server.unix.allow.pid", "client.connect", "client.bind", "client.backend",
                "client.timeout", "client.failover_delay", "client.resolution_delay", "client.version", "client.tls.root",
                "client.tls.system_roots", "client.tls.fingerprint", "client.tls.cert", "client.tls.key",
                "client.tls.disable_verify", "client.tls.host_name", "client.quic.max_streams", "web.http.listen",
                "web.https.listen", "web.https.cert", "web.https.key", "web.https.root", "web.ws", "internal.listen",
                "auth.key", "auth.key_dir", "auth.public", "auth.public.subscribe", "auth.public.publish", "auth.public.api",
                "auth.domains", "auth.auth_api", "auth.mtls_tier", "cluster.id", "cluster.connect", "cluster.connect_api",
                "cluster.node", "cluster.mesh", "cluster.token", "cluster.tier", "cluster.linger", "cache.capacity",
                "cache.headroom", "cache.duration", "stats.enabled", "stats.prefix", "stats.interval", "stats.node",
                "stats.depth", "iroh.enabled", "iroh.secret", "iroh.bind_v4", "iroh.bind_v6", "iroh.disable_relay");
        for (String key : reference) {
            assertThat(Keys.supported(key) || Keys.unsupported(key) != null).as(key).isTrue();
            assertThat(Keys.supported(key) && Keys.unsupported(key) != null).as(key).isFalse();
        }
    }
}
