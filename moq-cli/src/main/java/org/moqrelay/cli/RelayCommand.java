package org.moqrelay.cli;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.moqrelay.relay.server.RelayConfig;
import org.moqrelay.relay.server.RelayServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code moq-relay [CONFIG.toml] [flags]}: the reference relay's command line. Flags and their
 * {@code MOQ_*} environment variables override the TOML file.
 */
@Command(name = "moq-relay", mixinStandardHelpOptions = true, version = "moq-relay for Java 0.1.0",
        description = "Media over QUIC relay: routes live broadcasts from publishers to subscribers.")
public final class RelayCommand implements Callable<Integer> {
    /** How long a stopping relay waits for sessions to leave after GOAWAY. */
    static final long DRAIN_MILLIS = 5_000;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "TOML configuration file")
    Path configFile;

    @Option(names = {"--server-bind", "--listen"}, paramLabel = "ADDR", description = "UDP address for QUIC (default [::]:443)")
    String serverBind;

    @Option(names = "--server-tcp-bind", paramLabel = "ADDR",
            description = "TCP address for plain qmux (trusted local clients only; no TLS)")
    String tcpBind;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "certificate chain (PEM)")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "private key (PEM)")
    Path tlsKey;

    @Option(names = "--server-tls-root", paramLabel = "PEM",
            description = "CA certificates: a client certificate chaining to one gets full access within its path (mTLS)")
    Path tlsRoot;

    @Option(names = "--tls-generate", paramLabel = "NAMES", split = ",",
            description = "generate a self-signed certificate for these host names (valid 14 days)")
    List<String> tlsGenerate;

    @Option(names = "--web-http-listen", paramLabel = "ADDR", description = "TCP address for HTTP (certificate hash, health)")
    String webHttpListen;

    @Option(names = "--auth-public", paramLabel = "PREFIX",
            description = "path prefix anyone may publish and subscribe under (\"\" = everything)")
    List<String> authPublic;

    @Option(names = "--auth-public-subscribe", paramLabel = "PREFIX", description = "path prefix anyone may subscribe under")
    List<String> authPublicSubscribe;

    @Option(names = "--auth-public-publish", paramLabel = "PREFIX", description = "path prefix anyone may publish under")
    List<String> authPublicPublish;

    @Option(names = "--auth-key", paramLabel = "FILE|URL", description = "JWK that verifies tokens (?jwt=...)")
    String authKey;

    @Option(names = "--auth-key-dir", paramLabel = "DIR|URL", description = "directory of JWKs, looked up by the token's kid")
    String authKeyDir;

    @Option(names = "--cluster-linger", paramLabel = "DURATION",
            description = "how long a broadcast survives its publisher's abrupt loss (default 5s; 0 disables)")
    String linger;

    @Option(names = "--cluster-id", paramLabel = "ID", description = "this relay's hop id (default random)")
    Long clusterId;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "error, warn, info, debug or trace (default info)")
    String logLevel;

    @Override
    public Integer call() throws Exception {
        RelayConfig config = Settings.load(configFile, this, System.getenv());
        try (RelayServer relay = RelayServer.start(config)) {
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                // SIGTERM / Ctrl-C: ask every session to go away, drain briefly, then stop.
                relay.shutdown(DRAIN_MILLIS);
                stop.countDown();
            }, "moq-shutdown"));
            stop.await();
        }
        return 0;
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new RelayCommand());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("moq-relay: " + ex.getMessage());
            return 2;
        });
        System.exit(cl.execute(args));
    }
}
