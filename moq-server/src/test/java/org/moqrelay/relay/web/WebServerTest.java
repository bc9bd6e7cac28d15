package org.moqrelay.relay.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebServerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String HASH = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** Far below {@link #TIMEOUT}, so that every wait for a timed-out connection is bounded. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(300);

    private final AtomicReference<String> hash = new AtomicReference<>(HASH);
    private WebServer server;
    private EventLoopGroup group;

    @BeforeEach
    void start() {
        server = WebServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), WebRoutes.standard(hash::get));
    }

    @AfterEach
    void stop() {
        server.close();
        if (group != null) group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(TIMEOUT.toMillis());
    }

    @AfterAll
    static void closeClient() {
        CLIENT.close();
    }

    @Test
    void reportsTheBoundPort() {
        assertThat(server.localAddress().getPort()).isPositive();
        assertThat(server.localAddress().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void healthSaysOk() throws Exception {
        HttpResponse<String> response = get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok\n");
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
    }

    @Test
    void certificateHashIsExactlySixtyFourHexCharacters() throws Exception {
        HttpResponse<String> response = get("/certificate.sha256");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(HASH).hasSize(64).doesNotEndWith("\n");
        assertThat(response.headers().firstValue("content-length")).hasValue("64");
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
    }

    @Test
    void certificateHashFollowsTheSupplierAndIgnoresTheQuery() throws Exception {
        String next = "f".repeat(64);
        hash.set(next);

        assertThat(get("/certificate.sha256?t=1").body()).isEqualTo(next);
    }

    @Test
    void noCertificateIs404() throws Exception {
        hash.set(null);

        HttpResponse<String> response = get("/certificate.sha256");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("no certificate\n");
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
    }

    @Test
    void preflightIsAllowedForGet() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/certificate.sha256"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://example.com")
                .header("Access-Control-Request-Method", "GET"));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(response.headers().firstValue("access-control-allow-methods")).hasValue("GET");
        assertThat(response.headers().firstValue("access-control-allow-headers")).hasValue("*");
    }

    @Test
    void unknownPathsGetTheHtmlLandingPage() throws Exception {
        HttpResponse<String> response = get("/some/broadcast");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(response.body())
                .contains("<title>moq-relay</title>")
                .contains("Media over QUIC relay")
                .contains("WebTransport")
                .contains("WebSocket");
    }

    @Test
    void otherMethodsAre405() throws Exception {
        HttpResponse<String> post = send(HttpRequest.newBuilder(uri("/health")).POST(HttpRequest.BodyPublishers.ofString("x")));
        HttpResponse<String> delete = send(HttpRequest.newBuilder(uri("/nope")).DELETE());

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET, OPTIONS");
        assertThat(post.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(delete.statusCode()).isEqualTo(405);
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        try (Socket socket = connect()) {
            String request = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
            socket.getOutputStream().write((request + request).getBytes(StandardCharsets.US_ASCII));

            String both = readUntil(socket, s -> count(s, "\r\n\r\nok\n") == 2);
            assertThat(count(both, "HTTP/1.1 200 OK")).isEqualTo(2);
            assertThat(both).doesNotContainIgnoringCase("connection: close");

            socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String last = readToEnd(socket);
            assertThat(last).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nok\n");
        }
    }

    @Test
    void http10WithoutKeepAliveIsClosedAfterTheResponse() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET /health HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            assertThat(readToEnd(socket)).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nok\n");
        }
    }

    @Test
    void garbageRequestLineGets400AndClose() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GARBAGE / NOPE\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            String response = readToEnd(socket);
            assertThat(response).startsWith("HTTP/1.1 400 ");
            assertThat(response.toLowerCase()).contains("connection: close").contains("access-control-allow-origin: *");
        }
    }

    @Test
    void malformedPercentEncodingIs400() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            assertThat(readUntil(socket, s -> s.endsWith("bad request\n"))).startsWith("HTTP/1.1 400 ");
        }
    }

    @Test
    void oversizedRequestIs413() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: " + (64 * 1024 + 1) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));

            assertThat(readUntil(socket, s -> s.contains("\r\n\r\n"))).startsWith("HTTP/1.1 413 ");
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws Exception {
        try (WebServer quick = startWithRequestTimeout(); Socket socket = connect(quick)) {
            assertThat(socket.getInputStream().read()).as("the server closes the silent connection").isEqualTo(-1);
        }
    }

    @Test
    void aRequestTrickledInByteByByteIsClosedBeforeItIsWhole() throws Exception {
        try (WebServer quick = startWithRequestTimeout(); Socket socket = connect(quick)) {
            // Slowloris: a header byte every 50 ms, a read timeout paces it; the server must not
            // wait for the end, which never comes.
            socket.setSoTimeout(50);
            socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            boolean closed = false;
            for (int i = 0; i < 200 && !closed; i++) {
                try {
                    closed = socket.getInputStream().read() == -1;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    socket.getOutputStream().write('x');
                } catch (IOException reset) {
                    closed = true; // the server closed while we were writing: a reset is fine too
                }
            }
            assertThat(closed).as("the server closed the connection of the endless request").isTrue();
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterItsLastResponse() throws Exception {
        try (WebServer quick = startWithRequestTimeout(); Socket socket = connect(quick)) {
            socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            String response = readToEnd(socket);
            assertThat(response).startsWith("HTTP/1.1 200 OK").doesNotContainIgnoringCase("connection: close").endsWith("ok\n");
        }
    }

    @Test
    void aRequestBeingAnsweredIsNotTimedOut() throws Exception {
        java.util.concurrent.CompletableFuture<Runnable> held = new java.util.concurrent.CompletableFuture<>();
        WebRoutes routes = WebRoutes.builder().exact("/slow", (ctx, request) -> {
            request.retain();
            held.complete(() -> {
                WebResponses.send(ctx, request, WebResponses.text(io.netty.handler.codec.http.HttpResponseStatus.OK, "late\n"));
                request.release();
            });
        }).build();
        try (WebServer quick = WebServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), routes,
                group(), null, null, REQUEST_TIMEOUT); Socket slow = connect(quick)) {
            slow.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Runnable answer = held.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            // A connection opened after the slow request arrived is timed out: by then the slow
            // request has waited longer than the timeout too.
            try (Socket silent = connect(quick)) {
                assertThat(silent.getInputStream().read()).isEqualTo(-1);
            }
            answer.run();

            assertThat(readUntil(slow, s -> s.endsWith("late\n"))).startsWith("HTTP/1.1 200 OK");
            assertThat(slow.getInputStream().read()).as("then idle, the connection is closed in turn").isEqualTo(-1);
        }
    }

    @Test
    void closeReleasesThePortAndDropsOpenConnections() throws Exception {
        int port = server.localAddress().getPort();
        try (Socket idle = connect()) {
            idle.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            readUntil(idle, s -> s.endsWith("ok\n"));

            server.close();
            server.close(); // idempotent

            assertThat(idle.getInputStream().read()).isEqualTo(-1);
        }
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close()).isInstanceOf(ConnectException.class);
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void aBusyPortFailsClearly() {
        assertThatThrownBy(() -> WebServer.start(server.localAddress(), WebRoutes.standard(hash::get)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot listen for HTTP on");
    }

    @Test
    void runsOnACallersGroupAndLeavesItRunning() throws Exception {
        assertServesOn(new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()));
    }

    @Test
    void runsOnAnEpollGroup() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        assertServesOn(new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory()));
    }

    private void assertServesOn(EventLoopGroup group) throws Exception {
        try {
            try (WebServer other = WebServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    WebRoutes.standard(hash::get), group)) {
                HttpResponse<String> response = send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + other.localAddress().getPort() + "/health")));
                assertThat(response.body()).isEqualTo("ok\n");
            }
            assertThat(group.isShuttingDown()).isFalse();
        } finally {
            assertThat(group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(TIMEOUT.toMillis())).isTrue();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.localAddress().getPort() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A server on its own group whose request timeout is short: a test still waits on events only. */
    private WebServer startWithRequestTimeout() {
        return WebServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), WebRoutes.standard(hash::get),
                group(), null, null, REQUEST_TIMEOUT);
    }

    private EventLoopGroup group() {
        if (group == null) group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        return group;
    }

    private static Socket connect(WebServer s) throws IOException {
        Socket socket = new Socket();
        socket.connect(s.localAddress(), (int) TIMEOUT.toMillis());
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        return socket;
    }

    private Socket connect() throws IOException {
        return connect(server);
    }

    /** Reads until {@code done} holds; each read is bounded by the socket's timeout. */
    private static String readUntil(Socket socket, Predicate<String> done) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!done.test(seen.toString(StandardCharsets.US_ASCII))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; received: " + seen.toString(StandardCharsets.US_ASCII));
            }
            int n = in.read(buffer);
            if (n < 0) {
                throw new AssertionError("connection closed early; received: " + seen.toString(StandardCharsets.US_ASCII));
            }
            seen.write(buffer, 0, n);
        }
        return seen.toString(StandardCharsets.US_ASCII);
    }

    /** Reads until the server closes the connection (bounded by the socket's timeout). */
    private static String readToEnd(Socket socket) throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
