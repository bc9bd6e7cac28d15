package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.it.image.ImageArchive;
import org.moqrelay.it.image.RootFilesystem;
import org.moqrelay.it.image.Sandbox;
import org.moqrelay.transport.quic.EventLoops;

/**
 * The container image moq-cli's package phase writes (moq-cli/target/moq-relay-image.tar): its
 * metadata and files as {@code docker load} would see them, and the relay running from its root
 * filesystem with its entrypoint, environment and user, serving HTTP, metrics and QUIC.
 */
class ContainerImageTest {
    private static final List<String> ENTRYPOINT = List.of("/opt/java/bin/java", "--enable-native-access=ALL-UNNAMED",
            "-cp", "@/app/jib-classpath-file", "org.moqrelay.cli.RelayCommand");
    private static ImageArchive image;

    @BeforeAll
    static void readImage() throws IOException {
        Path tar = Path.of(System.getProperty("user.dir")).resolveSibling("moq-cli").resolve("target/moq-relay-image.tar");
        if (!Files.isRegularFile(tar)) {
            if (Boolean.getBoolean("moq.image.skip")) Assumptions.abort("the image was not built (-Dmoq.image.skip=true)");
            Assertions.fail("no " + tar + ": moq-cli's package phase builds it"
                    + " (./mvnw -pl moq-cli -am package -DskipTests)");
        }
        image = ImageArchive.read(tar);
    }

