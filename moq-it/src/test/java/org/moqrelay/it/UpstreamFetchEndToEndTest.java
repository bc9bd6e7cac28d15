package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.client.TestStream;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.model.TrackException;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * FETCH of a group the relay has not cached (relay.md §2): the relay fetches it from the Java
 * client that publishes it, once however many fetchers (moq-lite FETCH and HTTP /fetch) wait for
 * it. Upstream FETCHes are counted as {@code moq_relay_fetches_total{role="subscriber"}}.
 */
class UpstreamFetchEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.of(
            () -> Relays.startDev(c -> c.withInternalListen(new InetSocketAddress("127.0.0.1", 0))))
            .withClients(2, "it-fetch");
    @AutoClose
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    static MoqClient connect(LiteVersion v) throws Exception {
        URI url = URI.create("moqt://127.0.0.1:" + relay.server().quicAddress().getPort() + "/anon");
        return MoqClient.connect(relay.clients(), url, ClientOptions.pinned(relay.server().certificateSha256()).withVersion(v))
                .get(10, TimeUnit.SECONDS);
    }

    static CompletableFuture<HttpResponse<String>> httpFetch(String path) {
        URI uri = URI.create("http://127.0.0.1:" + relay.server().webAddress().getPort() + path);
        return http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(40)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
    }

    static MetricsEndToEndTest.Scrape scrape() throws Exception {
        return MetricsEndToEndTest.Scrape.of(relay.server());
    }

    /** Scrapes until {@code done} holds (at most 10 s) and asserts it. */
    static void awaitScrape(Predicate<MetricsEndToEndTest.Scrape> done) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        MetricsEndToEndTest.Scrape s = scrape();
        while (!done.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            s = scrape();
        }
        assertThat(done.test(s)).as("metrics:\n%s", s.text()).isTrue();
    }

    static long upstreamFetches() throws Exception {
        return scrape().traffic("moq_relay_fetches_total", "subscriber");
    }

    static Group group(Track t, long seq, int frames) {
        Group g = t.createGroup(seq);
        for (int f = 0; f < frames; f++) g.append(f, Unpooled.wrappedBuffer(TestStream.payload(seq, f, 30)));
        return g;
    }

    static String body(long seq, int frames) {
        StringBuilder b = new StringBuilder();
        for (int f = 0; f < frames; f++) b.append(new String(TestStream.payload(seq, f, 30), StandardCharsets.ISO_8859_1));
        return b.toString();
    }

    static ErrorCode failure(CompletableFuture<List<byte[]>> f) {
        assertThat(f).failsWithin(TIMEOUT);
        return f.handle((x, e) -> TrackException.codeOf(e, null)).join();
    }

    @Test
    void anUncachedGroupIsFetchedFromThePublisherOverMoqLiteAndHttpThenServedFromTheCache() throws Exception {
        try (MoqClient pub = connect(LiteVersion.LITE_05); MoqClient sub = connect(LiteVersion.LITE_05)) {
            Track t = pub.publish(Path.of("uf/one")).createTrack("frames", TrackInfo.DEFAULT);
            Relays.awaitAnnounced(relay.server().origin(), Path.of("anon/uf/one"), 10);
            // Nobody subscribes: the relay has never seen these groups.
            group(t, 5, 3).finish();
            group(t, 6, 2).finish();
            long before = upstreamFetches();

            List<byte[]> frames = sub.session().fetch(Path.of("uf/one"), "frames", 5).get(10, TimeUnit.SECONDS);
            assertThat(frames).hasSize(3);
            for (int f = 0; f < 3; f++) assertThat(TestStream.verify(5, f, frames.get(f))).isTrue();
            HttpResponse<String> viaHttp = httpFetch("/fetch/anon/uf/one/frames?group=6").get(20, TimeUnit.SECONDS);
            assertThat(viaHttp.statusCode()).isEqualTo(200);
            assertThat(viaHttp.body()).isEqualTo(body(6, 2));
            assertThat(upstreamFetches()).isEqualTo(before + 2);

            // Both are cached now: again, from either side, without asking the publisher.
            assertThat(httpFetch("/fetch/anon/uf/one/frames?group=5").get(20, TimeUnit.SECONDS).body()).isEqualTo(body(5, 3));
            assertThat(sub.session().fetch(Path.of("uf/one"), "frames", 6).get(10, TimeUnit.SECONDS)).hasSize(2);
            assertThat(upstreamFetches()).isEqualTo(before + 2);
            assertThat(t.subscriberCount()).isZero(); // fetching is not subscribing
        }
    }

    @Test
    void concurrentFetchesOfOneGroupCoalesceIntoOneUpstreamFetch() throws Exception {
        try (MoqClient pub = connect(LiteVersion.LITE_05); MoqClient sub1 = connect(LiteVersion.LITE_05);
             MoqClient sub2 = connect(LiteVersion.LITE_05)) {
            Track t = pub.publish(Path.of("uf/many")).createTrack("frames", TrackInfo.DEFAULT);
            Relays.awaitAnnounced(relay.server().origin(), Path.of("anon/uf/many"), 10);
            // Still being written, no frame yet: the upstream fetch waits for data.
            Group g = t.createGroup(7);
            MetricsEndToEndTest.Scrape start = scrape();
            long upstream = start.traffic("moq_relay_fetches_total", "subscriber");
            long served = start.traffic("moq_relay_fetches_total", "publisher");

            CompletableFuture<List<byte[]>> a = sub1.session().fetch(Path.of("uf/many"), "frames", 7);
            CompletableFuture<List<byte[]>> b = sub2.session().fetch(Path.of("uf/many"), "frames", 7);
            CompletableFuture<List<byte[]>> c = sub2.session().fetch(Path.of("uf/many"), "frames", 7);
            // All three FETCHes have reached the relay, and only one went on to the publisher.
            awaitScrape(s -> s.traffic("moq_relay_fetches_total", "publisher") == served + 3);
            CompletableFuture<HttpResponse<String>> viaHttp = httpFetch("/fetch/anon/uf/many/frames?group=7");
            assertThat(a).isNotDone();

            for (int f = 0; f < 4; f++) g.append(f, Unpooled.wrappedBuffer(TestStream.payload(7, f, 30)));
            g.finish();
            for (CompletableFuture<List<byte[]>> f : List.of(a, b, c)) {
                List<byte[]> frames = f.get(10, TimeUnit.SECONDS);
                assertThat(frames).hasSize(4);
                for (int i = 0; i < 4; i++) assertThat(TestStream.verify(7, i, frames.get(i))).isTrue();
            }
            assertThat(viaHttp.get(20, TimeUnit.SECONDS).body()).isEqualTo(body(7, 4));
            assertThat(upstreamFetches()).isEqualTo(upstream + 1);
        }
    }

    @Test
    void aGroupThePublisherDoesNotHaveIsNotFoundOverMoqLiteAnd404OverHttp() throws Exception {
        try (MoqClient pub = connect(LiteVersion.LITE_05); MoqClient sub = connect(LiteVersion.LITE_05)) {
            pub.publish(Path.of("uf/missing")).createTrack("frames", TrackInfo.DEFAULT);
            Relays.awaitAnnounced(relay.server().origin(), Path.of("anon/uf/missing"), 10);
            long before = upstreamFetches();
            assertThat(failure(sub.session().fetch(Path.of("uf/missing"), "frames", 42))).isEqualTo(ErrorCode.NOT_FOUND);
            HttpResponse<String> r = httpFetch("/fetch/anon/uf/missing/frames?group=42").get(20, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).isEqualTo("group not found\n");
            // A track the publisher does not have is a 404 too, decided by the publisher.
            assertThat(httpFetch("/fetch/anon/uf/missing/audio?group=0").get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(404);
            assertThat(upstreamFetches()).isEqualTo(before + 3);
            assertThat(relay.server().origin().broadcast(Path.of("anon/uf/missing")).track("frames").group(42)).isNull();
            assertThat(relay.server().sessionCount()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aPublisherGoneMidFetchEndsTheFetchesCleanlyAndReleasesTheGroup() throws Exception {
        MoqClient pub = connect(LiteVersion.LITE_05);
        try (MoqClient sub = connect(LiteVersion.LITE_05)) {
            Track t = pub.publish(Path.of("uf/gone")).createTrack("frames", TrackInfo.DEFAULT);
            Relays.awaitAnnounced(relay.server().origin(), Path.of("anon/uf/gone"), 10);
            group(t, 3, 1); // one frame, then the publisher leaves before finishing the group
            CompletableFuture<List<byte[]>> viaLite = sub.session().fetch(Path.of("uf/gone"), "frames", 3);
            CompletableFuture<HttpResponse<String>> viaHttp = httpFetch("/fetch/anon/uf/gone/frames?group=3");
            Track relayed = relay.server().origin().broadcast(Path.of("anon/uf/gone")).track("frames");
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while ((relayed.group(3) == null || relayed.group(3).frameCount() < 1) && System.nanoTime() < deadline) Thread.sleep(10);
            Group cached = relayed.group(3);
            assertThat(cached).isNotNull();

            pub.close();
            assertThat(failure(viaLite)).isEqualTo(ErrorCode.CANCEL);
            // HTTP had its 200 and the first frame: the body is cut short, not completed.
            assertThat(viaHttp).failsWithin(Duration.ofSeconds(20));
            Relays.awaitUnannounced(relay.server().origin(), Path.of("anon/uf/gone"), 10);
            // Nothing is left holding the group's payloads.
            deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (cached.state() != Group.State.EVICTED && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(cached.state()).isEqualTo(Group.State.EVICTED);
            assertThat(cached.frameCount()).isZero();
            // The fetcher's session is unaffected.
            assertThat(sub.session().isOpen()).isTrue();
        } finally {
            pub.close();
        }
    }

    @Test
    void aLite04PublisherHasNoFetchSoAnUncachedGroupIsVersionOverMoqLiteAnd500OverHttp() throws Exception {
        try (MoqClient pub = connect(LiteVersion.LITE_04); MoqClient sub = connect(LiteVersion.LITE_05)) {
            // Raw QUIC before lite-05 carries no path: the publisher's session is at the root.
            Track t = pub.publish(Path.of("anon/uf/old")).createTrack("frames", TrackInfo.DEFAULT);
            Relays.awaitAnnounced(relay.server().origin(), Path.of("anon/uf/old"), 10);
            group(t, 1, 1).finish();
            long before = upstreamFetches();
            assertThat(failure(sub.session().fetch(Path.of("uf/old"), "frames", 1))).isEqualTo(ErrorCode.VERSION);
            HttpResponse<String> r = httpFetch("/fetch/anon/uf/old/frames?group=1").get(20, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).isEqualTo("fetch failed: version\n");
            assertThat(upstreamFetches()).isEqualTo(before);
        }
    }
}
