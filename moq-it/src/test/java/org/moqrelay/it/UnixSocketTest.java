package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moqrelay.cli.ClientCommand;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.client.TestStream;
import org.moqrelay.client.TrackReader;
import org.moqrelay.it.auth.AuthApiServer;
import org.moqrelay.model.Demand;
import org.moqrelay.relay.server.AuthConfig;
import org.moqrelay.relay.server.RelayConfig;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.relay.server.UnixSocketConfig;
import org.moqrelay.transport.qmux.unix.PeerAllowlist;
import org.moqrelay.transport.quic.EventLoops;
import picocli.CommandLine;

/**
 * The qmux listener on a Unix socket ({@code --server-unix-bind}): real relays, the Java client
 * and {@code moq publish} over {@code unix://} URLs; the peer-credential allowlist; the socket
 * file's life (stale file replaced, other files left alone, mode 0666, removed on close).
 */
class UnixSocketTest {
    @TempDir
    Path dir;
    static EventLoopGroup clients;
    static long uid;
    static long gid;

    @BeforeAll
    static void start() throws Exception {
        clients = EventLoops.newGroup(1, "it-unix");
        uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        gid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:gid")).longValue();
    }

    @AfterAll
    static void stop() {
        if (clients != null) clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
    }

    static RelayServer relay(Path socket, PeerAllowlist allow) throws Exception {
        return relay(RelayConfig.development(new InetSocketAddress("127.0.0.1", 0), null), socket, allow);
    }

    static RelayServer relay(RelayConfig base, Path socket, PeerAllowlist allow) throws Exception {
        return RelayServer.start(base.withUnix(new UnixSocketConfig(socket, allow)).withQuicThreads(Relays.THREADS));
    }

    static URI url(Path socket, String path) {
        return URI.create("unix://" + socket + "?path=" + java.net.URLEncoder.encode(path, java.nio.charset.StandardCharsets.UTF_8));
    }

    static MoqClient connect(Path socket, String path) throws Exception {
        return MoqClient.connect(clients, url(socket, path), ClientOptions.DEFAULT).get(10, TimeUnit.SECONDS);
    }

