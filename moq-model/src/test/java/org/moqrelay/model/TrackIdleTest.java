package org.moqrelay.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Path;

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
        assertThat(timer.getQueue()).hasSize(1);

        RecordingReader back = RecordingReader.subscribe(broadcast.track("video"), Demand.LATEST);
        assertThat(back.subscription().track()).isSameAs(track);
        assertThat(back.subscription().initialGroups()).containsExactly(g0);
        assertThat(back.texts()).containsExactly("g0-f0", "g0-f1");
        assertThat(source.calls).extracting(CountingSource.Call::kind)
                .containsExactly("subscribe", "unsubscribe", "subscribe");

        // The check scheduled when the first viewer left is stale now.
        assertThat(runScheduledChecks()).isEqualTo(1);
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

        assertThat(runScheduledChecks()).isEqualTo(1);

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

        // Whoever still holds the track and subscribes again gets data again.
        RecordingReader again = RecordingReader.subscribe(track, Demand.LATEST);
        payloads.fill(track.createGroup(2), 1);
        assertThat(again.texts()).containsExactly("g2-f0");
        again.close();
        payloads.assertAllReleased();
    }

    @Test
    void unpublishingARemoteBroadcastAbortsItsTracksAndReleasesTheirCaches() {
        origin.publish(broadcast);
        Track track = broadcast.track("video");
        RecordingReader viewer = RecordingReader.subscribe(track, Demand.LATEST);
        payloads.fill(track.createGroup(0), 2);

        origin.unpublish(broadcast, ErrorCode.CANCEL);

        assertThat(viewer.ended).isCompletedWithValue(track);
        assertThat(track.state()).isEqualTo(Track.State.ABORTED);
        viewer.close();
        assertThat(source.count("unsubscribe")).isZero();
        assertThat(timer.getQueue()).isEmpty();
        payloads.assertAllReleased();
    }
}
