package org.moqrelay.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/** Announcements, newest-publisher-wins and linger (relay.md §1, §4). */
class OriginTest {
    private static final long LINGER_MILLIS = 200;
    private static final Duration BOUND = Duration.ofSeconds(5);

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

    OriginTest() {
        timer.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stopTimer() throws InterruptedException {
        timer.shutdownNow();
        assertThat(timer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private Origin origin(long lingerMillis) {
        return new Origin(timer, lingerMillis);
    }

    private static Broadcast local(String path) {
        return Broadcast.local(Path.of(path));
    }

    @Test
    void aWatcherHearsPublishAndUnpublishOnlyUnderItsPrefixOnSegmentBoundaries() {
        Origin origin = origin(0);
        AnnounceLog log = new AnnounceLog();
        origin.watch(Path.of("foo"), log);

        Broadcast fooBar = local("foo/bar");
        Broadcast foo = local("foo");
        Broadcast foobar = local("foobar");
        Broadcast other = local("bar/foo");
        origin.publish(fooBar);
        origin.publish(foobar);
        origin.publish(foo);
        origin.publish(other);
        origin.unpublish(foobar);
        origin.unpublish(fooBar);

        assertThat(log.lines()).containsExactly("+foo/bar", "+foo", "-foo/bar");
        assertThat(origin.announced(Path.of("foo"))).containsExactly(foo);
        assertThat(origin.announced(Path.ROOT)).containsExactly(other, foo);
    }

    @Test
    void watchReturnsTheBroadcastsAlreadyActiveUnderItsPrefix() {
        Origin origin = origin(0);
        Broadcast b = local("room/b");
        Broadcast a = local("room/a");
        origin.publish(b);
        origin.publish(a);
        origin.publish(local("roomy/c"));

        AnnounceLog log = new AnnounceLog();
        Origin.Watch watch = origin.watch(Path.of("room"), log);

        assertThat(watch.prefix()).isEqualTo(Path.of("room"));
        assertThat(watch.initial()).containsExactly(a, b);
        assertThat(log.events).isEmpty();
        assertThat(origin.watch(Path.ROOT, new AnnounceLog()).initial()).hasSize(3);
    }

    @Test
    void aClosedWatchHearsNothingMore() {
        Origin origin = origin(0);
        AnnounceLog log = new AnnounceLog();
        Origin.Watch watch = origin.watch(Path.ROOT, log);
        origin.publish(local("a"));
        watch.close();
        origin.publish(local("b"));

        assertThat(log.lines()).containsExactly("+a");
    }

    @Test
    void theNewestPublisherOfAPathWinsAndTheOldOneEnds() {
        Origin origin = origin(0);
        AnnounceLog log = new AnnounceLog();
        origin.watch(Path.ROOT, log);
        Broadcast first = local("live/show");
        Track oldTrack = first.createTrack("video", TrackInfo.DEFAULT);
        origin.publish(first);
        RecordingReader viewer = RecordingReader.subscribe(oldTrack, Demand.LATEST);

        Broadcast second = local("live/show");
        origin.publish(second);

        assertThat(log.events).containsExactly(
                new AnnounceLog.Event(true, first), new AnnounceLog.Event(false, first), new AnnounceLog.Event(true, second));
        assertThat(origin.broadcast(Path.of("live/show"))).isSameAs(second);
        assertThat(first.isClosed()).isTrue();
        assertThat(first.track("video")).isNull();
        assertThat(oldTrack.state()).isEqualTo(Track.State.ABORTED);
        assertThat(oldTrack.error()).isEqualTo(ErrorCode.CANCEL);
        assertThat(viewer.ended).isCompletedWithValue(oldTrack);
        assertThat(second.isClosed()).isFalse();

        // The replaced broadcast's own unpublish is a no-op for the path.
        origin.unpublish(first);
        assertThat(origin.broadcast(Path.of("live/show"))).isSameAs(second);
        assertThat(log.events).hasSize(3);
        viewer.close();
    }

    @Test
    void unpublishEndsTheTracksCleanlyOrWithTheGivenCode() {
        Origin origin = origin(0);
        Broadcast clean = local("a");
        Track cleanTrack = clean.createTrack("t", TrackInfo.DEFAULT);
        Broadcast failed = local("b");
        Track failedTrack = failed.createTrack("t", TrackInfo.DEFAULT);
        origin.publish(clean);
        origin.publish(failed);

        origin.unpublish(clean);
        origin.unpublish(failed, ErrorCode.TIMEOUT);

        assertThat(cleanTrack.state()).isEqualTo(Track.State.ENDED);
        assertThat(failedTrack.state()).isEqualTo(Track.State.ABORTED);
        assertThat(failedTrack.error()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(origin.announced(Path.ROOT)).isEmpty();
    }

    @Test
    void aLingeringBroadcastStaysAnnouncedUntilTheLingerPeriodThenIsUnannounced() {
        Origin origin = origin(LINGER_MILLIS);
        AnnounceLog log = new AnnounceLog();
        origin.watch(Path.ROOT, log);
        Broadcast b = local("lost/pub");
        Track track = b.createTrack("video", TrackInfo.DEFAULT);
        origin.publish(b);
        RecordingReader viewer = RecordingReader.subscribe(track, Demand.LATEST);

        long start = System.nanoTime();
        origin.linger(b);
        assertThat(origin.broadcast(Path.of("lost/pub"))).isSameAs(b);
        assertThat(track.state()).isEqualTo(Track.State.LIVE);

        assertThat(log.firstUnannounce).succeedsWithin(BOUND).isSameAs(b);
        long elapsed = System.nanoTime() - start;
        assertThat(elapsed).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS));
        assertThat(log.lines()).containsExactly("+lost/pub", "-lost/pub");
        assertThat(origin.broadcast(Path.of("lost/pub"))).isNull();
        // The tracks end right after the unannounce, on the timer's thread.
        assertThat(viewer.ended).succeedsWithin(BOUND);
        assertThat(track.state()).isEqualTo(Track.State.ABORTED);
        assertThat(track.error()).isEqualTo(ErrorCode.CANCEL);
        viewer.close();
    }

    @Test
    void aNewerPublisherReplacesALingeringBroadcastAtOnce() {
        Origin origin = origin(60_000);
        AnnounceLog log = new AnnounceLog();
        origin.watch(Path.ROOT, log);
        Broadcast lost = local("lost/pub");
        origin.publish(lost);
        origin.linger(lost);
        assertThat(timer.getQueue()).hasSize(1);

        Broadcast back = local("lost/pub");
        origin.publish(back);

        assertThat(log.lines()).containsExactly("+lost/pub", "-lost/pub", "+lost/pub");
        assertThat(log.events.get(1).broadcast()).isSameAs(lost);
        assertThat(origin.broadcast(Path.of("lost/pub"))).isSameAs(back);
        assertThat(lost.isClosed()).isTrue();
        assertThat(timer.getQueue()).as("the linger timer is cancelled").isEmpty();
    }

    @Test
    void aCleanUnpublishDuringLingerUnannouncesAtOnceAndCancelsTheTimer() {
        Origin origin = origin(60_000);
        AnnounceLog log = new AnnounceLog();
        origin.watch(Path.ROOT, log);
        Broadcast b = local("x");
        origin.publish(b);
        origin.linger(b);
        origin.linger(b); // a second linger schedules nothing more
        assertThat(timer.getQueue()).hasSize(1);

        origin.unpublish(b);

        assertThat(log.lines()).containsExactly("+x", "-x");
        assertThat(timer.getQueue()).isEmpty();
    }

    @Test
    void lingerZeroUnannouncesImmediately() {
        Origin origin = origin(0);
        AnnounceLog log = new AnnounceLog();
        origin.watch(Path.ROOT, log);
        Broadcast b = local("gone");
        Track track = b.createTrack("video", TrackInfo.DEFAULT);
        origin.publish(b);

        origin.linger(b);

        assertThat(log.lines()).containsExactly("+gone", "-gone");
        assertThat(origin.broadcast(Path.of("gone"))).isNull();
        assertThat(track.state()).isEqualTo(Track.State.ABORTED);
        assertThat(timer.getQueue()).isEmpty();
    }

    @Test
    void lingeringABroadcastThatWasAlreadyReplacedDoesNothing() {
        Origin origin = origin(60_000);
        AnnounceLog log = new AnnounceLog();
        origin.watch(Path.ROOT, log);
        Broadcast old = local("p");
        Broadcast current = local("p");
        origin.publish(old);
        origin.publish(current);

        origin.linger(old);

        assertThat(timer.getQueue()).isEmpty();
        assertThat(origin.broadcast(Path.of("p"))).isSameAs(current);
        assertThat(log.lines()).containsExactly("+p", "-p", "+p");
    }
}
