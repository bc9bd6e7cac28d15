package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.client.TestStream;
import org.moqrelay.client.TrackReader;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * One publisher, a hundred subscriber clients, one relay over raw QUIC (relay.md §2, §3): every
 * subscriber gets every frame, and the relay holds ONE upstream subscription for the shared track.
 */
class FanoutTest {
    private static final int SUBSCRIBERS = 100;
    private static final int GROUPS = 4;
    private static final int FRAMES = 3;
    private static final int PAYLOAD_SIZE = 600;
    private static final Duration BOUND = Duration.ofSeconds(10);

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.of(Relays::startDev).withClients(2, "fanout-clients");

    static CompletableFuture<MoqClient> connect(String path) {
        URI url = URI.create("moqt://127.0.0.1:" + relay.server().quicAddress().getPort() + path);
        return MoqClient.connect(relay.clients(), url, ClientOptions.pinned(relay.server().certificateSha256()));
    }

    /**
     * Completes once {@code condition} holds, checking it every 10 ms on a timer thread; fails
     * after {@code bound} (and then stops checking). The test thread only waits on the future.
     */
    static CompletableFuture<Void> when(BooleanSupplier condition, Duration bound) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Executor tick = CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS);
        Runnable check = new Runnable() {
            @Override
            public void run() {
                if (done.isDone()) return;
                if (condition.getAsBoolean()) done.complete(null);
                else tick.execute(this);
            }
        };
        check.run();
        return done.orTimeout(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void append(Group g, int frame) {
        g.append(1000 * g.sequence() + frame, Unpooled.wrappedBuffer(TestStream.payload(g.sequence(), frame, PAYLOAD_SIZE)));
    }

    @Test
    void aHundredSubscribersReceiveEveryFrameThroughOneUpstreamSubscription() throws Exception {
        List<MoqClient> all = new ArrayList<>();
        List<TrackReader> readers = new ArrayList<>();
        try {
            MoqClient pub = connect("/anon").get(BOUND.toSeconds(), TimeUnit.SECONDS);
            all.add(pub);
            Broadcast published = pub.publish(Path.of("fanout/live"));
            Track source = published.createTrack("video", TrackInfo.DEFAULT);
            Path relayPath = Path.of("anon/fanout/live");
            Broadcast atRelay = Relays.awaitAnnounced(relay.server().origin(), relayPath, BOUND.toSeconds());

            // The first frame exists before anyone subscribes: every subscriber joins late.
            Group g0 = source.createGroup(0);
            append(g0, 0);

            List<CompletableFuture<MoqClient>> connecting = new ArrayList<>();
            for (int i = 0; i < SUBSCRIBERS; i++) connecting.add(connect("/anon"));
            CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
            for (CompletableFuture<MoqClient> c : connecting) all.add(c.join());
            for (MoqClient sub : all.subList(1, all.size())) {
                readers.add(new TrackReader(sub.consume(Path.of("fanout/live")).track("video"), Demand.LATEST));
            }

            Track shared = atRelay.track("video");
            assertThat(shared).isNotNull();
            assertThat(when(() -> shared.subscriberCount() == SUBSCRIBERS, BOUND)).succeedsWithin(BOUND);
            assertThat(relay.server().origin().broadcast(relayPath).track("video")).isSameAs(shared);
            assertThat(shared.upstreamActive()).isTrue();
            // The publisher serves one subscription: the relay's, shared by all hundred viewers
            // (it reaches the publisher asynchronously, hence the bounded wait).
            assertThat(when(() -> source.subscriberCount() == 1, BOUND)).succeedsWithin(BOUND);

            for (int f = 1; f < FRAMES; f++) append(g0, f);
            g0.finish();
            for (long g = 1; g < GROUPS; g++) {
                Group group = source.createGroup(g);
                for (int f = 0; f < FRAMES; f++) append(group, f);
                group.finish();
            }

            for (TrackReader reader : readers) {
                List<TrackReader.Received> got = new ArrayList<>();
                for (int i = 0; i < GROUPS * FRAMES; i++) {
                    TrackReader.Received r = reader.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
                    assertThat(r).as("frame %d of a subscriber", i).isNotNull();
                    got.add(r);
                }
                assertThat(got).allSatisfy(r -> {
                    assertThat(r.end()).isFalse();
                    assertThat(TestStream.verify(r.group(), r.index(), r.payload())).isTrue();
                    assertThat(r.payload()).hasSize(PAYLOAD_SIZE);
                    assertThat(r.timestamp()).isEqualTo(1000 * r.group() + r.index());
                });
                Set<String> distinct = new HashSet<>();
                for (TrackReader.Received r : got) distinct.add(r.group() + "/" + r.index());
                assertThat(distinct).hasSize(GROUPS * FRAMES);
                // Groups travel on their own streams and may interleave; frames within one are in order.
                for (long g = 0; g < GROUPS; g++) {
                    long group = g;
                    assertThat(got.stream().filter(r -> r.group() == group).map(TrackReader.Received::index))
                            .containsExactly(0, 1, 2);
                }
            }

            // Still one upstream subscription after the traffic, and still every viewer on it.
            assertThat(shared.upstreamActive()).isTrue();
            assertThat(shared.subscriberCount()).isEqualTo(SUBSCRIBERS);
            assertThat(source.subscriberCount()).isEqualTo(1);

            source.finish();
            for (TrackReader reader : readers) {
                TrackReader.Received end = reader.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
                assertThat(end).isNotNull();
                assertThat(end.end()).isTrue();
            }
        } finally {
            readers.forEach(TrackReader::close);
            all.forEach(MoqClient::close);
        }
    }
}
