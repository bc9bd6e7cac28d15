package org.moqrelay.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

class CacheBudgetTest {
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void aPublisherThatOutrunsTheBudgetIsTrimmedToItButEveryTrackKeepsItsLatestGroup() {
        CacheBudget budget = new CacheBudget(40_000);
        Origin origin = new Origin(timer, 0, budget, Long.MAX_VALUE);
        Broadcast b = Broadcast.local(Path.of("b"));
        origin.publish(b);
        // A long latency window: only the budget can evict.
        TrackInfo info = new TrackInfo(0, false, 3_600_000, 1000);
        List<Track> tracks = new ArrayList<>();
        for (int i = 0; i < 3; i++) tracks.add(b.createTrack("t" + i, info));
        List<Group> all = new ArrayList<>();
        for (long seq = 0; seq < 50; seq++) {
            for (Track t : tracks) {
                Group g = t.createGroup(seq);
                for (int f = 0; f < 4; f++) g.append(f, Unpooled.wrappedBuffer(new byte[1000]));
                g.finish();
                all.add(g);
                // Never more than the budget plus the group being written.
                assertThat(budget.used()).isLessThanOrEqualTo(40_000 + 4_000);
            }
        }
        assertThat(budget.used()).isLessThanOrEqualTo(40_000);
        for (Track t : tracks) {
            assertThat(t.latest().sequence()).isEqualTo(49);
            assertThat(t.latest().state()).isEqualTo(Group.State.FINISHED);
            assertThat(t.group(0)).isNull();
        }
        assertThat(all.stream().filter(g -> g.state() == Group.State.EVICTED).count()).isGreaterThan(100);
        assertThat(all.stream().filter(g -> g.state() == Group.State.EVICTED).map(Group::error).distinct())
                .containsOnly(org.moqrelay.wire.ErrorCode.EVICTED);
        origin.closeAll();
        assertThat(budget.used()).isZero();
    }

    @Test
    void theLatestGroupsStayEvenWhenTheyAloneExceedTheBudget() {
        CacheBudget budget = new CacheBudget(1_000);
        Origin origin = new Origin(timer, 0, budget, Long.MAX_VALUE);
        Broadcast b = Broadcast.local(Path.of("b"));
        origin.publish(b);
        Track t = b.createTrack("t", TrackInfo.DEFAULT);
        Group g0 = t.createGroup(0);
        g0.append(0, Unpooled.wrappedBuffer(new byte[5_000]));
        assertThat(g0.state()).isEqualTo(Group.State.OPEN);
        Group g1 = t.createGroup(1);
        g1.append(0, Unpooled.wrappedBuffer(new byte[3_000]));
        assertThat(g0.state()).isEqualTo(Group.State.EVICTED);
        assertThat(g1.frameCount()).isEqualTo(1);
        origin.closeAll();
    }
}
