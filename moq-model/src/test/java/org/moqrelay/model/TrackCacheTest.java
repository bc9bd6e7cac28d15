package org.moqrelay.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * What the track cache keeps (relay.md §3): always the latest group, older ones only within the
 * track's max latency, evicted (and released) when a newer group is created.
 */
class TrackCacheTest {
    private static final long LATENCY_MILLIS = 1;

    private final Payloads payloads = new Payloads();

    private static Track track(long maxLatencyMillis) {
        return Broadcast.local(Path.of("cache")).createTrack("video", new TrackInfo(0, false, maxLatencyMillis, 1000));
    }

    /**
     * Returns once {@code group}'s last write is older than the track's latency window. The cache reads
     * {@link System#nanoTime()} and has no clock to inject, so the condition we wait for is that
     * clock moving past the window: a spin on that exact condition (microseconds here, since the
     * window is 1 ms) with a deadline, rather than a sleep whose length would be a guess.
     */
    private static void waitUntilOlderThanWindow(Group group) {
        waitUntilOlderThan(group.lastWriteNanos(), LATENCY_MILLIS);
    }

    /** Spins, with a deadline, until {@code windowMillis} have passed since {@code sinceNanos}. */
    private static void waitUntilOlderThan(long sinceNanos, long windowMillis) {
        long window = Duration.ofMillis(windowMillis).toNanos();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() - sinceNanos <= window) {
            assertThat(System.nanoTime()).as("clock stuck").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void theLatestGroupIsKeptHoweverOldItIs() {
        Track track = track(LATENCY_MILLIS);
        Group g0 = track.createGroup(0);
        payloads.fill(g0, 2);
        g0.finish();
        waitUntilOlderThanWindow(g0);

        assertThat(track.group(0)).isSameAs(g0);
        assertThat(track.latest()).isSameAs(g0);
        assertThat(g0.state()).isEqualTo(Group.State.FINISHED);
        assertThat(g0.frameCount()).isEqualTo(2);

        // A group that arrives late with a lower sequence does not displace the latest one.
        Group g3 = track.createGroup(3);
        waitUntilOlderThanWindow(g3);
        Group g1 = track.createGroup(1);
        assertThat(track.latest()).isSameAs(g3);
        assertThat(track.group(3)).isSameAs(g3);
        assertThat(track.group(1)).isSameAs(g1);
        assertThat(track.group(0)).isNull();

        track.finish();
        assertThat(track.cachedGroups()).isZero();
        payloads.assertAllReleased();
    }

    @Test
    void aGroupIsAsOldAsItsLastWriteNotItsCreation() {
        long window = 300; // ms: long enough that nothing below pauses past it between a write and the check
        Track track = track(window);
        long created = System.nanoTime();
        Group g0 = track.createGroup(0);
        payloads.fill(g0, 1);
        waitUntilOlderThan(created, window);
        payloads.fill(g0, 2); // created beyond the window, but written just now
        g0.finish();

        track.createGroup(1);
        assertThat(track.group(0)).as("a group written to just now").isSameAs(g0);
        assertThat(g0.state()).isEqualTo(Group.State.FINISHED);
        assertThat(g0.frameCount()).isEqualTo(2);
        track.finish();
        payloads.assertAllReleased();
    }

    @Test
    void olderGroupsBeyondTheMaxLatencyAreEvictedWhenANewerGroupIsCreated() {
        Track track = track(LATENCY_MILLIS);
        Group g0 = track.createGroup(0);
        payloads.fill(g0, 3);
        g0.finish();
        Group g1 = track.createGroup(1);
        payloads.fill(g1, 1); // left open: eviction also truncates open groups
        waitUntilOlderThanWindow(g1);

        Group g2 = track.createGroup(2);

        assertThat(track.cachedGroups()).isEqualTo(1);
        assertThat(track.group(0)).isNull();
        assertThat(track.group(1)).isNull();
        assertThat(track.group(2)).isSameAs(g2);
        for (Group old : new Group[] {g0, g1}) {
            assertThat(old.state()).isEqualTo(Group.State.EVICTED);
            assertThat(old.error()).isEqualTo(ErrorCode.OLD);
            assertThat(old.frameCount()).isZero();
            assertThat(old.frame(0)).isNull();
        }
        assertThat(payloads.made()).hasSize(4).allSatisfy(b -> assertThat(b.refCnt()).isZero());

        track.finish();
        payloads.assertAllReleased();
    }

    @Test
    void groupsWithinTheMaxLatencyStayCached() {
        Track track = track(60_000);
        for (long g = 0; g < 5; g++) {
            payloads.fill(track.createGroup(g), 1);
        }
        assertThat(track.cachedGroups()).isEqualTo(5);
        for (long g = 0; g < 5; g++) assertThat(track.group(g).state()).isEqualTo(Group.State.OPEN);

        track.finish();
        payloads.assertAllReleased();
    }

    @Test
    void aReaderHoldingAFrameKeepsOnlyItsOwnDuplicateAliveAfterEviction() {
        Track track = track(LATENCY_MILLIS);
        Group g0 = track.createGroup(0);
        payloads.fill(g0, 2);
        Frame held = g0.frame(0);
        waitUntilOlderThanWindow(g0);
        track.createGroup(1);

        assertThat(g0.state()).isEqualTo(Group.State.EVICTED);
        ByteBuf cached = payloads.made().get(0);
        assertThat(cached.refCnt()).isEqualTo(1); // the reader's duplicate, nothing else
        assertThat(payloads.made().get(1).refCnt()).isZero();
        held.payload().release();
        assertThat(cached.refCnt()).isZero();

        track.finish();
    }

    @Test
    void aSubscriberFollowingAGroupSeesItEvicted() {
        Track track = track(LATENCY_MILLIS);
        Group g0 = track.createGroup(0);
        List<Group.State> states = new CopyOnWriteArrayList<>();
        g0.addListener(g -> states.add(g.state()));
        waitUntilOlderThanWindow(g0);

        track.createGroup(1);

        assertThat(states).endsWith(Group.State.EVICTED);
        track.finish();
    }

    @Test
    void aFinishedTrackWithoutSubscribersReleasesItsWholeCache() {
        Track track = track(60_000);
        for (long g = 0; g < 3; g++) {
            Group group = track.createGroup(g);
            payloads.fill(group, 2);
            group.finish();
        }
        track.finish();

        assertThat(track.cachedGroups()).isZero();
        assertThat(track.latest()).isNull();
        payloads.assertAllReleased();
    }
}