    @Test
    void publishAndSubscribeOverTheSocketWithTheSocketFileWorldWritableAndRemovedOnClose() throws Exception {
        Path socket = dir.resolve("relay.sock");
        try (RelayServer relay = relay(socket, PeerAllowlist.ANYONE)) {
            assertThat(relay.unixPath()).isEqualTo(socket.toAbsolutePath());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw-rw-");
            try (MoqClient pub = connect(socket, "/anon"); MoqClient sub = connect(socket, "/anon")) {
                assertThat(pub.connection().transport()).isEqualTo("unix");
                Relays.relayOneFrame(relay, pub, sub, "anon");
            }
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void quicAndUnixSessionsShareTheRelay() throws Exception {
        Path socket = dir.resolve("relay.sock");
        try (RelayServer relay = relay(socket, PeerAllowlist.ANYONE);
             MoqClient pub = connect(socket, "/anon");
             MoqClient sub = MoqClient.connect(clients, URI.create("moqt://127.0.0.1:" + relay.quicAddress().getPort() + "/anon"),
                     ClientOptions.pinned(relay.certificateSha256())).get(10, TimeUnit.SECONDS)) {
            Relays.relayOneFrame(relay, pub, sub, "anon");
        }
    }

    @Test
    void anAllowlistNamingOurUidGidAndPidLetsUsIn() throws Exception {
        Path socket = dir.resolve("relay.sock");
        PeerAllowlist us = new PeerAllowlist(List.of(uid + 1, uid), List.of(gid), List.of((int) ProcessHandle.current().pid()));
        try (RelayServer relay = relay(socket, us); MoqClient pub = connect(socket, "/anon"); MoqClient sub = connect(socket, "/anon")) {
            Relays.relayOneFrame(relay, pub, sub, "anon");
        }
    }

    @Test
    void aPeerOffTheAllowlistIsClosedBeforeAnySession() throws Exception {
        Path socket = dir.resolve("relay.sock");
        long otherUid = uid == 0 ? 1 : uid - 1;
        int otherPid = (int) ProcessHandle.current().pid() + 1;
        for (PeerAllowlist other : List.of(
                new PeerAllowlist(List.of(otherUid), List.of(), List.of()),
                // Every populated list must match: our uid but another gid is not enough.
                new PeerAllowlist(List.of(uid), List.of(gid + 1), List.of()),
                new PeerAllowlist(List.of(), List.of(), List.of(otherPid)))) {
            try (RelayServer relay = relay(socket, other)) {
                CompletableFuture<MoqClient> c = MoqClient.connect(clients, url(socket, "/anon"), ClientOptions.DEFAULT);
                assertThatThrownBy(() -> c.get(10, TimeUnit.SECONDS)).as("%s", other)
                        .isInstanceOf(ExecutionException.class).hasMessageContaining("connection closed");
                assertThat(relay.sessionCount()).isZero();
            }
        }
    }

    @Test
    void authAppliesAsOnQuicTheSetupPathCarriesTheToken() throws Exception {
        Path socket = dir.resolve("relay.sock");
        RelayConfig onlyAnon = RelayConfig.development(new InetSocketAddress("127.0.0.1", 0), null)
                .withAuth(AuthConfig.publicOnly(List.of("anon")));
        try (RelayServer relay = relay(onlyAnon, socket, PeerAllowlist.ANYONE)) {
            try (MoqClient refused = connect(socket, "/secret")) {
                refused.session().closed().get(10, TimeUnit.SECONDS);
                assertThat(refused.session().closeDescription()).startsWith("code 6 ");
            }
            try (MoqClient pub = connect(socket, "/anon"); MoqClient sub = connect(socket, "/anon")) {
                Relays.relayOneFrame(relay, pub, sub, "anon");
            }
        }
    }

    @Test
    void theAuthApiHearsTheUnixTransport() throws Exception {
        Path socket = dir.resolve("relay.sock");
        try (AuthApiServer api = AuthApiServer.start()) {
            api.answer(q -> AuthApiServer.Answer.json("{\"public\": {\"subscribe\": [\"\"], \"publish\": [\"\"]}}"));
            RelayConfig withApi = RelayConfig.development(new InetSocketAddress("127.0.0.1", 0), null)
                    .withAuth(AuthConfig.api(api.url()));
            try (RelayServer relay = relay(withApi, socket, PeerAllowlist.ANYONE);
                 MoqClient pub = connect(socket, "/room"); MoqClient sub = connect(socket, "/room")) {
                Relays.relayOneFrame(relay, pub, sub, "room");
                assertThat(api.requestsFor("room")).contains(java.util.Map.of("root", "room", "transport", "unix"));
            }
        }
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        Path socket = dir.resolve("relay.sock");
        // A socket file whose listener is gone, as a crashed relay leaves it (the JDK does not unlink it).
        try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            old.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        try (RelayServer relay = relay(socket, PeerAllowlist.ANYONE);
             MoqClient pub = connect(socket, "/anon"); MoqClient sub = connect(socket, "/anon")) {
            Relays.relayOneFrame(relay, pub, sub, "anon");
        }
    }

    @Test
    void anyOtherFileAtThePathIsLeftAloneAndStartUpFails() throws Exception {
        Path file = dir.resolve("relay.sock");
        Files.writeString(file, "not a socket");
        assertThatThrownBy(() -> relay(file, PeerAllowlist.ANYONE))
                .isInstanceOf(UncheckedIOException.class).hasMessage("refusing to replace " + file + ": it exists and is not a socket");
        assertThat(Files.readString(file)).isEqualTo("not a socket");
        Path missingDir = dir.resolve("no/such/dir/relay.sock");
        assertThatThrownBy(() -> relay(missingDir, PeerAllowlist.ANYONE))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot listen on the Unix socket " + missingDir);
    }

    @Test
    void theMoqCommandPublishesToAUnixUrl() throws Exception {
        Path socket = dir.resolve("relay.sock");
        try (RelayServer relay = relay(socket, PeerAllowlist.ANYONE); MoqClient sub = connect(socket, "/anon")) {
            String url = url(socket, "/anon").toString();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(new ClientCommand())
                    .execute("publish", url, "--broadcast", "cli", "--groups", "20", "--frames", "2", "--interval", "20"));
            Relays.awaitAnnounced(relay.origin(), org.moqrelay.wire.Path.of("anon/cli"), 10);
            try (TrackReader r = new TrackReader(sub.consume(org.moqrelay.wire.Path.of("cli")).track("frames"), Demand.LATEST)) {
                TrackReader.Received got = r.poll(10, TimeUnit.SECONDS);
                assertThat(got).isNotNull();
                assertThat(TestStream.verify(got.group(), got.index(), got.payload())).isTrue();
            }
            assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void acceptFailuresAreCountedUnderTheUnixListener() throws Exception {
        Path socket = dir.resolve("relay.sock");
        RelayConfig withMetrics = RelayConfig.development(new InetSocketAddress("127.0.0.1", 0), null)
                .withInternalListen(new InetSocketAddress("127.0.0.1", 0));
        try (RelayServer relay = relay(withMetrics, socket, PeerAllowlist.ANYONE)) {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.internalAddress().getPort() + "/metrics"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).containsPattern("moq_relay_accept_failures_total\\{[^}]*listener=\"unix\"[^}]*\\} 0")
                    .containsPattern("moq_relay_accept_stalled_seconds\\{listener=\"unix\"\\} 0");
        }
    }
}
