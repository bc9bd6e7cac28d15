package org.moqrelay.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * A remote track keeps ONE upstream subscription whatever the number of subscribers, asking for
 * their aggregated demand (relay.md §2).
 */
class TrackDedupTest {
    private final CountingSource source = new CountingSource();
    private final Broadcast broadcast = Broadcast.remote(Path.of("remote/b"), List.of(42L), source);
    private final Track track = broadcast.track("video");

    private static Demand demand(int priority, boolean ordered, long latency, Long start, Long end) {
        return new Demand(priority, ordered, latency, start, end);
    }

    @Test
    void manySubscribersOpenExactlyOneUpstreamSubscription() {
        List<RecordingReader> readers = new ArrayList<>();
        for (int i = 0; i < 50; i++) readers.add(RecordingReader.subscribe(track, Demand.LATEST));

        assertThat(broadcast.track("video")).isSameAs(track);
        assertThat(source.count("subscribe")).isEqualTo(1);
        assertThat(source.count("update")).isZero();
        assertThat(source.count("unsubscribe")).isZero();
        assertThat(track.upstreamActive()).isTrue();
        assertThat(track.subscriberCount()).isEqualTo(50);

        for (int i = 0; i < 49; i++) readers.get(i).close();
        assertThat(source.count("unsubscribe")).isZero();
        assertThat(track.upstreamActive()).isTrue();

        readers.get(49).close();
        assertThat(source.count("unsubscribe")).isEqualTo(1);
        assertThat(track.upstreamActive()).isFalse();

        // Closing twice is harmless and cancels nothing more.
        readers.get(49).subscription().close();
        assertThat(source.count("unsubscribe")).isEqualTo(1);
    }

    @Test
    void upstreamDemandIsTheAggregateAndEveryChangeIsForwardedAsAnUpdate() {
        Subscription a = track.subscribe(demand(1, true, 100, 5L, 10L), new RecordingReader());
        assertThat(source.calls).containsExactly(
                new CountingSource.Call("subscribe", "video", demand(1, true, 100, 5L, 10L)));

        // Max priority, ordered only if all, max latency, earliest start, max end.
        Subscription b = track.subscribe(demand(3, false, 50, 3L, 20L), new RecordingReader());
        assertThat(lastUpdate()).isEqualTo(demand(3, false, 100, 3L, 20L));

        // One unbounded subscriber makes the upstream unbounded; no start keeps the earliest start.
        Subscription c = track.subscribe(demand(2, true, 500, null, null), new RecordingReader());
        assertThat(lastUpdate()).isEqualTo(demand(3, false, 500, 3L, null));

        // A subscriber whose demand changes nothing causes no update.
        long updates = source.count("update");
        Subscription d = track.subscribe(demand(0, false, 10, 4L, 15L), new RecordingReader());
        assertThat(source.count("update")).isEqualTo(updates);
        d.close();
        assertThat(source.count("update")).isEqualTo(updates);

        b.close();
        assertThat(lastUpdate()).isEqualTo(demand(2, true, 500, 5L, null));

        c.update(demand(2, true, 500, null, 7L));
        assertThat(lastUpdate()).isEqualTo(demand(2, true, 500, 5L, 10L));

        a.close();
        assertThat(lastUpdate()).isEqualTo(demand(2, true, 500, null, 7L));

        c.close();
        assertThat(source.count("subscribe")).isEqualTo(1);
        assertThat(source.count("update")).isEqualTo(5);
        assertThat(source.count("unsubscribe")).isEqualTo(1);
        assertThat(source.calls.get(source.calls.size() - 1).kind()).isEqualTo("unsubscribe");
    }

    @Test
    void anUpdateToTheSameAggregateIsNotForwarded() {
        Subscription a = track.subscribe(demand(1, false, 100, null, null), new RecordingReader());
        a.update(demand(1, false, 100, null, null));
        Subscription b = track.subscribe(demand(5, false, 100, null, null), new RecordingReader());
        a.update(demand(4, false, 100, null, null));

        assertThat(source.of("update")).extracting(CountingSource.Call::demand)
                .containsExactly(demand(5, false, 100, null, null));
        a.close();
        b.close();
        assertThat(source.count("unsubscribe")).isEqualTo(1);
    }

