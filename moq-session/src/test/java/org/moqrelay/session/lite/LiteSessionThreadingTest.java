package org.moqrelay.session.lite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.moqrelay.session.lite.MemoryTransport.Kind.FIN;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Subscription;
import org.moqrelay.model.Track;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.StreamType;

/** Work reaching a session from other threads, as it does when sessions live on several event loops. */
class LiteSessionThreadingTest {
    private static final Path CAM = Path.of("live/cam");

    /** Runs {@code r} on a thread of its own and waits (bounded) until it has returned. */
    private static void fromAnotherThread(Runnable r) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Thread.ofPlatform().start(() -> {
            r.run();
            done.countDown();
        });
        assertThat(done.await(Harness.WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void workHandedOverFromAnotherThreadIsNotOvertakenByLaterWorkOnTheLoop() {
        try (Harness h = new Harness()) {
            LiteSession session = h.connect(LiteVersion.LITE_05, 11).relaySession();
            List<String> order = new CopyOnWriteArrayList<>();
            h.on(() -> {
                fromAnotherThread(() -> session.run(() -> order.add("handed over first")));
                session.run(() -> order.add("asked on the loop afterwards"));
                return null;
            });
            h.eventually(() -> assertThat(order).containsExactly("handed over first", "asked on the loop afterwards"));
        }
    }

    @Test
    void aSubscriberLeavingOnThePublishersLoopCancelsTheUpstreamSubscribeAnotherLoopAskedFor() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            Track relayed = h.relayTrack(pub, "live/cam", "video");
            Track published = h.on(() -> pub.published().broadcast(CAM).track("video"));

            h.on(() -> {
                // The first subscriber arrives on another loop: its upstream SUBSCRIBE is handed to
                // the publisher's session; it leaves on that session's loop before that ran.
                Subscription[] sub = new Subscription[1];
                fromAnotherThread(() -> sub[0] = relayed.subscribe(Demand.LATEST, Harness.IGNORE));
                sub[0].close();
                return null;
            });

            MemoryTransport up = pub.transport();
            h.eventually(() -> assertThat(up.opened("server", StreamType.BIDI_SUBSCRIBE)).hasSize(1));
            h.eventually(() -> assertThat(up.events("server", FIN, StreamType.BIDI_SUBSCRIBE)).hasSize(1));
            h.eventually(() -> assertThat(published.subscriberCount()).isZero());
            assertThat(relayed.upstreamActive()).isFalse();
        }
    }
}
