package org.moqrelay.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * Subscribers read from the shared cache at their own pace: one that does not read does not hold
 * up the producer or any other subscriber.
 */
class StalledSubscriberTest {
    private static final int GROUPS = 5;
    private static final int FRAMES = 10;
    private static final int TOTAL = GROUPS * FRAMES;
    private static final Duration BOUND = Duration.ofSeconds(5);

    private final Payloads payloads = new Payloads();
    private final Track track = Broadcast.local(Path.of("stall")).createTrack("video", new TrackInfo(0, false, 60_000, 1000));
    private final ExecutorService stalledLoop = Executors.newSingleThreadExecutor();
    private final ExecutorService healthyLoop = Executors.newSingleThreadExecutor();

    @AfterEach
    void shutDown() throws InterruptedException {
        stalledLoop.shutdownNow();
        healthyLoop.shutdownNow();
        assertThat(stalledLoop.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(healthyLoop.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * A subscriber as a session runs it: notifications only hop onto its own executor, where the
     * frames are read and released. Completes {@link #all} once it has read {@code expected} frames.
     */
    static final class ExecutorReader implements Track.Listener, Group.Listener {
        final AtomicInteger read = new AtomicInteger();
        final CompletableFuture<Void> all = new CompletableFuture<>();
        private final ExecutorService loop;
        private final int expected;
        private final Map<Group, Integer> cursors = new HashMap<>();
        Subscription subscription;

        ExecutorReader(ExecutorService loop, int expected) {
            this.loop = loop;
            this.expected = expected;
        }

        @Override
        public void onGroup(Track t, Group g) {
            g.addListener(this);
            onGroupChanged(g);
        }

        @Override
        public void onGroupChanged(Group g) {
            loop.execute(() -> drain(g));
        }

        @Override
        public void onEnd(Track t) {}

        private void drain(Group g) {
            int next = cursors.getOrDefault(g, 0);
            Frame f;
            while ((f = g.frame(next)) != null) {
                f.payload().release();
                next++;
                if (read.incrementAndGet() == expected) all.complete(null);
            }
            cursors.put(g, next);
        }
    }

    private void publishAll() {
        for (long g = 0; g < GROUPS; g++) {
            Group group = track.createGroup(g);
            payloads.fill(group, FRAMES);
            group.finish();
        }
    }

    @Test
    void aSubscriberWhoseExecutorIsBlockedDoesNotDelayAnother() {
        CountDownLatch unblock = new CountDownLatch(1);
        stalledLoop.execute(() -> {
            try {
                unblock.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ExecutorReader stalled = new ExecutorReader(stalledLoop, TOTAL);
        ExecutorReader healthy = new ExecutorReader(healthyLoop, TOTAL);
        stalled.subscription = track.subscribe(Demand.LATEST, stalled);
        healthy.subscription = track.subscribe(Demand.LATEST, healthy);

        publishAll();

        assertThat(healthy.all).succeedsWithin(BOUND);
        assertThat(healthy.read).hasValue(TOTAL);
        assertThat(stalled.read).hasValue(0);

        // Once unblocked, the stalled one catches up from the cache: nothing was lost for it.
        unblock.countDown();
        assertThat(stalled.all).succeedsWithin(BOUND);
        assertThat(stalled.read).hasValue(TOTAL);

        track.finish();
        stalled.subscription.close();
        healthy.subscription.close();
        payloads.assertAllReleased();
    }

    @Test
    void aSubscriberThatNeverReadsDoesNotStopTheProducerOrOthers() {
        Track.Listener idle = new Track.Listener() {
            @Override
            public void onGroup(Track t, Group g) {}

            @Override
            public void onEnd(Track t) {}
        };
        Subscription idleSub = track.subscribe(Demand.LATEST, idle);
        ExecutorReader healthy = new ExecutorReader(healthyLoop, TOTAL);
        healthy.subscription = track.subscribe(Demand.LATEST, healthy);

        publishAll();

        assertThat(healthy.all).succeedsWithin(BOUND);
        assertThat(track.latest().sequence()).isEqualTo(GROUPS - 1);

        track.finish();
        idleSub.close();
        healthy.subscription.close();
        payloads.assertAllReleased();
    }
}
