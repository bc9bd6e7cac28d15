package org.moqrelay.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/** Where a new subscription starts reading (relay.md §3, late join). */
class TrackLateJoinTest {
    private final Payloads payloads = new Payloads();
    private final Track track = Broadcast.local(Path.of("late/join")).createTrack("video", TrackInfo.DEFAULT);

    @AfterEach
    void releaseEverything() {
        track.finish();
        payloads.assertAllReleased();
    }

    @Test
    void aSubscriberArrivingMidGroupStartsWithTheLatestGroupFromItsFirstFrame() {
        Group g0 = track.createGroup(0);
        payloads.fill(g0, 3);
        g0.finish();
        Group g1 = track.createGroup(1);
        payloads.fill(g1, 2); // still open: the subscriber arrives in the middle of it

        try (RecordingReader r = RecordingReader.subscribe(track, Demand.LATEST)) {
            assertThat(r.subscription().initialGroups()).containsExactly(g1);
            assertThat(r.texts()).containsExactly("g1-f0", "g1-f1");

            payloads.fill(g1, 4);
            g1.finish();
            Group g2 = track.createGroup(2);
            payloads.fill(g2, 1);
            g2.finish();
            assertThat(r.texts()).containsExactly("g1-f0", "g1-f1", "g1-f2", "g1-f3", "g2-f0");
        }
    }

    @Test
    void theLatestGroupIsTheHighestSequenceEvenWhenGroupsArriveOutOfOrder() {
        Group g5 = track.createGroup(5);
        payloads.fill(g5, 1);
        Group g3 = track.createGroup(3);
        payloads.fill(g3, 1);

        assertThat(track.latest()).isSameAs(g5);
        try (RecordingReader r = RecordingReader.subscribe(track, Demand.LATEST)) {
            assertThat(r.subscription().initialGroups()).containsExactly(g5);
        }
    }

    @Test
    void aSubscriberBeforeTheFirstGroupGetsNothingCachedAndHearsAboutTheFirstGroup() {
        try (RecordingReader r = RecordingReader.subscribe(track, Demand.LATEST)) {
            assertThat(r.subscription().initialGroups()).isEmpty();
            Group g0 = track.createGroup(0);
            payloads.fill(g0, 2);
            assertThat(r.groupsSeen).containsExactly(0L);
            assertThat(r.texts()).containsExactly("g0-f0", "g0-f1");
        }
    }

    @Test
    void anExplicitStartGroupGetsEveryCachedGroupFromThatSequenceOn() {
        for (long g = 0; g < 4; g++) {
            Group group = track.createGroup(g);
            payloads.fill(group, 2);
            group.finish();
        }

        List<Long> fromOne = initialSequences(new Demand(0, false, 0, 1L, null));
        List<Long> fromZero = initialSequences(new Demand(0, false, 0, 0L, null));
        List<Long> fromThree = initialSequences(new Demand(0, false, 0, 3L, null));
        List<Long> fromFuture = initialSequences(new Demand(0, false, 0, 9L, null));

        assertThat(fromZero).containsExactly(0L, 1L, 2L, 3L);
        assertThat(fromOne).containsExactly(1L, 2L, 3L);
        assertThat(fromThree).containsExactly(3L);
        assertThat(fromFuture).isEmpty();

        try (RecordingReader r = RecordingReader.subscribe(track, new Demand(0, false, 0, 2L, null))) {
            assertThat(r.texts()).containsExactly("g2-f0", "g2-f1", "g3-f0", "g3-f1");
        }
    }

    @Test
    void anExplicitStartGroupSkipsGroupsThatWereNeverCached() {
        for (long g : new long[] {2, 4, 6}) {
            Group group = track.createGroup(g);
            payloads.fill(group, 1);
            group.finish();
        }
        assertThat(initialSequences(new Demand(0, false, 0, 3L, null))).containsExactly(4L, 6L);
    }

    private List<Long> initialSequences(Demand demand) {
        try (RecordingReader r = RecordingReader.subscribe(track, demand)) {
            return r.subscription().initialGroups().stream().map(Group::sequence).toList();
        }
    }
}
