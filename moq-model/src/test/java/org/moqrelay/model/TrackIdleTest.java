package org.moqrelay.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * A remote track nobody watches keeps its cache for {@link Track#IDLE_LINGER_MILLIS} so a
 * returning viewer reuses it, then is forgotten (relay.md §2). The 30 s timer is not waited for:
 * the test takes the scheduled check off the origin's timer queue and runs it itself.
 */
class TrackIdleTest {
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final Origin origin = new Origin(timer, 0);
    private final CountingSource source = new CountingSource();
    private final Broadcast broadcast = Broadcast.remote(Path.of("idle/b"), List.of(9L), source);
    private final Payloads payloads = new Payloads();

    @AfterEach
    void stopTimer() throws InterruptedException {
        timer.shutdownNow();
        assertThat(timer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    /** Runs, now, every check the timer holds, as if the idle linger had passed. */
    private int runScheduledChecks() {
        List<Runnable> due = new ArrayList<>(timer.getQueue());
        for (Runnable r : due) {
            assertThat(timer.remove(r)).isTrue();
            r.run();
        }
        return due.size();
    }

    @Test
    void aViewerReturningWithinTheIdleLingerReusesTheTrackAndItsCache() {
        origin.publish(broadcast);
        Track track = broadcast.track("video");
        RecordingReader first = RecordingReader.subscribe(track, Demand.LATEST);
        Group g0 = track.createGroup(0);
        payloads.fill(g0, 2);
        first.close();
        assertThat(timer.getQueue()).as("checks from the track's creation and the viewer leaving").hasSize(2);

        RecordingReader back = RecordingReader.subscribe(broadcast.track("video"), Demand.LATEST);
        assertThat(back.subscription().track()).isSameAs(track);
        assertThat(back.subscription().initialGroups()).containsExactly(g0);
        assertThat(back.texts()).containsExactly("g0-f0", "g0-f1");
        assertThat(source.calls).extracting(CountingSource.Call::kind)
                .containsExactly("subscribe", "unsubscribe", "subscribe");

        // Both checks are stale now: a viewer came since.
        assertThat(runScheduledChecks()).isEqualTo(2);
        assertThat(broadcast.track("video")).isSameAs(track);
        assertThat(track.group(0)).isSameAs(g0);

        back.close();
        origin.unpublish(broadcast);
        payloads.assertAllReleased();
    }

    @Test
    void aTrackIdleForTheWholeLingerIsForgottenAndItsCacheReleased() {
        origin.publish(broadcast);
        Track track = broadcast.track("video");
        RecordingReader only = RecordingReader.subscribe(track, Demand.LATEST);
        payloads.fill(track.createGroup(0), 3);
        only.close();

        assertThat(runScheduledChecks()).as("from the creation (stale) and the viewer leaving").isEqualTo(2);

        assertThat(track.cachedGroups()).isZero();
        assertThat(track.latest()).isNull();
        payloads.assertAllReleased();
        Track fresh = broadcast.track("video");
        assertThat(fresh).isNotSameAs(track);
        RecordingReader next = RecordingReader.subscribe(fresh, Demand.LATEST);
        assertThat(next.subscription().initialGroups()).isEmpty();
        assertThat(source.count("subscribe")).isEqualTo(2);
        next.close();
    }

    @Test
    void aTrackOfABroadcastOutsideAnyOriginIsForgottenAsSoonAsNobodyWatches() {
        // A client's consume(): no origin, so nobody could come back for the cache.
        Track track = broadcast.track("video");
        RecordingReader.subscribe(track, Demand.LATEST).close();
        assertThat(timer.getQueue()).isEmpty();
        assertThat(broadcast.track("video")).isNotSameAs(track);
    }

    @Test
    void aGroupArrivingForAForgottenTrackIsRefusedNotCachedWhereNobodyWouldReleaseIt() {
        // The source was told to stop, but a group was already on its way.
        Track track = broadcast.track("video");
        RecordingReader viewer = RecordingReader.subscribe(track, Demand.LATEST);
        payloads.fill(track.createGroup(0), 1);
        viewer.close();
        assertThat(broadcast.track("video")).as("forgotten").isNotSameAs(track);

        assertThat(track.createGroup(1)).isNull();
        assertThat(track.cachedGroups()).isZero();
        payloads.assertAllReleased();

        // Whoever still holds the track and subscribes again gets data again, from the track that
        // took its name (the lookup above made one).
        RecordingReader again = RecordingReader.subscribe(track, Demand.LATEST);
        Track current = again.subscription().track();
        assertThat(current).isSameAs(broadcast.track("video"));
        payloads.fill(current.createGroup(2), 1);
        assertThat(again.texts()).containsExactly("g2-f0");
        again.close();
        payloads.assertAllReleased();
    }

    /**
     * A session looked the track up (it holds the instance) while nobody watched it; the idle check
     * forgets the track before the session subscribes. Returns that held, now forgotten, instance.
     */
    private Track lookedUpThenForgotten() {
        origin.publish(broadcast);
        Track track = broadcast.track("video");
        RecordingReader.subscribe(track, Demand.LATEST).close();
        Track held = broadcast.track("video");
        assertThat(held).isSameAs(track);
        assertThat(runScheduledChecks()).isEqualTo(2);
        return held;
    }

    @Test
    void aForgottenTrackSubscribedAgainIsTheBroadcastsTrackOnceMore() {
        Track held = lookedUpThenForgotten();

        RecordingReader late = RecordingReader.subscribe(held, Demand.LATEST);
        Track shared = broadcast.track("video");
        RecordingReader next = RecordingReader.subscribe(shared, Demand.LATEST);

        assertThat(shared).as("the revived track is back under its name").isSameAs(held);
        assertThat(next.subscription().track()).isSameAs(late.subscription().track());
        payloads.fill(late.subscription().track().createGroup(0), 1);
        assertThat(late.texts()).containsExactly("g0-f0");
        assertThat(next.texts()).containsExactly("g0-f0");
        assertThat(source.calls).extracting(CountingSource.Call::kind)
                .as("one upstream subscription at a time")
                .containsExactly("subscribe", "unsubscribe", "subscribe");

        late.close();
        next.close();
        origin.unpublish(broadcast);
        payloads.assertAllReleased();
    }

    @Test
    void aForgottenTrackWhoseNameWasTakenHandsItsSubscriberToTheNewTrack() {
        Track held = lookedUpThenForgotten();
        Track fresh = broadcast.track("video");
        assertThat(fresh).isNotSameAs(held);
        RecordingReader first = RecordingReader.subscribe(fresh, Demand.LATEST);

        RecordingReader late = RecordingReader.subscribe(held, Demand.LATEST);

        assertThat(late.subscription().track()).isSameAs(fresh);
        assertThat(broadcast.track("video")).isSameAs(fresh);
        assertThat(held.subscriberCount()).isZero();
        assertThat(fresh.subscriberCount()).isEqualTo(2);
        payloads.fill(fresh.createGroup(0), 1);
        assertThat(first.texts()).containsExactly("g0-f0");
        assertThat(late.texts()).containsExactly("g0-f0");
        assertThat(source.calls).extracting(CountingSource.Call::kind)
                .containsExactly("subscribe", "unsubscribe", "subscribe");

        first.close();
        late.close();
        origin.unpublish(broadcast);
        payloads.assertAllReleased();
    }

    @Test
    void aFetchThroughAForgottenTrackIsSharedWithTheBroadcastsTrack() {
        Track held = lookedUpThenForgotten();

        var viaHeld = held.fetchGroup(5, 0);
        var viaName = broadcast.track("video").fetchGroup(5, 0);

        assertThat(broadcast.track("video")).isSameAs(held);
        assertThat(source.fetches).as("one upstream fetch for both").containsExactly(5L);
        Group g = held.fetched(5);
        payloads.fill(g, 1);
        g.finish();
        assertThat(viaHeld).isCompletedWithValue(g);
        assertThat(viaName).isCompletedWithValue(g);

        origin.unpublish(broadcast);
        payloads.assertAllReleased();
    }

    @Test
    void aForgottenTrackSubscribedAfterItsBroadcastClosedEndsAsTheOthersDid() {
        Track held = lookedUpThenForgotten();
        origin.unpublish(broadcast, ErrorCode.CANCEL);

        RecordingReader late = RecordingReader.subscribe(held, Demand.LATEST);

        assertThat(late.subscription().track().state()).isEqualTo(Track.State.ABORTED);
        assertThat(late.subscription().track().error()).isEqualTo(ErrorCode.CANCEL);
        assertThat(source.calls).extracting(CountingSource.Call::kind)
                .as("no upstream subscription for a gone broadcast")
                .containsExactly("subscribe", "unsubscribe");
        late.close();
    }

    @Test
    void sessionsRacingTheIdleCheckEndOnTheOneTrackTheBroadcastHasForTheName() throws Exception {
        origin.publish(broadcast);
        int workers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(workers + 1);
        AtomicBoolean done = new AtomicBoolean();
        try {
            // The timer's checks run as fast as they are scheduled, against lookups and subscribes.
            Future<?> checker = pool.submit(() -> {
                while (!done.get()) runScheduledChecks();
            });
            List<Future<RecordingReader>> kept = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                kept.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        RecordingReader.subscribe(broadcast.track("video"), Demand.LATEST).close();
                    }
                    return RecordingReader.subscribe(broadcast.track("video"), Demand.LATEST);
                }));
            }
            List<RecordingReader> readers = new ArrayList<>();
            for (Future<RecordingReader> f : kept) readers.add(f.get(30, TimeUnit.SECONDS));
            done.set(true);
            checker.get(30, TimeUnit.SECONDS);

            Track shared = broadcast.track("video");
            assertThat(readers).allSatisfy(r -> assertThat(r.subscription().track()).isSameAs(shared));
            assertThat(shared.subscriberCount()).isEqualTo(workers);
            assertThat(source.count("subscribe") - source.count("unsubscribe")).as("upstream subscriptions open").isOne();
            for (RecordingReader r : readers) r.close();
        } finally {
            done.set(true);
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aTrackUsedOnlyForItsInfoIsForgottenAfterTheIdleLinger() {
        // A TRACK request: the track is looked up and its info asked for, nobody subscribes.
        origin.publish(broadcast);
        Track track = broadcast.track("asked");
        track.info();
        track.setInfo(TrackInfo.DEFAULT);
        assertThat(broadcast.tracks()).containsExactly(track);

        assertThat(runScheduledChecks()).isEqualTo(1);

        assertThat(broadcast.tracks()).isEmpty();
        assertThat(source.count("subscribe")).isZero();
        origin.unpublish(broadcast);
    }

    @Test
    void aTrackItsPublisherRefusedIsForgottenAndTheNextRequestAsksAgain() {
        origin.publish(broadcast);
        Track track = broadcast.track("missing");
        var info = track.info();

        track.abort(ErrorCode.NOT_FOUND); // what the source does with the publisher's NotFound

        assertThat(info).isCompletedExceptionally();
        assertThat(broadcast.tracks()).as("gone at once: it holds nothing").isEmpty();
        Track again = broadcast.track("missing");
        assertThat(again).isNotSameAs(track);
        assertThat(again.state()).isEqualTo(Track.State.LIVE);
        again.info();
        assertThat(source.count("requestInfo")).isEqualTo(2);
        origin.unpublish(broadcast);
    }

    @Test
    void aTrackThatEndedIsForgottenWhenItsLastViewerLeaves() {
        origin.publish(broadcast);
        Track track = broadcast.track("video");
        RecordingReader first = RecordingReader.subscribe(track, Demand.LATEST);
        RecordingReader second = RecordingReader.subscribe(track, Demand.LATEST);
        payloads.fill(track.createGroup(0), 1);
        track.finish(); // the publisher ended its subscription

        first.close();
        assertThat(broadcast.tracks()).as("still watched").containsExactly(track);
        second.close();

        assertThat(broadcast.tracks()).isEmpty();
        payloads.assertAllReleased();
        assertThat(broadcast.track("video")).isNotSameAs(track);
        origin.unpublish(broadcast);
    }

    @Test
    void unpublishingARemoteBroadcastAbortsItsTracksAndReleasesTheirCaches() {
        origin.publish(broadcast);
        Track track = broadcast.track("video");
        RecordingReader viewer = RecordingReader.subscribe(track, Demand.LATEST);
        payloads.fill(track.createGroup(0), 2);
        assertThat(runScheduledChecks()).as("the check from the track's creation, stale").isEqualTo(1);

        origin.unpublish(broadcast, ErrorCode.CANCEL);

        assertThat(viewer.ended).isCompletedWithValue(track);
        assertThat(track.state()).isEqualTo(Track.State.ABORTED);
        viewer.close();
        assertThat(source.count("unsubscribe")).isZero();
        assertThat(timer.getQueue()).isEmpty();
        payloads.assertAllReleased();
    }
}
