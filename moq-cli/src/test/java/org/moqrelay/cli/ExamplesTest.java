package org.moqrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.moqrelay.relay.server.RelayConfig;

/** The configs in the repository's {@code examples/} load as documented. */
class ExamplesTest {
    private static Path example(String name) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("examples").resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        throw new AssertionError("examples/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    private static Settings.Loaded load(String name) {
        return Settings.load(example(name), RelayCommand.parse(Map.of()), Map.of());
    }

    @Test
    void localhost() {
        Settings.Loaded l = load("localhost.toml");
        RelayConfig r = l.relay();
        assertThat(l.logLevel()).isEqualTo(Level.DEBUG);
        assertThat(r.serverBind()).isEqualTo(new InetSocketAddress("::", 4443));
        assertThat(r.tlsCert()).isNull();
        assertThat(r.tlsGenerate()).containsExactly("localhost", "127.0.0.1", "::1");
        assertThat(r.webHttpListen()).isEqualTo(new InetSocketAddress("::", 4443));
        assertThat(r.auth().publicSubscribe()).containsExactly("");
        assertThat(r.auth().publicPublish()).containsExactly("");
        assertThat(r.lingerMillis()).isEqualTo(5_000);
    }

    @Test
    void prod() {
        Settings.Loaded l = load("prod.toml");
        RelayConfig r = l.relay();
        assertThat(l.logLevel()).isEqualTo(Level.INFO);
        assertThat(r.serverBind()).isEqualTo(new InetSocketAddress("::", 443));
        assertThat(r.tlsCert()).isEqualTo(Path.of("/etc/letsencrypt/live/relay.example.com/fullchain.pem"));
        assertThat(r.tlsKey()).isEqualTo(Path.of("/etc/letsencrypt/live/relay.example.com/privkey.pem"));
        assertThat(r.tlsGenerate()).isEmpty();
        assertThat(r.webHttpListen()).isEqualTo(new InetSocketAddress("127.0.0.1", 8080));
        assertThat(r.auth().key()).isEqualTo("/etc/moq/root.jwk");
        assertThat(r.auth().publicSubscribe()).containsExactly("anon", "demo");
        assertThat(r.auth().publicPublish()).containsExactly("anon");
        assertThat(r.clusterId()).isEqualTo(4242);
    }

    @Test
    void container() {
        Settings.Loaded l = load("container.toml");
        RelayConfig r = l.relay();
        assertThat(l.logLevel()).isEqualTo(Level.INFO);
        assertThat(r.serverBind()).isEqualTo(new InetSocketAddress("::", 443));
        assertThat(r.tlsCert()).isEqualTo(Path.of("/etc/moq-relay/cert.pem"));
        assertThat(r.tlsKey()).isEqualTo(Path.of("/etc/moq-relay/key.pem"));
        assertThat(r.webHttpListen()).isNull();
        assertThat(r.webHttps().listen()).isEqualTo(new InetSocketAddress("::", 443));
        assertThat(r.webHttps().cert()).as("the QUIC certificate").isNull();
        assertThat(r.auth().key()).isEqualTo("/etc/moq-relay/root.jwk");
        assertThat(r.auth().publicSubscribe()).containsExactly("anon", "demo");
        assertThat(r.auth().publicPublish()).containsExactly("anon");
        assertThat(r.internalListen()).isNull();
    }
}