    @Test
    void aSubscriberAfterTheLastOneLeftSubscribesUpstreamAgain() {
        RecordingReader first = RecordingReader.subscribe(track, demand(1, false, 0, null, null));
        first.close();
        assertThat(track.upstreamActive()).isFalse();

        RecordingReader second = RecordingReader.subscribe(track, demand(7, true, 0, null, null));
        assertThat(track.upstreamActive()).isTrue();
        assertThat(source.calls).extracting(CountingSource.Call::kind)
                .containsExactly("subscribe", "unsubscribe", "subscribe");
        assertThat(source.of("subscribe").get(1).demand()).isEqualTo(demand(7, true, 0, null, null));

        second.close();
        assertThat(source.count("unsubscribe")).isEqualTo(2);
    }

    @Test
    void aTrackThatEndedIsNotCancelledUpstreamWhenItsLastSubscriberLeaves() {
        RecordingReader r = RecordingReader.subscribe(track, Demand.LATEST);
        track.finish();
        r.close();

        assertThat(source.count("subscribe")).isEqualTo(1);
        assertThat(source.count("unsubscribe")).isZero();
        assertThat(track.upstreamActive()).isFalse();
    }

    @Test
    void theInfoIsRequestedFromTheSourceOnce() {
        track.info();
        track.info();
        assertThat(source.count("requestInfo")).isEqualTo(1);
        track.setInfo(TrackInfo.DEFAULT);
        assertThat(track.info()).isCompletedWithValue(TrackInfo.DEFAULT);
        assertThat(source.count("requestInfo")).isEqualTo(1);
    }

    @Test
    void subscribersComingAndGoingOnManyThreadsReachTheSourceInOrder() throws Exception {
        // The source must hear subscribe and unsubscribe alternate, and updates only in between,
        // in the order the track decided them (it is fed from many sessions' threads at once).
        final class OrderCheckingSource implements Track.Source {
            boolean subscribed;
            int subscribes;
            int violations;

            @Override
            public void requestInfo(Track t) {}

            @Override
            public synchronized void subscribe(Track t, Demand d) {
                if (subscribed) violations++;
                subscribed = true;
                subscribes++;
            }

            @Override
            public synchronized void update(Track t, Demand d) {
                if (!subscribed) violations++;
            }

            @Override
            public synchronized void unsubscribe(Track t) {
                if (!subscribed) violations++;
                subscribed = false;
            }
        }
        OrderCheckingSource checking = new OrderCheckingSource();
        Track shared = Broadcast.remote(Path.of("remote/race"), List.of(1L), checking).track("video");
        int threads = 4;
        int rounds = 20_000;
        CyclicBarrier go = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int priority = i;
            Thread t = new Thread(() -> {
                try {
                    go.await(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int k = 0; k < rounds; k++) {
                    Subscription sub = shared.subscribe(demand(priority, false, 0, null, null), new RecordingReader());
                    sub.close();
                }
            }, "subscriber-" + i);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join(Duration.ofSeconds(30));
            assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
        }

        synchronized (checking) {
            assertThat(checking.violations).isZero();
            assertThat(checking.subscribed).isFalse();
            assertThat(checking.subscribes).isPositive();
        }
        assertThat(shared.upstreamActive()).isFalse();
        Subscription last = shared.subscribe(Demand.LATEST, new RecordingReader());
        synchronized (checking) {
            assertThat(checking.subscribed).isTrue();
        }
        last.close();
    }

    private Demand lastUpdate() {
        List<CountingSource.Call> updates = source.of("update");
        assertThat(updates).isNotEmpty();
        return updates.get(updates.size() - 1).demand();
    }
}
