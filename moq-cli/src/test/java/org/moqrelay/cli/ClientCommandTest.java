package org.moqrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** {@code moq}'s help for each subcommand (as the README shows it) and its one-line failures. */
class ClientCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return ClientCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void everySubcommandHasHelp() {
        assertThat(run("publish", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: moq publish", "--track", "--groups", "--frames", "--interval", "--size");
        assertThat(run("subscribe", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: moq subscribe", "--timeout");
        assertThat(run("load", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: moq load", "--subscribers");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aBadSchemeIsOneLineAndStatusOne() {
        assertThat(run("subscribe", "foo://localhost/anon")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("moq: cannot connect to foo://localhost/anon: unsupported URL scheme 'foo'"
                + " (expected moqt:// for raw QUIC, https:// for WebTransport, ws:// or wss:// for a WebSocket,"
                + " tcp:// or unix:// for plain qmux)" + System.lineSeparator());
    }

    @Test
    void aRefusedConnectionIsOneLineAndStatusOne() throws IOException {
        // A port held by a socket that is bound but does not listen: connecting is refused, and the
        // client's own ephemeral port can never be it (a freed port could be: a TCP self-connect).
        try (java.net.Socket holder = new java.net.Socket()) {
            holder.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String url = "ws://127.0.0.1:" + holder.getLocalPort() + "/anon";
            assertThat(run("publish", url, "--groups", "1")).isEqualTo(1);
            assertThat(err.toString().lines()).hasSize(1);
            assertThat(err.toString()).startsWith("moq: cannot connect to " + url + ": ").contains("Connection refused");
        }
    }

    @Test
    void aSubscriberToABroadcastNobodyPublishesSaysWhyItGotNothing() throws Exception {
        org.moqrelay.relay.server.RelayConfig dev = org.moqrelay.relay.server.RelayConfig.development(
                new java.net.InetSocketAddress("127.0.0.1", 0), new java.net.InetSocketAddress("127.0.0.1", 0));
        try (org.moqrelay.relay.server.RelayServer relay = org.moqrelay.relay.server.RelayServer.start(dev)) {
            String url = "ws://127.0.0.1:" + relay.webAddress().getPort() + "/anon";
            assertThat(run("subscribe", url, "--broadcast", "nobody", "--timeout", "10")).isEqualTo(1);
            assertThat(err.toString().lines()).as("err: %s", err).containsExactly("track ended: UNROUTABLE");
        }
    }
}
