package org.moqrelay.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * One-shot fetches of a group (relay.md §2): from the cache when it has the group, else one
 * upstream fetch through the track's source, however many fetchers wait for it.
 */
class TrackFetchTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final CacheBudget budget = CacheBudget.resizable();
    private final Origin origin = new Origin(timer, 0, budget, Long.MAX_VALUE);
    private final CountingSource source = new CountingSource();
    private final Broadcast broadcast = Broadcast.remote(Path.of("fetch/b"), List.of(9L), source);
    private final Payloads payloads = new Payloads();

    @AfterEach
    void stopTimer() throws InterruptedException {
        timer.shutdownNow();
        assertThat(timer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private static ErrorCode failure(CompletableFuture<Group> f) {
        assertThat(f).failsWithin(WAIT);
        return f.handle((g, e) -> TrackException.codeOf(e, null)).join();
    }

    @Test
    void aCachedGroupIsServedWithoutAskingTheSource() {
        origin.publish(broadcast);
        Track track = broadcast.track("video");
        Group g = track.createGroup(4);
        payloads.fill(g, 2);
        assertThat(track.fetchGroup(4, 0)).succeedsWithin(WAIT).isSameAs(g);
        assertThat(source.fetches).isEmpty();
        origin.closeAll();
        payloads.assertAllReleased();
    }

    @Test
    void concurrentFetchesOfAnUncachedGroupShareOneUpstreamFetchAndItsGroup() {
        origin.publish(broadcast);
        Track track = broadcast.track("video");
        RecordingReader live = RecordingReader.subscribe(track, Demand.LATEST);
        Group g9 = track.createGroup(9);
        payloads.fill(g9, 1);

        CompletableFuture<Group> a = track.fetchGroup(3, 1);
        CompletableFuture<Group> b = track.fetchGroup(3, 7);
        CompletableFuture<Group> other = track.fetchGroup(2, 0);
        assertThat(source.fetches).containsExactly(3L, 2L);
        assertThat(a).isNotDone();

        Group fetched = track.fetched(3);
        assertThat(fetched).isNotNull();
        assertThat(a).succeedsWithin(WAIT).isSameAs(fetched);
        assertThat(b).succeedsWithin(WAIT).isSameAs(fetched);
        payloads.fill(fetched, 3);
        fetched.finish();

        // In the cache and its budget now, but not news for live subscribers; the live edge stays.
        assertThat(track.group(3)).isSameAs(fetched);
        assertThat(track.latest()).isSameAs(g9);
        assertThat(budget.used()).isEqualTo(4 * "g3-f0".length()); // g9's frame and g3's three
        assertThat(live.groupsSeen).containsExactly(9L);
        // A later fetch is a cache hit: no second upstream fetch.
        assertThat(track.fetchGroup(3, 0)).succeedsWithin(WAIT).isSameAs(fetched);
        assertThat(source.fetches).containsExactly(3L, 2L);

        track.fetchFailed(2, ErrorCode.NOT_FOUND);
        assertThat(failure(other)).isEqualTo(ErrorCode.NOT_FOUND);
        // A failed fetch is not remembered: the next one asks again.
        track.fetchGroup(2, 0);
        assertThat(source.fetches).containsExactly(3L, 2L, 2L);

        live.close();
        origin.closeAll();
        payloads.assertAllReleased();
    }

    @Test
    void aFetcherCancellingItsFutureDoesNotFailTheOthers() {
        origin.publish(broadcast);
        Track track = broadcast.track("video");
        CompletableFuture<Group> a = track.fetchGroup(1, 0);
        CompletableFuture<Group> b = track.fetchGroup(1, 0);
        a.cancel(false);
        Group g = track.fetched(1);
        assertThat(b).succeedsWithin(WAIT).isSameAs(g);
        origin.closeAll();
    }

    @Test
    void anAbortedCachedGroupIsFetchedAgainAndReplaced() {
        origin.publish(broadcast);
        Track track = broadcast.track("video");
        Group old = track.createGroup(5);
        payloads.fill(old, 1);
        old.abort(ErrorCode.CANCEL);
        CompletableFuture<Group> f = track.fetchGroup(5, 0);
        assertThat(source.fetches).containsExactly(5L);
        Group fresh = track.fetched(5);
        assertThat(f).succeedsWithin(WAIT).isSameAs(fresh);
        assertThat(old.state()).isEqualTo(Group.State.EVICTED);
        assertThat(track.group(5)).isSameAs(fresh);
        assertThat(track.latest()).isSameAs(fresh);
        origin.closeAll();
        payloads.assertAllReleased();
    }

    @Test
    void aGroupThatArrivesLiveWhileFetchedIsTheOneFetchersGet() {
        origin.publish(broadcast);
        Track track = broadcast.track("video");
        CompletableFuture<Group> f = track.fetchGroup(6, 0);
        Group live = track.createGroup(6);
        // The upstream fetch's data comes too late: the source is told to stop.
        assertThat(track.fetched(6)).isNull();
        assertThat(f).succeedsWithin(WAIT).isSameAs(live);
        origin.closeAll();
    }

    @Test
    void theTrackEndingFailsPendingFetchesWithItsCode() {
        origin.publish(broadcast);
        Track track = broadcast.track("video");
        CompletableFuture<Group> pending = track.fetchGroup(1, 0);
        CompletableFuture<Group> filling = track.fetchGroup(2, 0);
        Group g2 = track.fetched(2);
        payloads.fill(g2, 1);
        track.abort(ErrorCode.CANCEL);
        assertThat(failure(pending)).isEqualTo(ErrorCode.CANCEL);
        assertThat(filling).succeedsWithin(WAIT);
        // Aborted, and released since nobody watches: readers still behind learn the track's code.
        assertThat(g2.state()).isIn(Group.State.ABORTED, Group.State.EVICTED);
        assertThat(g2.error()).isEqualTo(ErrorCode.CANCEL);
        assertThat(track.fetched(1)).isNull();
        // After the end, an uncached group is refused with the track's code, without asking.
        assertThat(failure(track.fetchGroup(3, 0))).isEqualTo(ErrorCode.CANCEL);
        assertThat(source.fetches).containsExactly(1L, 2L);
        origin.closeAll();
        payloads.assertAllReleased();
    }

    @Test
    void aLocalTrackHasNobodyToAskSoAnUncachedGroupIsNotFound() {
        Broadcast local = Broadcast.local(Path.of("fetch/local"));
        origin.publish(local);
        Track track = local.createTrack("video", TrackInfo.DEFAULT);
        assertThat(failure(track.fetchGroup(0, 0))).isEqualTo(ErrorCode.NOT_FOUND);
        origin.closeAll();
    }

    @Test
    void aTrackCreatedOnlyForAFetchIsForgottenOnceTheFetchIsOverAndNobodyWatches() {
        origin.publish(broadcast);
        Track track = broadcast.track("video");
        track.fetchGroup(1, 0);
        assertThat(timer.getQueue()).as("checks from the creation and the fetch").hasSize(2);

        // Still fetching when the fetch's idle check comes: it looks again later (the other is stale).
        assertThat(runScheduledChecks()).isEqualTo(2);
        assertThat(broadcast.track("video")).isSameAs(track);
        Group g = track.fetched(1);
        payloads.fill(g, 1);
        assertThat(runScheduledChecks()).isEqualTo(1);
        assertThat(broadcast.track("video")).isSameAs(track);

        g.finish();
        assertThat(runScheduledChecks()).isEqualTo(1);
        assertThat(timer.getQueue()).isEmpty();
        assertThat(broadcast.track("video")).isNotSameAs(track);
        assertThat(g.state()).isEqualTo(Group.State.EVICTED);
        assertThat(budget.used()).isZero();
        origin.closeAll();
        payloads.assertAllReleased();
    }

    @Test
    void theBudgetSparesAFetchedGroupWhileItIsFilledAndEvictsItAfter() {
        origin.publish(broadcast);
        Track track = broadcast.track("video");
        Group live = track.createGroup(9);
        payloads.fill(live, 1);
        track.fetchGroup(3, 0);
        Group fetched = track.fetched(3);
        payloads.fill(fetched, 2);

        budget.resize(0);
        assertThat(fetched.state()).isEqualTo(Group.State.OPEN);
        fetched.finish();
        budget.resize(0);
        assertThat(fetched.state()).isEqualTo(Group.State.EVICTED);
        assertThat(fetched.error()).isEqualTo(ErrorCode.EVICTED);
        assertThat(track.latest()).isSameAs(live);
        assertThat(live.state()).isEqualTo(Group.State.OPEN);
        origin.closeAll();
        payloads.assertAllReleased();
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
}
