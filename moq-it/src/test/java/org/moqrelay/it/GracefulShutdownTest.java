package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.transport.quic.EventLoops;

/** The packaged relay, run as its own process: SIGTERM sends GOAWAY, drains and exits 0. */
class GracefulShutdownTest {
    static Path jar() {
        Path p = Path.of(System.getProperty("user.dir")).resolveSibling("moq-cli").resolve("target/moq-relay.jar");
        assertThat(p).as("the shaded relay jar (built by moq-cli's package phase)").exists();
        return p;
    }

    @Test
    void sigtermWithALiveSubscriberDrainsAndExitsZero() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process relay = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar().toString(),
                "--server-bind", "127.0.0.1:" + port, "--tls-generate", "localhost", "--auth-public", "",
                "--server-quic-threads", Integer.toString(Relays.THREADS)))
                .redirectErrorStream(true).start();
        EventLoopGroup clients = EventLoops.newGroup(1, "it-shutdown");
        StringBuilder log = new StringBuilder();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        CompletableFuture<Void> goaway = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                    if (line.contains("ready; certificate")) ready.complete(null);
                    if (line.contains("shutting down: GOAWAY to")) goaway.complete(null);
                }
            } catch (Exception ignored) {
                // the process ended
            }
        });
        try {
            ready.get(60, TimeUnit.SECONDS);
            MoqClient viewer = MoqClient.connect(clients, URI.create("moqt://127.0.0.1:" + port + "/anon"),
                    ClientOptions.INSECURE).get(10, TimeUnit.SECONDS);
            viewer.announced(org.moqrelay.wire.Path.ROOT);
            // SIGTERM. (Process.destroy() would also close our end of its output pipe.)
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(relay.pid())).start().waitFor(10, TimeUnit.SECONDS)).isTrue();
            try {
                goaway.get(20, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                synchronized (log) {
                    throw new AssertionError("no shutdown line; relay output:\n" + log, e);
                }
            }
            synchronized (log) {
                assertThat(log.toString()).contains("GOAWAY to 1 sessions");
            }
            assertThat(relay.waitFor(20, TimeUnit.SECONDS)).as("relay exited").isTrue();
            assertThat(relay.exitValue()).as("exit status; log:%n%s", log).isZero();
            viewer.session().closed().get(10, TimeUnit.SECONDS);
            assertThat(viewer.session().isOpen()).isFalse();
        } finally {
            relay.destroyForcibly();
            reader.join(5_000);
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
        }
    }
}
