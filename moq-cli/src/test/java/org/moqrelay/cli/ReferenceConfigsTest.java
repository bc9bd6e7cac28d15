package org.moqrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moqrelay.relay.server.RelayConfig;

/**
 * The reference relay's own example configs (copied into {@code src/test/resources/reference/},
 * source and commit at the top of each): each loads, or stops at its first unsupported feature
 * with the exact message.
 */
class ReferenceConfigsTest {
    private static Path reference(String name) {
        try {
            return Path.of(ReferenceConfigsTest.class.getResource("/reference/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static Settings.Loaded load(Path file) {
        return Settings.load(file, RelayCommand.parse(Map.of()), Map.of());
    }

    private static void stopsAt(String name, String key, int line, String feature) {
        Path f = reference(name);
        assertThatThrownBy(() -> load(f)).isInstanceOf(ConfigException.class)
                .hasMessage(f + ": key '" + key + "' at line " + line + " is not supported yet (" + feature + ")");
    }

    @Test
    void localhostStopsAtStats() {
        // demo/relay/localhost.toml: everything before [stats] is supported.
        stopsAt("localhost.toml", "stats.enabled", 38, "stats broadcasts");
    }

    @Test
    void rootLoads() {
        Settings.Loaded l = load(reference("root.toml"));
        RelayConfig r = l.relay();
        assertThat(l.logLevel()).isEqualTo(Level.DEBUG);
        assertThat(r.serverBind()).isEqualTo(new InetSocketAddress("::", 4443));
        assertThat(r.tlsCert()).isEqualTo(Path.of("root.crt"));
        assertThat(r.tlsKey()).isEqualTo(Path.of("root.key"));
        assertThat(r.tlsRoot()).isEqualTo(Path.of("ca.pem"));
        assertThat(r.webHttpListen()).isEqualTo(new InetSocketAddress("::", 4443));
        assertThat(r.auth().publicSubscribe()).containsExactly("");
        assertThat(r.auth().publicPublish()).containsExactly("");
    }

    @Test
    void leavesStopAtTheClusterClientCertificate() {
        stopsAt("leaf0.toml", "client.tls.cert", 27, "outbound client settings for cluster dials");
        stopsAt("leaf1.toml", "client.tls.cert", 27, "outbound client settings for cluster dials");
    }

    @Test
    void prodLoadsWithItsHttpsListener() {
        RelayConfig r = load(reference("prod.toml")).relay();
        assertThat(r.webHttps().listen()).isEqualTo(new InetSocketAddress("::", 443));
        assertThat(r.webHttps().cert()).isEqualTo(Path.of("cert.pem"));
        assertThat(r.webHttps().key()).isEqualTo(Path.of("key.pem"));
    }

    @Test
    void packagedRelayTomlLoadsWithItsHttpsListener() {
        RelayConfig r = load(reference("packaging-relay.toml")).relay();
        assertThat(r.webHttps().listen()).isEqualTo(new InetSocketAddress("::", 443));
        assertThat(r.webHttps().cert()).isEqualTo(Path.of("/var/lib/moq-relay/cert.pem"));
    }

    @Test
    void prodLoadsOnceItsHttpsListenerIsDropped(@TempDir Path dir) throws IOException {
        // web.https is prod.toml's only unsupported feature: the cert pair, the key and the public table load.
        String text = Files.readString(reference("prod.toml"));
        String without = text.replaceFirst("(?s)\\[web\\.https\\].*?(?=\n# See docs/auth.md)", "");
        assertThat(without).doesNotContain("web.https").contains("[auth.public]");
        Path f = Files.writeString(dir.resolve("prod.toml"), without);
        RelayConfig r = load(f).relay();
        assertThat(r.serverBind()).isEqualTo(new InetSocketAddress("::", 443));
        assertThat(r.tlsCert()).isEqualTo(Path.of("cert.pem"));
        assertThat(r.tlsKey()).isEqualTo(Path.of("key.pem"));
        assertThat(r.webHttpListen()).isNull();
        assertThat(r.auth().key()).isEqualTo("root.jwk");
        assertThat(r.auth().publicSubscribe()).containsExactly("anon", "demo");
        assertThat(r.auth().publicPublish()).containsExactly("anon", "demo/viewer");
    }

    @Test
    void smokeTestConfigLoads() {
        Settings.Loaded l = load(reference("smoke.toml"));
        assertThat(l.logLevel()).isEqualTo(Level.INFO);
        assertThat(l.relay().serverBind()).isEqualTo(new InetSocketAddress("127.0.0.1", 4443));
        assertThat(l.relay().tlsGenerate()).containsExactly("localhost", "127.0.0.1");
        assertThat(l.relay().webHttpListen()).isEqualTo(new InetSocketAddress("127.0.0.1", 4443));
        assertThat(l.relay().auth().publicSubscribe()).containsExactly("");
    }

    @Test
    void wasmHarnessConfigLoadsAndItsFlagOverridesWork() {
        // test/wasm/run.sh overrides the ports with --server-bind / --web-http-listen.
        Path f = reference("wasm-relay.toml");
        RelayConfig r = Settings.load(f, RelayCommand.parse(Map.of(), "--server-bind", "127.0.0.1:4461",
                "--web-http-listen", "127.0.0.1:4461"), Map.of()).relay();
        assertThat(r.serverBind()).isEqualTo(new InetSocketAddress("127.0.0.1", 4461));
        assertThat(r.webHttpListen()).isEqualTo(new InetSocketAddress("127.0.0.1", 4461));
        assertThat(load(f).relay().serverBind()).isEqualTo(new InetSocketAddress("127.0.0.1", 4460));
        assertThat(r.tlsGenerate()).isEqualTo(List.of("localhost", "127.0.0.1"));
    }
}
