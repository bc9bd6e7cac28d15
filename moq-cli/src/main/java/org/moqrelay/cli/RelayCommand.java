package org.moqrelay.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.moqrelay.relay.server.RelayServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code moq-relay [CONFIG.toml] [flags]}: the reference relay's command line. Flags and their
 * {@code MOQ_*} environment variables override the TOML file ({@link Settings}).
 *
 * <p>The flags of features this relay does not have yet ({@link Keys#UNSUPPORTED}: clustering,
 * QUIC tuning, stats, ...) exist too, hidden from {@code --help}: giving one stops
 * start-up with "--flag is not supported yet (feature)" rather than "unknown option", like the
 * matching TOML key and variable. Configuration errors exit with status 2 and one line on stderr.
 */
@Command(name = "moq-relay", mixinStandardHelpOptions = true, version = "moq-relay for Java 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Media over QUIC relay: routes live broadcasts from publishers to subscribers.",
        footer = {"",
                "Each flag has the environment variable shown. A flag wins over its variable,",
                "which wins over CONFIG. Settings of the reference relay's features this relay",
                "does not have yet (clustering, some QUIC tuning, public access API, stats, iroh,",
                "client.*, ...) are recognized in CONFIG, the environment and on the command",
                "line, and stop start-up with \"... is not supported yet\". Configuration errors",
                "exit with status 2."})
public final class RelayCommand implements Callable<Integer> {
    /** How long a stopping relay waits for sessions to leave after GOAWAY. */
    static final long DRAIN_MILLIS = 5_000;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "TOML configuration file")
    Path configFile;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "error, warn, info, debug or trace (default info)%n  env MOQ_LOG_LEVEL, key log.level")
    String logLevel;

    @Option(names = {"--server-bind", "--listen"}, paramLabel = "ADDR",
            description = "UDP address for QUIC: raw QUIC and WebTransport (default [::]:443)"
                    + "%n  env MOQ_SERVER_BIND, key server.bind (alias server.listen)")
    String serverBind;

    @Option(names = "--tls-cert", paramLabel = "PEM",
            description = "certificate chain (PEM), with --tls-key%n  env MOQ_SERVER_TLS_CERT, key server.tls.cert")
    List<String> tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM",
            description = "private key (PEM) of --tls-cert%n  env MOQ_SERVER_TLS_KEY, key server.tls.key")
    List<String> tlsKey;

    @Option(names = "--tls-generate", paramLabel = "NAMES", split = ",",
            description = "generate a self-signed certificate for these host names (valid 14 days)"
                    + "%n  env MOQ_SERVER_TLS_GENERATE, key server.tls.generate")
    List<String> tlsGenerate;

    @Option(names = "--server-tls-root", paramLabel = "PEM", split = ",",
            description = "CA certificates: a client certificate chaining to one gets full access within its path (mTLS)"
                    + "%n  env MOQ_SERVER_TLS_ROOT, key server.tls.root")
    List<String> tlsRoot;

    @Option(names = "--server-tcp-bind", paramLabel = "ADDR",
            description = "TCP address for plain qmux (trusted local clients only; no TLS)"
                    + "%n  env MOQ_SERVER_TCP_BIND, key server.tcp.bind")
    String tcpBind;

    @Option(names = "--server-unix-bind", paramLabel = "PATH",
            description = "Unix socket file for plain qmux (local workers; no TLS); a stale socket file is replaced"
                    + "%n  env MOQ_SERVER_UNIX_BIND, key server.unix.bind")
    String unixBind;

    @Option(names = "--server-unix-allow-uid", paramLabel = "UID", split = ",",
            description = "only peers of these user ids may use the Unix socket (repeatable; default any)"
                    + "%n  env MOQ_SERVER_UNIX_ALLOW_UID (comma list), key server.unix.allow.uid")
    List<String> unixAllowUid;

    @Option(names = "--server-unix-allow-gid", paramLabel = "GID", split = ",",
            description = "only peers of these group ids may use the Unix socket (repeatable; default any)"
                    + "%n  env MOQ_SERVER_UNIX_ALLOW_GID (comma list), key server.unix.allow.gid")
    List<String> unixAllowGid;

    @Option(names = "--server-unix-allow-pid", paramLabel = "PID", split = ",",
            description = "only these process ids may use the Unix socket (repeatable; default any)"
                    + "%n  env MOQ_SERVER_UNIX_ALLOW_PID (comma list), key server.unix.allow.pid")
    List<String> unixAllowPid;

    @Option(names = "--server-quic-congestion-control", paramLabel = "loss|delay",
            description = "QUIC congestion control: delay (BBR, default) or loss (CUBIC)"
                    + "%n  env MOQ_SERVER_QUIC_CONGESTION_CONTROL, key server.quic.congestion_control")
    String quicCongestionControl;

    @Option(names = "--server-quic-gso", paramLabel = "BOOL",
            description = "UDP generic segmentation offload (default: true where the kernel has it); bare flag = true"
                    + "%n  env MOQ_SERVER_QUIC_GSO, key server.quic.gso")
    String quicGso;

    @Option(names = "--server-quic-mtu-discovery", paramLabel = "BOOL",
            description = "path MTU discovery: probe from 1200 up to 1452-byte packets (default: false); bare flag = true"
                    + "%n  env MOQ_SERVER_QUIC_MTU_DISCOVERY, key server.quic.mtu_discovery")
    String quicMtuDiscovery;

    @Option(names = {"--server-quic-max-streams", "--server-max-streams"}, paramLabel = "N",
            description = "concurrent QUIC streams each way per connection (default: 10000)"
                    + "%n  env MOQ_SERVER_QUIC_MAX_STREAMS, key server.quic.max_streams")
    String quicMaxStreams;

    @Option(names = "--server-quic-idle-timeout", paramLabel = "DURATION",
            description = "drop a QUIC connection idle this long (default: 30s)"
                    + "%n  env MOQ_SERVER_QUIC_IDLE_TIMEOUT, key server.quic.idle_timeout")
    String quicIdleTimeout;

    @Option(names = "--server-quic-threads", paramLabel = "N",
            description = "event-loop threads, each with its own UDP socket on the QUIC port (SO_REUSEPORT);"
                    + " the TCP listeners share them (default: one per core; not in the reference)"
                    + "%n  env MOQ_SERVER_QUIC_THREADS, key server.quic.threads")
    String quicThreads;

    @Option(names = "--web-http-listen", paramLabel = "ADDR",
            description = "TCP address for HTTP and WebSocket (certificate hash, announced, fetch)"
                    + "%n  env MOQ_WEB_HTTP_LISTEN, key web.http.listen")
    String webHttpListen;

    @Option(names = "--auth-key", paramLabel = "FILE|URL",
            description = "JWK that verifies tokens (?jwt=...)%n  env MOQ_AUTH_KEY, key auth.key")
    String authKey;

    @Option(names = "--auth-key-dir", paramLabel = "DIR|URL",
            description = "directory of JWKs, looked up by the token's kid%n  env MOQ_AUTH_KEY_DIR, key auth.key_dir")
    String authKeyDir;

    @Option(names = "--auth-public", paramLabel = "PREFIX",
            description = "path prefix anyone may publish and subscribe under (\"\" = everything); replaces auth.public"
                    + "%n  env MOQ_AUTH_PUBLIC, key auth.public (string, array or table {subscribe, publish})")
    List<String> authPublic;

    @Option(names = "--auth-public-subscribe", paramLabel = "PREFIX",
            description = "path prefix anyone may subscribe under (added to auth.public)"
                    + "%n  env MOQ_AUTH_PUBLIC_SUBSCRIBE; file: [auth.public] subscribe")
    List<String> authPublicSubscribe;

    @Option(names = "--auth-public-publish", paramLabel = "PREFIX",
            description = "path prefix anyone may publish under (added to auth.public)"
                    + "%n  env MOQ_AUTH_PUBLIC_PUBLISH; file: [auth.public] publish")
    List<String> authPublicPublish;

    @Option(names = "--auth-api", paramLabel = "URL",
            description = "auth API asked about every connection (GET URL?root=PATH&kid=...): key, public access,"
                    + " alias, tier; instead of --auth-key, --auth-key-dir and --auth-public%n  env MOQ_AUTH_API, key auth.auth_api")
    String authApi;

    @Option(names = "--auth-domain", paramLabel = "SUFFIX",
            description = "host suffix whose subdomain labels prefix the path: a.b.SUFFIX/x is authorized as /b/a/x (repeatable)"
                    + "%n  env MOQ_AUTH_DOMAIN (one suffix), key auth.domains (string or array)")
    List<String> authDomain;

    @Option(names = "--auth-mtls-tier", paramLabel = "LABEL",
            description = "metrics tier of client-certificate peers the auth API puts in none (default: the default tier)"
                    + "%n  env MOQ_AUTH_MTLS_TIER, key auth.mtls_tier")
    String authMtlsTier;

    @Option(names = "--cluster-id", paramLabel = "ID",
            description = "this relay's hop id, 1 to 2^53-1 (default random)%n  env MOQ_CLUSTER_ID, key cluster.id")
    String clusterId;

    @Option(names = "--web-https-listen", paramLabel = "ADDR",
            description = "TCP address for HTTPS and WSS (the same routes as HTTP)%n  env MOQ_WEB_HTTPS_LISTEN, key web.https.listen")
    String webHttpsListen;

    @Option(names = "--web-https-cert", paramLabel = "PEM",
            description = "certificate for HTTPS (default: the QUIC certificate)%n  env MOQ_WEB_HTTPS_CERT, key web.https.cert")
    String webHttpsCert;

    @Option(names = "--web-https-key", paramLabel = "PEM",
            description = "key for --web-https-cert%n  env MOQ_WEB_HTTPS_KEY, key web.https.key")
    String webHttpsKey;

    @Option(names = "--web-https-root", paramLabel = "PEM", split = ",",
            description = "CA certificates: an HTTPS/WSS client certificate chaining to one gets full access within its path (mTLS)"
                    + "%n  env MOQ_WEB_HTTPS_ROOT (comma list), key web.https.root (string or array)")
    List<String> webHttpsRoot;

    @Option(names = "--internal-listen", paramLabel = "ADDR",
            description = "TCP address of the ops listener: /health and Prometheus /metrics (unauthenticated)"
                    + "%n  env MOQ_INTERNAL_LISTEN, key internal.listen")
    String internalListen;

    @Option(names = "--cache-capacity", paramLabel = "SIZE",
            description = "bytes all tracks together may cache, e.g. 512MiB, 2GB, or 25%% of RAM (default unlimited)"
                    + "%n  env MOQ_CACHE_CAPACITY, key cache.capacity")
    String cacheCapacity;

    @Option(names = "--cache-headroom", paramLabel = "SIZE",
            description = "memory to keep available: the cache grows into the rest and gives it back first, e.g. 2GiB or 10%%"
                    + " (default off)%n  env MOQ_CACHE_HEADROOM, key cache.headroom")
    String cacheHeadroom;

    @Option(names = "--cache-duration", paramLabel = "DURATION",
            description = "longest a non-latest group stays cached (default: each track's latency window)"
                    + "%n  env MOQ_CACHE_DURATION, key cache.duration")
    String cacheDuration;

    @Option(names = "--cluster-linger", paramLabel = "DURATION",
            description = "how long a broadcast survives its publisher's abrupt loss (default 5s; 0 disables)"
                    + "%n  env MOQ_CLUSTER_LINGER, key cluster.linger")
    String linger;

    @Option(names = "--cluster-tier", paramLabel = "LABEL",
            description = "metrics tier of this relay's own cluster dials; accepted, but this relay dials no peers yet"
                    + "%n  env MOQ_CLUSTER_TIER, key cluster.tier")
    String clusterTier;

    /** Values of the unsupported features' flags, by TOML key (see {@link Keys#UNSUPPORTED}). */
    final Map<String, String> unsupported = new HashMap<>();

    /** The spelling of each unsupported flag given, by TOML key, for the message. */
    final Map<String, String> unsupportedFlagNames = new HashMap<>();

    private final Map<String, String> env;

    public RelayCommand() {
        this(System.getenv());
    }

    RelayCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        Settings.Loaded loaded = Settings.load(configFile, this, env);
        Logging.setLevel(loaded.logLevel());
        try (RelayServer relay = RelayServer.start(loaded.relay())) {
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                // SIGTERM / Ctrl-C: ask every session to go away, drain briefly, then stop.
                relay.shutdown(DRAIN_MILLIS);
                stop.countDown();
                System.err.flush();
                // A drained stop is a clean exit: 0, not the JVM's 143 for SIGTERM.
                Runtime.getRuntime().halt(0);
            }, "moq-shutdown"));
            stop.await();
        }
        return 0;
    }

    /** The command line for {@code cmd}: its annotated options plus the hidden ones of unsupported features. */
    static CommandLine commandLine(RelayCommand cmd) {
        CommandLine cl = new CommandLine(cmd);
        for (Keys.Unsupported u : Keys.UNSUPPORTED) {
            // One option per spelling, so the message can repeat the one that was given.
            for (String name : u.flags()) {
                boolean visible = u.key().equals("web.ws");
                OptionSpec.Builder b = OptionSpec.builder(name)
                        .type(String.class)
                        .paramLabel(u.bool() ? "BOOL" : "VALUE")
                        .hidden(!visible)
                        .setter(new ISetter() {
                            @Override
                            public <T> T set(T value) {
                                if (value != null) {
                                    cmd.unsupported.put(u.key(), (String) value);
                                    cmd.unsupportedFlagNames.put(u.key(), name);
                                }
                                return null;
                            }
                        });
                b.arity("1"); // a bare boolean flag becomes --flag=true in normalize()
                if (visible) {
                    b.description("WebSocket is always served on --web-http-listen; only true is accepted",
                            "  env MOQ_WEB_WS, key web.ws");
                }
                cl.getCommandSpec().addOption(b.build());
            }
        }
        return cl;
    }

    /** Parses {@code args} without running anything (for tests and tools). */
    static RelayCommand parse(Map<String, String> env, String... args) {
        RelayCommand cmd = new RelayCommand(env);
        commandLine(cmd).parseArgs(normalize(args));
        return cmd;
    }

    /** Runs {@code moq-relay args}; returns the exit status (2 for configuration errors). */
    static int execute(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(new RelayCommand(env));
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("moq-relay: " + ex.getMessage() + " (see --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            cmd.getErr().println("moq-relay: " + message.replace('\n', ' '));
            return ex instanceof ConfigException ? 2 : 1;
        });
        return cl.execute(normalize(args));
    }

    /**
     * The reference's boolean flags take their value only after '=' ({@code --web-ws},
     * {@code --web-ws=true}); so that {@code --web-ws relay.toml} does not read the file name as
     * the value, a bare one is rewritten to {@code --flag=true}.
     */
    static String[] normalize(String... args) {
        List<String> bools = java.util.stream.Stream.concat(Keys.BOOL_FLAGS.stream(),
                Keys.UNSUPPORTED.stream().filter(Keys.Unsupported::bool).flatMap(u -> u.flags().stream())).toList();
        String[] out = args.clone();
        for (int i = 0; i < out.length && !out[i].equals("--"); i++) {
            if (bools.contains(out[i])) out[i] = out[i] + "=true";
        }
        return out;
    }

    public static void main(String[] args) {
        NettyDefaults.apply();
        System.exit(execute(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }
}
