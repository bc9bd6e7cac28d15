package org.moqrelay.transport.qmux.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.moqrelay.transport.qmux.QmuxConnection;
import org.moqrelay.transport.quic.EventLoops;

/** The WebSocket client's failures before any relay answers (the working paths: moq-it JavaWebSocketClientTest). */
class WebSocketClientTest {
    private static final EventLoopGroup GROUP = EventLoops.newGroup(1, "ws-client-test");

    @AfterAll
    static void stop() {
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
    }

    @Test
    void aServerThatNeverAnswersTheUpgradeFailsTheConnectAfterTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            URI url = URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/anon");
            Future<QmuxConnection> f = WebSocketClient.connect(GROUP, url, null, List.of("moq-lite-05"), 300);
            try (Socket accepted = silent.accept()) { // connected, then nothing is ever written back
                assertThat(f.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(f.isSuccess()).isFalse();
                assertThat(f.cause()).hasMessageContaining("no WebSocket upgrade within 300 ms");
            }
        }
    }

    @Test
    void nothingToOfferAndAMismatchedSchemeAreRefusedUpFront() {
        URI url = URI.create("ws://127.0.0.1:9/anon");
        Future<QmuxConnection> none = WebSocketClient.connect(GROUP, url, null, List.of());
        assertThat(none.cause()).hasMessageContaining("no MoQ version to offer");
        Future<QmuxConnection> wss = WebSocketClient.connect(GROUP, URI.create("wss://127.0.0.1:9/anon"), null, List.of("moq-lite-05"));
        assertThat(wss.cause()).hasMessageContaining("wss:// needs TLS");
    }
}
