package org.moqrelay.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/** How a track ends: finished cleanly or aborted with a code. */
class TrackEndTest {
    private final Payloads payloads = new Payloads();

    private static Track localTrack() {
        return Broadcast.local(Path.of("end")).createTrack("video", TrackInfo.DEFAULT);
    }

    @Test
    void finishTellsListenersTheTrackEndedAfterTheLastGroup() {
        Track track = localTrack();
        RecordingReader a = RecordingReader.subscribe(track, Demand.LATEST);
        RecordingReader b = RecordingReader.subscribe(track, Demand.LATEST);
        for (long g = 0; g < 3; g++) payloads.fill(track.createGroup(g), 1);

        track.finish();

        for (RecordingReader r : List.of(a, b)) {
            assertThat(r.ended).isCompletedWithValue(track);
        }
        assertThat(track.state()).isEqualTo(Track.State.ENDED);
        assertThat(track.error()).isNull();
        assertThat(track.endGroup()).isEqualTo(3);
        // A local producer's end finishes the groups it left open.
        assertThat(track.group(2).state()).isEqualTo(Group.State.FINISHED);
        assertThat(track.createGroup(3)).isNull();

        a.close();
        assertThat(track.cachedGroups()).as("kept for the remaining subscriber").isEqualTo(3);
        b.close();
        assertThat(track.cachedGroups()).isZero();
        payloads.assertAllReleased();
    }

    @Test
    void theEndGroupIsOnePastTheHighestSequenceWhateverTheArrivalOrder() {
        Track track = localTrack();
        track.createGroup(5);
        track.createGroup(2);
        track.finish();
        assertThat(track.endGroup()).isEqualTo(6);
    }

    @Test
    void aTrackFinishedWithoutGroupsEndsAtGroupZero() {
        Track track = localTrack();
        assertThat(track.endGroup()).isEqualTo(-1);
        RecordingReader r = RecordingReader.subscribe(track, Demand.LATEST);

        track.finish();

        assertThat(r.ended).isCompletedWithValue(track);
        assertThat(track.endGroup()).isZero();
        r.close();
    }

    @Test
    void anUpstreamTracksCleanEndLeavesItsLastGroupToFinishWithAllItsFrames() {
        CountingSource source = new CountingSource();
        Track track = Broadcast.remote(Path.of("end/tail"), List.of(7L), source).track("video");
        RecordingReader r = RecordingReader.subscribe(track, Demand.LATEST);
        Group last = track.createGroup(0);
        payloads.fill(last, 1);

        // The publisher's FIN of the subscription overtakes the rest of its last group's stream.
        track.finish();
        assertThat(track.state()).isEqualTo(Track.State.ENDED);
        assertThat(last.state()).as("still arriving").isEqualTo(Group.State.OPEN);
        payloads.fill(last, 3);
        last.finish();

        assertThat(last.state()).isEqualTo(Group.State.FINISHED);
        assertThat(last.frameCount()).as("no frame lost to the track's end").isEqualTo(3);
        r.close();
        payloads.assertAllReleased();
    }

    @Test
    void abortTellsListenersTheCodeAndFailsTheInfo() {
        CountingSource source = new CountingSource();
        Track track = Broadcast.remote(Path.of("end/remote"), List.of(7L), source).track("video");
        var info = track.info();
        RecordingReader r = RecordingReader.subscribe(track, Demand.LATEST);
        Group open = track.createGroup(0);
        payloads.fill(open, 2);

        track.abort(ErrorCode.NOT_FOUND);

        assertThat(r.ended).isCompletedWithValue(track);
        assertThat(track.state()).isEqualTo(Track.State.ABORTED);
        assertThat(track.error()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(track.endGroup()).isEqualTo(1);
        assertThat(open.state()).isEqualTo(Group.State.ABORTED);
        assertThat(open.error()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(info).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(TrackException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(track.info()).isCompletedExceptionally();
        assertThat(source.count("requestInfo")).isEqualTo(1);

        r.close();
        assertThat(source.count("unsubscribe")).as("nothing left upstream to cancel").isZero();
        payloads.assertAllReleased();
    }

    @Test
    void aTrackEndsOnlyOnce() {
        Track track = localTrack();
        int[] ends = new int[1];
        Subscription sub = track.subscribe(Demand.LATEST, new Track.Listener() {
            @Override
            public void onGroup(Track t, Group g) {}

            @Override
            public void onEnd(Track t) {
                ends[0]++;
            }
        });

        track.finish();
        track.abort(ErrorCode.CANCEL);
        track.finish();

        assertThat(ends[0]).isEqualTo(1);
        assertThat(track.state()).isEqualTo(Track.State.ENDED);
        assertThat(track.error()).isNull();
        sub.close();
    }

    @Test
    void closingABroadcastEndsEachOfItsTracks() {
        Broadcast b = Broadcast.local(Path.of("end/b"));
        Track video = b.createTrack("video", TrackInfo.DEFAULT);
        Track audio = b.createTrack("audio", TrackInfo.DEFAULT);

        b.close(ErrorCode.TIMEOUT);

        assertThat(List.of(video, audio)).allSatisfy(t -> {
            assertThat(t.state()).isEqualTo(Track.State.ABORTED);
            assertThat(t.error()).isEqualTo(ErrorCode.TIMEOUT);
        });
        assertThat(b.track("video")).isNull();
    }
}
