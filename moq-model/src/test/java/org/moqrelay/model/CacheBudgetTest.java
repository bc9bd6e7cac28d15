package org.moqrelay.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    private static Broadcast published(Origin origin) {
        Broadcast b = Broadcast.local(Path.of("b"));
        origin.publish(b);
        return b;
    }

    @Test
    void aPublisherThatOutrunsTheBudgetIsTrimmedToItButEveryTrackKeepsItsLatestGroup() {
        CacheBudget budget = new CacheBudget(40_000);
        Origin origin = new Origin(timer, 0, budget, Long.MAX_VALUE);
        Broadcast b = published(origin);
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
        Broadcast b = published(origin);
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

    @Test
    void aGroupAnotherLoopWasWokenToForwardIsSparedUntilThatWakeHasRun() {
        CacheBudget budget = new CacheBudget(1_000);
        Origin origin = new Origin(timer, 0, budget, Long.MAX_VALUE);
        Broadcast b = published(origin);
        Track t = b.createTrack("t", TrackInfo.DEFAULT);
        Group g0 = t.createGroup(0);
        g0.append(0, Unpooled.wrappedBuffer(new byte[2_000]));
        g0.finish();
        g0.deliveryQueued();
        g0.deliveryQueued();
        Group g1 = t.createGroup(1);
        g1.append(0, Unpooled.wrappedBuffer(new byte[500]));
        assertThat(g0.state()).as("overtaken, but a wake is pending").isEqualTo(Group.State.FINISHED);
        assertThat(g0.frame(0)).isNotNull().satisfies(f -> f.payload().release());
        g0.deliveryDone();
        assertThat(g0.state()).as("one wake still pending").isEqualTo(Group.State.FINISHED);
        g0.deliveryDone();
        assertThat(g0.state()).as("no wake pending: the budget takes it at once").isEqualTo(Group.State.EVICTED);
        assertThat(budget.used()).isEqualTo(500);
        origin.closeAll();
    }

    @Test
    void aHandOffReleasesItsHoldOnceWhetherTheTaskThrowsOrTheRunnerRefusesIt() {
        Group g = new Group(0, 0);
        assertThatThrownBy(() -> g.handOff(Runnable::run, () -> {
            throw new IllegalStateException("task failed");
        })).hasMessage("task failed");
        assertThatThrownBy(() -> g.handOff(r -> {
            throw new java.util.concurrent.RejectedExecutionException("loop gone");
        }, () -> {})).hasMessage("loop gone");
        assertThat(g.sparedForDelivery()).as("nothing pending").isFalse();
        // Released exactly once each: one new hold counts again (a count driven below zero would not).
        g.deliveryQueued();
        assertThat(g.sparedForDelivery()).isTrue();
        g.deliveryDone();
        assertThat(g.sparedForDelivery()).isFalse();
        java.util.List<Runnable> queued = new ArrayList<>();
        g.handOff(queued::add, () -> {});
        assertThat(g.sparedForDelivery()).as("queued, not yet run").isTrue();
        queued.get(0).run();
        assertThat(g.sparedForDelivery()).isFalse();
    }

    @Test
    void shrinkingTheBudgetEvictsTheOldestGroupsAtOnceButKeepsEveryTracksLatest() {
        CacheBudget budget = CacheBudget.resizable();
        Origin origin = new Origin(timer, 0, budget, Long.MAX_VALUE);
        Broadcast b = published(origin);
        TrackInfo info = new TrackInfo(0, false, 3_600_000, 1000);
        Track a = b.createTrack("a", info);
        Track c = b.createTrack("c", info);
        List<Group> all = new ArrayList<>();
        for (long seq = 0; seq < 10; seq++) {
            for (Track t : List.of(a, c)) {
                Group g = t.createGroup(seq);
                g.append(0, Unpooled.wrappedBuffer(new byte[1000]));
                g.finish();
                all.add(g);
            }
        }
        // Unlimited until resized, but counted.
        assertThat(budget.capacity()).isEqualTo(Long.MAX_VALUE);
        assertThat(budget.used()).isEqualTo(20_000);
        assertThat(all).allSatisfy(g -> assertThat(g.state()).isEqualTo(Group.State.FINISHED));

        budget.resize(12_000);
        assertThat(budget.used()).isEqualTo(12_000);
        // The oldest went first: groups 0..3 of both tracks.
        assertThat(all.subList(0, 8)).allSatisfy(g -> assertThat(g.state()).isEqualTo(Group.State.EVICTED));
        assertThat(all.subList(8, 20)).allSatisfy(g -> assertThat(g.state()).isEqualTo(Group.State.FINISHED));
        assertThat(a.group(3)).isNull();
        assertThat(a.group(4)).isNotNull();

        // Below what the latest groups alone hold: only they stay.
        budget.resize(0);
        assertThat(budget.used()).isEqualTo(2_000);
        assertThat(a.cachedGroups()).isEqualTo(1);
        assertThat(c.cachedGroups()).isEqualTo(1);
        assertThat(a.latest().sequence()).isEqualTo(9);
        assertThat(c.latest().state()).isEqualTo(Group.State.FINISHED);

        // Growing the budget again evicts nothing and lets new groups stay.
        budget.resize(100_000);
        Group g10 = a.createGroup(10);
        g10.append(0, Unpooled.wrappedBuffer(new byte[1000]));
        assertThat(a.cachedGroups()).isEqualTo(2);
        assertThat(budget.used()).isEqualTo(3_000);
        origin.closeAll();
        assertThat(budget.used()).isZero();
    }

    @Test
    void theUnlimitedBudgetCannotBeResized() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CacheBudget.UNLIMITED.resize(1))
                .isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CacheBudget.resizable().resize(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
