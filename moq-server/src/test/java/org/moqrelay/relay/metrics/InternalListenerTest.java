package org.moqrelay.relay.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InternalListenerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private RelayMetrics metrics;
    private InternalListener listener;

    @BeforeEach
    void start() {
        metrics = new RelayMetrics();
        listener = InternalListener.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics,
                org.moqrelay.relay.web.HttpRequestTimeout.DEFAULT);
    }

    @AfterEach
    void stop() {
        listener.close();
        metrics.close();
    }

    @AfterAll
    static void closeClient() {
        CLIENT.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + listener.localAddress().getPort() + path);
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsOk() throws Exception {
        HttpResponse<String> r = send("GET", "/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok\n");
    }

    @Test
    void metricsArePrometheusTextIncludingThisListenersAcceptHealth() throws Exception {
        HttpResponse<String> r = send("GET", "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(Scrapes.value(r.body(), "moq_relay_sessions_opened_total", "tier", RelayMetrics.DEFAULT_TIER)).isZero();
        assertThat(Scrapes.value(r.body(), "moq_relay_accept_failures_total", "listener", "internal", "class", "exhausted")).isZero();
        assertThat(Scrapes.value(r.body(), "moq_relay_accept_stalled_seconds", "listener", "internal")).isZero();
    }

    @Test
    void nodesIsAnEmptyListWithoutACluster() throws Exception {
        HttpResponse<String> r = send("GET", "/nodes");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"nodes\":[]}");
    }

    @Test
    void otherPathsAreNotFoundAndOtherMethodsNotAllowed() throws Exception {
        assertThat(send("GET", "/metricsx").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/metrics").statusCode()).isEqualTo(405);
    }

    @Test
    void anAcceptErrorOnTheServerChannelIsCountedAndPassedOn() {
        AcceptHealth health = metrics.acceptHealth("tcp");
        EmbeddedChannel server = new EmbeddedChannel(new AcceptHealthHandler(health));
        server.pipeline().fireExceptionCaught(new IOException("accept(..) failed: Too many open files"));
        assertThat(health.failures(AcceptFailure.EXHAUSTED)).isEqualTo(1);
        // Passed on, so Netty's acceptor can pause accepting.
        assertThatThrownBy(server::checkException).isInstanceOf(IOException.class);
        server.pipeline().fireChannelRead("child");
        assertThat(health.stalledSeconds()).isZero();
        Object child = server.readInbound();
        assertThat(child).isEqualTo("child");
        assertThat(server.finish()).isFalse();
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheRequestTimeout() throws Exception {
        try (InternalListener quick = InternalListener.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics,
                Duration.ofMillis(300)); java.net.Socket socket = new java.net.Socket()) {
            socket.connect(quick.localAddress(), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis()); // bounds the read below
            assertThat(socket.getInputStream().read()).as("the listener closes the silent connection").isEqualTo(-1);
        }
    }
}
