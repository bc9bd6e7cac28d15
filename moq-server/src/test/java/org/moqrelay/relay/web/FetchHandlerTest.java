package org.moqrelay.relay.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Group;
import org.moqrelay.model.Origin;
import org.moqrelay.model.Track;
import org.moqrelay.session.lite.Authorizer;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/** {@code /fetch} on a real web server, driven over a raw socket to pipeline and keep connections alive. */
class FetchHandlerTest {
    private static final int TIMEOUT_MILLIS = 10_000;

    private DefaultEventLoop timer;
    private Origin origin;
    private FetchHandler fetch;
    private WebServer server;

    @BeforeEach
    void start() {
        timer = new DefaultEventLoop();
        origin = new Origin(timer, 0);
        fetch = new FetchHandler(origin, Authorizer.ALLOW_ALL);
        server = WebServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                WebRoutes.builder().prefix("/fetch", fetch).build());
    }

    @AfterEach
    void stop() {
        server.close();
        origin.closeAll();
        timer.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void pipelinedFetchesAreAnsweredInOrderAndWaitOneAtATime() throws Exception {
        publish("live/cam", "one");
        try (Socket socket = connect()) {
            StringBuilder requests = new StringBuilder();
            // A hundred fetches waiting for a broadcast that is not there yet, then one answered at once (404).
            for (int i = 0; i < 100; i++) requests.append(get("/fetch/live/late/video"));
            requests.append(get("/fetch/live/cam/audio"));
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> write(socket, requests.toString()));

            awaitAtLeast(origin::watchCount, 1);
            assertThat(origin.watchCount()).as("fetches waiting for their broadcast at once").isEqualTo(1);

            publish("live/late", "x");
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < 100; i++) {
                Answer a = Answer.read(in);
                assertThat(a.status()).as("answer %d", i).isEqualTo(200);
                assertThat(a.body()).as("answer %d", i).isEqualTo("x");
            }
            assertThat(Answer.read(in).status()).isEqualTo(404);
            assertThat(sent).succeedsWithin(java.time.Duration.ofMillis(TIMEOUT_MILLIS));
            assertThat(origin.watchCount()).isZero();
        }
    }

    @Test
    void moreThan128UnansweredRequestsCloseTheConnectionAndLeaveNothingBehind() throws Exception {
        try (Socket socket = connect()) {
            write(socket, get("/fetch/live/late/video").repeat(200));
            assertThat(socket.getInputStream().read()).as("closed without an answer").isEqualTo(-1);
        }
        awaitAtMost(origin::watchCount, 0);
        awaitAtMost(fetch::closeListeners, 0);
    }

    @Test
    void aKeepAliveConnectionHoldsNothingOfItsFinishedFetches() throws Exception {
        publish("live/cam", "one");
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < 100; i++) {
                write(socket, get("/fetch/live/cam/video"));
                assertThat(Answer.read(in).body()).isEqualTo("one");
            }
            write(socket, get("/fetch/live/cam/audio"));
            assertThat(Answer.read(in).status()).isEqualTo(404);
            // The last fetch lets go just after its answer is written.
            awaitAtMost(fetch::closeListeners, 0);
            assertThat(socket.isClosed()).isFalse();
        }
    }

    @Test
    void aClientThatLeavesWhileItsFetchWaitsLeavesNothingBehind() throws Exception {
        try (Socket socket = connect()) {
            write(socket, get("/fetch/live/late/video"));
            awaitAtLeast(origin::watchCount, 1);
            assertThat(fetch.closeListeners()).isEqualTo(1);
        }
        awaitAtMost(origin::watchCount, 0);
        awaitAtMost(fetch::closeListeners, 0);
    }

    /** Publishes {@code path} with a track "video" whose one finished group holds {@code text}. */
    private void publish(String path, String text) {
        Broadcast b = Broadcast.local(Path.of(path));
        Track t = b.createTrack("video", TrackInfo.DEFAULT);
        Group g = t.createGroup(0);
        g.append(0, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        g.finish();
        origin.publish(b);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.localAddress().getPort());
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return socket;
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    private static void write(Socket socket, String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitAtLeast(IntSupplier value, int least) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        while (value.getAsInt() < least && System.nanoTime() < deadline) Thread.onSpinWait();
        assertThat(value.getAsInt()).isGreaterThanOrEqualTo(least);
    }

    private static void awaitAtMost(IntSupplier value, int most) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        while (value.getAsInt() > most && System.nanoTime() < deadline) Thread.onSpinWait();
        assertThat(value.getAsInt()).isLessThanOrEqualTo(most);
    }

    /** One HTTP/1.1 response, its body read by Content-Length or chunked coding. */
    private record Answer(int status, String body) {
        static Answer read(InputStream in) throws IOException {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new HashMap<>();
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
                    body.write(in.readNBytes(size));
                    line(in);
                }
                line(in);
            } else {
                body.write(in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0"))));
            }
            return new Answer(status, body.toString(StandardCharsets.UTF_8));
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder out = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) throw new IOException("connection closed after '" + out + "'");
                if (c != '\r') out.append((char) c);
            }
            return out.toString();
        }
    }
}
