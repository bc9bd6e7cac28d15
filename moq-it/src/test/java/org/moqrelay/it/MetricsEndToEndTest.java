package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.client.TestStream;
import org.moqrelay.client.TrackReader;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.relay.metrics.RelayMetrics;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/** A relay with the internal ops listener: its counters move with real traffic, scraped over HTTP. */
class MetricsEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.of(
            () -> Relays.startQuicOnly(c -> c.withInternalListen(new InetSocketAddress("127.0.0.1", 0))))
            .withClients(2, "it-clients");
    @AutoClose
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    static MoqClient connect(String path) throws Exception {
        URI url = URI.create("moqt://127.0.0.1:" + relay.server().quicAddress().getPort() + path);
        return MoqClient.connect(relay.clients(), url, ClientOptions.pinned(relay.server().certificateSha256())).get(10, TimeUnit.SECONDS);
    }

    static HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + relay.server().internalAddress().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static Scrape scrape() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return new Scrape(r.body());
    }

    /** Scrapes until {@code done} holds, for at most 10 s; returns the last scrape either way. */
    static Scrape awaitScrape(Predicate<Scrape> done) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Scrape s = scrape();
        while (!done.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            s = scrape();
        }
        return s;
    }

    @Test
    void healthIsOk() throws Exception {
        HttpResponse<String> r = get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok\n");
    }

    @Test
    void countersFollowPublishedAndDeliveredMedia() throws Exception {
        Scrape before = scrape();
        assertThat(before.text()).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds",
                "process_cpu_usage", "process_files_open_files");
        assertThat(before.value("moq_relay_accept_failures_total", "listener", "internal", "class", "exhausted")).isZero();
        assertThat(before.value("moq_relay_accept_stalled_seconds", "listener", "internal")).isZero();

        long payloadBytes = 0;
        int frames = 0;
        MoqClient pub = connect("/anon");
        MoqClient sub = connect("/anon");
        try {
            Track t = pub.publish(Path.of("metrics/one")).createTrack("frames", TrackInfo.DEFAULT);
            Relays.awaitAnnounced(relay.server().origin(), Path.of("anon/metrics/one"), 10);
            Group g0 = t.createGroup(0);
            byte[] first = TestStream.payload(0, 0, 40);
            g0.append(0, Unpooled.wrappedBuffer(first));
            payloadBytes += first.length;
            frames++;
            try (TrackReader reader = new TrackReader(sub.consume(Path.of("metrics/one")).track("frames"), Demand.LATEST)) {
                assertThat(reader.poll(10, TimeUnit.SECONDS)).isNotNull();
                g0.finish();
                for (long g = 1; g <= 3; g++) {
                    Group grp = t.createGroup(g);
                    for (int f = 0; f < 3; f++) {
                        byte[] p = TestStream.payload(g, f, 100 * (f + 1));
                        grp.append(f, Unpooled.wrappedBuffer(p));
                        payloadBytes += p.length;
                        frames++;
                    }
                    grp.finish();
                }
                for (int i = 1; i < frames; i++) assertThat(reader.poll(10, TimeUnit.SECONDS)).isNotNull();
                List<byte[]> fetched = sub.session().fetch(Path.of("metrics/one"), "frames", 2).get(10, TimeUnit.SECONDS);
                assertThat(fetched).hasSize(3);

                long in = payloadBytes;
                int inFrames = frames;
                Scrape during = awaitScrape(s -> s.traffic("moq_relay_bytes_total", "subscriber") == in
                        && s.traffic("moq_relay_bytes_total", "publisher") >= in
                        && s.traffic("moq_relay_frames_total", "publisher") >= inFrames + 3);
                // Received from the publisher: every frame once, 4 groups.
                assertThat(during.traffic("moq_relay_bytes_total", "subscriber")).isEqualTo(payloadBytes);
                assertThat(during.traffic("moq_relay_frames_total", "subscriber")).isEqualTo(frames);
                assertThat(during.traffic("moq_relay_groups_total", "subscriber")).isEqualTo(4);
                // Sent to the subscriber: the same, plus the fetched group.
                assertThat(during.traffic("moq_relay_bytes_total", "publisher")).isGreaterThan(payloadBytes);
                assertThat(during.traffic("moq_relay_frames_total", "publisher")).isEqualTo(frames + 3);
                assertThat(during.traffic("moq_relay_groups_total", "publisher")).isEqualTo(5);
                assertThat(during.traffic("moq_relay_fetches_total", "publisher")).isEqualTo(1);
                // Every live frame handed to the subscriber is timed from its arrival in the relay;
                // the fetched ones are replays from the cache and are not.
                assertThat(during.value("moq_relay_forward_delay_seconds_count", "tier", RelayMetrics.DEFAULT_TIER))
                        .isEqualTo(frames);
                assertThat(during.value("moq_relay_forward_delay_seconds_bucket", "tier", RelayMetrics.DEFAULT_TIER, "le", "+Inf"))
                        .isEqualTo(frames);
                assertThat(during.value("moq_relay_forward_delay_seconds_sum", "tier", RelayMetrics.DEFAULT_TIER)).isPositive();
                // The fetched group was cached: the relay did not fetch it from the publisher.
                assertThat(during.traffic("moq_relay_fetches_total", "subscriber")).isZero();
                assertThat(during.traffic("moq_relay_datagrams_total", "subscriber")).isZero();
                assertThat(during.traffic("moq_relay_subscriptions_opened_total", "subscriber")).isEqualTo(1);
                assertThat(during.traffic("moq_relay_subscriptions_opened_total", "publisher")).isEqualTo(1);
                assertThat(during.traffic("moq_relay_viewers_opened_total", "publisher")).isEqualTo(1);
                assertThat(during.traffic("moq_relay_viewers_closed_total", "publisher")).isZero();
                assertThat(during.sessions("moq_relay_sessions_opened_total")).isEqualTo(2);
                assertThat(during.sessions("moq_relay_sessions_closed_total")).isZero();
            }
        } finally {
            sub.close();
            pub.close();
        }

        // Everything opened is closed again once the clients are gone.
        Scrape after = awaitScrape(s -> s.sessions("moq_relay_sessions_closed_total") == 2
                && s.traffic("moq_relay_subscriptions_closed_total", "subscriber") == 1
                && s.traffic("moq_relay_subscriptions_closed_total", "publisher") == 1
                && s.traffic("moq_relay_viewers_closed_total", "publisher") == 1);
        assertThat(after.sessions("moq_relay_sessions_closed_total")).isEqualTo(2);
        assertThat(after.traffic("moq_relay_subscriptions_closed_total", "subscriber")).isEqualTo(1);
        assertThat(after.traffic("moq_relay_subscriptions_closed_total", "publisher")).isEqualTo(1);
        assertThat(after.traffic("moq_relay_viewers_closed_total", "publisher")).isEqualTo(1);
    }

    /** One /metrics body, read series by series. */
    record Scrape(String text) {
        private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

        /** GETs {@code r}'s internal {@code /metrics} (asserting 200). */
        static Scrape of(RelayServer r) throws Exception {
            URI uri = URI.create("http://127.0.0.1:" + r.internalAddress().getPort() + "/metrics");
            HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(200);
            return new Scrape(res.body());
        }

        /** A default-tier traffic counter for {@code role}. */
        long traffic(String name, String role) {
            return (long) value(name, "tier", RelayMetrics.DEFAULT_TIER, "role", role);
        }

        /** A default-tier session counter. */
        long sessions(String name) {
            return (long) value(name, "tier", RelayMetrics.DEFAULT_TIER);
        }

        /** The series {@code name} with exactly {@code labels} (key, value, ...); fails when absent. */
        double value(String name, String... labels) {
            TreeMap<String, String> want = new TreeMap<>();
            for (int i = 0; i < labels.length; i += 2) want.put(labels[i], labels[i + 1]);
            for (String line : text.split("\n")) {
                if (line.startsWith("#") || !line.startsWith(name + "{")) continue;
                TreeMap<String, String> got = new TreeMap<>();
                String inner = line.substring(name.length() + 1, line.lastIndexOf('}'));
                for (String pair : inner.split(",")) {
                    int eq = pair.indexOf('=');
                    got.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
                }
                if (got.equals(want)) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
            throw new AssertionError("no " + name + want + " in:\n" + text);
        }
    }
}
