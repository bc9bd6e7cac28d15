package org.moqrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code moq-relay}'s exit status and messages for configuration errors, and its {@code --help}. */
class RelayCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        return RelayCommand.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private Path toml(String... lines) throws IOException {
        Path p = dir.resolve("relay.toml");
        Files.writeString(p, String.join("\n", lines) + "\n");
        return p;
    }

    @Test
    void unknownKeyExitsTwoWithOneLine() throws IOException {
        Path f = toml("[server]", "bind = \"[::]:4443\"", "colour = \"red\"");
        assertThat(run(Map.of(), f.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("moq-relay: " + f + ": unknown key 'server.colour' at line 3" + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void unsupportedKeyExitsTwoWithOneLine() throws IOException {
        Path f = toml("[cluster]", "connect = [\"https://root.example/\"]");
        assertThat(run(Map.of(), f.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("moq-relay: " + f + ": key 'cluster.connect' at line 2 is not supported yet (clustering)"
                + System.lineSeparator());
    }

    @Test
    void unsupportedFlagAndVariableExitTwo() {
        assertThat(run(Map.of(), "--cluster-connect", "https://root.example/")).isEqualTo(2);
        assertThat(run(Map.of("MOQ_STATS_ENABLED", "true"))).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("moq-relay: --cluster-connect is not supported yet (clustering)" + System.lineSeparator()
                + "moq-relay: MOQ_STATS_ENABLED is not supported yet (stats broadcasts)" + System.lineSeparator());
    }

    @Test
    void badValueExitsTwo() {
        assertThat(run(Map.of(), "--tls-generate", "localhost", "--auth-public", "", "--cluster-linger", "soon")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("moq-relay: --cluster-linger: bad duration 'soon' (expected e.g. 5s, 500ms, 1m 30s, or 0)"
                + System.lineSeparator());
    }

    @Test
    void unknownOptionExitsTwoWithOneLine() {
        assertThat(run(Map.of(), "--no-such-flag")).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(err.toString()).startsWith("moq-relay: Unknown option: '--no-such-flag'").endsWith("(see --help)" + System.lineSeparator());
    }

    @Test
    void helpListsEverySupportedFlagWithItsVariableAndNoUnsupportedOne() {
        assertThat(run(Map.of(), "--help")).isZero();
        String help = out.toString().replaceAll("\\s+", " ");
        for (Keys.Supported s : Keys.SUPPORTED) {
            for (String flag : s.flags()) assertThat(help).as(flag).contains(flag);
            if (s.env() != null) assertThat(help).as(s.env()).contains(s.env());
        }
        assertThat(help).contains("--web-ws", "MOQ_WEB_WS", "CONFIG", "not supported yet");
        for (Keys.Unsupported u : Keys.UNSUPPORTED) {
            if (u.key().equals("web.ws")) continue;
            for (String flag : u.flags()) assertThat(help).as(flag).doesNotContain(flag + " ").doesNotContain(flag + "=");
        }
    }
}
