package org.moqrelay.relay.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.CacheBudget;
import org.moqrelay.model.Group;
import org.moqrelay.model.Origin;
import org.moqrelay.model.Track;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/** The headroom governor against a made-up amount of available memory. */
class CacheGovernorTest {
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final CacheBudget budget = CacheBudget.resizable();
    final Origin origin = new Origin(timer, 0, budget, Long.MAX_VALUE);
    final AtomicLong available = new AtomicLong();
    final List<Track> tracks = new ArrayList<>();
    final List<Group> groups = new ArrayList<>();

    @AfterEach
    void stop() {
        origin.closeAll();
        assertThat(budget.used()).isZero();
        timer.shutdownNow();
    }

    /** Three tracks with a long latency window, {@code n} groups of 1000 bytes each. */
    private void cache(int n) {
        Broadcast b = Broadcast.local(Path.of("b"));
        origin.publish(b);
        TrackInfo info = new TrackInfo(0, false, 3_600_000, 1000);
        for (int i = 0; i < 3; i++) tracks.add(b.createTrack("t" + i, info));
        for (long seq = 0; seq < n; seq++) {
            for (Track t : tracks) {
                Group g = t.createGroup(seq);
                g.append(0, Unpooled.wrappedBuffer(new byte[1000]));
                g.finish();
                groups.add(g);
            }
        }
    }

    @Test
    void whenLessThanTheHeadroomIsAvailableTheCacheShrinksByTheShortfallButKeepsEveryLatestGroup() {
        cache(10);
        assertThat(budget.used()).isEqualTo(30_000);
        CacheGovernor governor = new CacheGovernor(budget, Long.MAX_VALUE, 10_000, available::get);

        // Plenty available: the target is what is cached plus the spare memory; nothing goes.
        available.set(1_000_000);
        assertThat(governor.tick()).isEqualTo(30_000 + 1_000_000 - 10_000);
        assertThat(budget.used()).isEqualTo(30_000);

        // 4000 bytes short of the headroom: the oldest 4000 bytes of groups are evicted.
        available.set(6_000);
        assertThat(governor.tick()).isEqualTo(26_000);
        assertThat(budget.used()).isEqualTo(26_000);
        assertThat(groups.subList(0, 4)).allSatisfy(g -> assertThat(g.state()).isEqualTo(Group.State.EVICTED));
        assertThat(groups.subList(4, 30)).allSatisfy(g -> assertThat(g.state()).isEqualTo(Group.State.FINISHED));

        // Memory is still short at the next sample (the system has not reclaimed anything yet):
        // the cache keeps giving back, down to the latest group of every track and no further.
        available.set(0);
        governor.tick();
        assertThat(budget.used()).isEqualTo(16_000);
        governor.tick();
        assertThat(budget.used()).isEqualTo(6_000);
        governor.tick();
        assertThat(budget.used()).isEqualTo(3_000);
        for (Track t : tracks) {
            assertThat(t.cachedGroups()).isEqualTo(1);
            assertThat(t.latest().sequence()).isEqualTo(9);
            assertThat(t.latest().state()).isEqualTo(Group.State.FINISHED);
        }
        assertThat(governor.tick()).isZero();
        assertThat(budget.used()).isEqualTo(3_000);

        // Memory comes back: the budget grows again and new groups stay.
        available.set(500_000);
        assertThat(governor.tick()).isEqualTo(3_000 + 500_000 - 10_000);
        Group g = tracks.get(0).createGroup(10);
        g.append(0, Unpooled.wrappedBuffer(new byte[1000]));
        assertThat(tracks.get(0).cachedGroups()).isEqualTo(2);
    }

    @Test
    void theCapacityCapsWhateverMemoryIsFree() {
        cache(10);
        CacheGovernor governor = new CacheGovernor(budget, 12_000, 1_000, available::get);
        available.set(1L << 40);
        assertThat(governor.tick()).isEqualTo(12_000);
        assertThat(budget.used()).isEqualTo(12_000);
        // A huge amount of free memory does not overflow the target.
        available.set(Long.MAX_VALUE);
        assertThat(governor.tick()).isEqualTo(12_000);
    }

    @Test
    void aScheduledGovernorSamplesAtOnce() throws Exception {
        cache(2);
        available.set(0);
        try (CacheGovernor governor = new CacheGovernor(budget, Long.MAX_VALUE, 10_000, available::get).start(timer)) {
            // The first sample runs at once on the timer; wait for it (bounded) through the timer's queue.
            timer.submit(() -> null).get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(budget.capacity()).isZero();
            assertThat(budget.used()).isEqualTo(3_000);
        }
    }

    @Test
    void aHeadroomOfZeroIsRefused() {
        assertThatThrownBy(() -> new CacheGovernor(budget, Long.MAX_VALUE, 0, available::get))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