    @Test
    void metadataRunsTheRelayAsNonRootWithTheMountedConfig() {
        assertThat(image.config()).containsEntry("os", "linux").containsEntry("architecture", "amd64");
        Map<String, Object> run = image.runConfig();
        assertThat(run.get("Entrypoint")).isEqualTo(ENTRYPOINT);
        assertThat(run.get("Cmd")).isEqualTo(List.of("/etc/moq-relay/relay.toml"));
        assertThat(run.get("User")).isEqualTo("65532:65532");
        assertThat(run.get("Env")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .contains("JAVA_HOME=/opt/java", "PATH=/opt/java/bin", "LANG=C.UTF-8");
        assertThat(object(run.get("ExposedPorts"))).containsOnlyKeys("443/udp", "443/tcp");
        assertThat(object(run.get("Labels"))).containsEntry("org.opencontainers.image.title", "moq-relay for Java")
                .containsKey("org.opencontainers.image.version");
        assertThat(image.manifest().get("RepoTags")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .contains("moq-relay-java:latest").anySatisfy(t -> assertThat((String) t).matches("moq-relay-java:\\d.*"));
    }

    @Test
    void layersMatchTheirDigestsAndHoldRuntimeLibrariesAndJars() {
        List<?> diffIds = (List<?>) object(image.config().get("rootfs")).get("diff_ids");
        assertThat(image.layers()).extracting(ImageArchive.Layer::diffId).containsExactlyElementsOf(strings(diffIds)); // docker load checks these

        assertThat(mode("/opt/java/bin/java")).isEqualTo(0755);
        assertThat(mode("/lib64/ld-linux-x86-64.so.2")).as("the ELF interpreter must be executable").isEqualTo(0755);
        assertThat(image.paths()).contains("/opt/java/lib/server/libjvm.so", "/opt/java/lib/security/cacerts",
                "/lib/x86_64-linux-gnu/libc.so.6");
        if (Files.isRegularFile(Path.of("/usr/share/doc/libc6/copyright"))) { // built on Debian: licences go along
            assertThat(image.paths()).contains("/usr/share/doc/libc6/copyright");
        }
        assertThat(image.read("/opt/java/release")).contains("JAVA_VERSION=");
        assertThat(image.entry("/tmp").isDirectory()).isTrue();
        assertThat(mode("/tmp")).as("Netty unpacks its native libraries in /tmp as the non-root user").isEqualTo(0777);
        assertThat(image.entry("/etc/moq-relay").isDirectory()).isTrue();
        assertThat(image.read("/etc/passwd")).contains("nonroot:x:65532:65532:");
        assertThat(image.read("/etc/group")).contains("nonroot:x:65532:");

        String classPath = image.read("/app/jib-classpath-file");
        assertThat(classPath).isNotNull();
        List<String> entries = List.of(classPath.strip().split(":"));
        assertThat(entries).anyMatch(e -> e.matches("/app/libs/netty-codec-native-quic-.*-linux-x86_64\\.jar"))
                .anyMatch(e -> e.matches("/app/libs/moq-server-.*\\.jar"));
        for (String e : entries) {
            if (!e.endsWith("/*")) assertThat(image.paths()).as("class path entry").contains(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object json) {
        return (Map<String, Object>) json;
    }

    private static int mode(String path) {
        TarArchiveEntry e = image.entry(path);
        assertThat(e).as(path).isNotNull();
        return e.getMode() & 07777;
    }

    @Test
    void relayRunsFromTheImageAsItsUserAndStopsCleanly(@TempDir Path root) throws Exception {
        String why = Sandbox.unavailableReason();
        Assumptions.assumeTrue(why == null, () -> "cannot run the image without a container runtime here: " + why);
        RootFilesystem.unpack(image, root);
        int port = freePort();
        int internal = freePort();
        // What `docker run -v ./relay.toml:/etc/moq-relay/relay.toml` provides.
        Files.writeString(root.resolve("etc/moq-relay/relay.toml"), """
                [server]
                bind = "127.0.0.1:%d"
                [server.tls]
                generate = ["localhost"]
                [web.http]
                listen = "127.0.0.1:%d"
                [internal]
                listen = "127.0.0.1:%d"
                [auth]
                public = ""
                """.formatted(port, port, internal));

        Map<String, Object> run = image.runConfig();
        List<String> command = new ArrayList<>(strings(run.get("Entrypoint")));
        command.addAll(strings(run.get("Cmd")));
        String[] user = ((String) run.get("User")).split(":");
        Process relay = Sandbox.start(root, Integer.parseInt(user[0]), Integer.parseInt(user[1]), strings(run.get("Env")), command);
        RelayOutput out = new RelayOutput(relay);
        EventLoopGroup clients = EventLoops.newGroup(1, "it-image");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            out.ready.get(60, TimeUnit.SECONDS);
            assertThat(get(http, "http://127.0.0.1:" + port + "/health")).isEqualTo("ok\n");
            assertThat(get(http, "http://127.0.0.1:" + internal + "/metrics"))
                    .contains("moq_relay_", "jvm_memory_used_bytes", "process_cpu_usage", "process_files_open_files");
            // QUIC through the native library the image carries, pinned to the certificate it generated.
            String sha256 = get(http, "http://127.0.0.1:" + port + "/certificate.sha256");
            MoqClient viewer = MoqClient.connect(clients, URI.create("moqt://127.0.0.1:" + port + "/anon"),
                    ClientOptions.pinned(sha256)).get(10, TimeUnit.SECONDS);
            viewer.announced(org.moqrelay.wire.Path.ROOT);
            assertThat(root.resolve("tmp/hsperfdata_nonroot"))
                    .as("the JVM runs as 'nonroot' (its name from the image's /etc/passwd) and writes to /tmp").isDirectory();

            ProcessHandle java = relay.children().findFirst().orElseThrow();
            assertThat(java.destroy()).as("SIGTERM sent").isTrue();
            out.goaway.get(20, TimeUnit.SECONDS);
            viewer.close(); // as a client told to go away does; the relay then stops without waiting out its drain
            viewer.session().closed().get(10, TimeUnit.SECONDS);
            assertThat(relay.waitFor(20, TimeUnit.SECONDS)).as("relay exited").isTrue();
            assertThat(relay.exitValue()).as("exit status; log:%n%s", out).isZero();
            assertThat(out.toString()).contains("GOAWAY to 1 sessions")
                    .as("JVM warnings (a missing flag in the entrypoint?) or errors").doesNotContain("WARNING", " ERROR ");
        } catch (TimeoutException | ExecutionException e) {
            throw new AssertionError("relay in the image did not get there in time; its output:\n" + out, e);
        } finally {
            relay.destroyForcibly();
            out.reader.join(5_000);
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
            http.close();
        }
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static List<String> strings(Object jsonArray) {
        List<String> l = new ArrayList<>();
        for (Object o : (List<?>) jsonArray) l.add((String) o);
        return l;
    }

    /** The relay's merged output, collected by a reader thread, with the two lines the test waits for. */
    private static final class RelayOutput {
        final StringBuilder log = new StringBuilder();
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final CompletableFuture<Void> goaway = new CompletableFuture<>();
        final Thread reader;

        RelayOutput(Process p) {
            reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        synchronized (log) {
                            log.append(line).append('\n');
                        }
                        if (line.contains("ready; certificate")) ready.complete(null);
                        if (line.contains("shutting down: GOAWAY to")) goaway.complete(null);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
                ready.completeExceptionally(new IllegalStateException("the relay's output ended before it was ready"));
            });
        }

        @Override
        public String toString() {
            synchronized (log) {
                return log.toString();
            }
        }
    }
}
