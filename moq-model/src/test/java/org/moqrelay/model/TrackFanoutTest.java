package org.moqrelay.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/** One producer, many subscribers on one shared track (relay.md §2). */
class TrackFanoutTest {
    private static final int SUBSCRIBERS = 20;
    private static final int GROUPS = 4;
    private static final int FRAMES = 5;

    private final Payloads payloads = new Payloads();

    @Test
    void everySubscriptionSeesEveryGroupAndFrameInOrder() {
        Track track = Broadcast.local(Path.of("fan/out")).createTrack("video", TrackInfo.DEFAULT);
        List<RecordingReader> readers = new ArrayList<>();
        for (int i = 0; i < SUBSCRIBERS; i++) readers.add(RecordingReader.subscribe(track, Demand.LATEST));

        List<String> expected = new ArrayList<>();
        for (long g = 0; g < GROUPS; g++) {
            Group group = track.createGroup(g);
            payloads.fill(group, FRAMES);
            group.finish();
            for (int f = 0; f < FRAMES; f++) expected.add(Payloads.text(g, f));
        }
        track.finish();

        assertThat(track.subscriberCount()).isEqualTo(SUBSCRIBERS);
        for (RecordingReader r : readers) {
            assertThat(r.texts()).containsExactlyElementsOf(expected);
            assertThat(r.groupsSeen).containsExactly(0L, 1L, 2L, 3L);
            assertThat(r.frames).extracting(RecordingReader.Received::timestamp)
                    .isSortedAccordingTo(Long::compare);
            assertThat(r.ended).succeedsWithin(Duration.ZERO);
        }
        readers.forEach(RecordingReader::close);
        assertThat(track.subscriberCount()).isZero();
        assertThat(track.cachedGroups()).isZero();
        payloads.assertAllReleased();
    }

    @Test
    void subscribersShareTheCachedPayloadBufferInsteadOfCopyingIt() {
        Track track = Broadcast.local(Path.of("fan/out")).createTrack("video", TrackInfo.DEFAULT);
        List<RecordingReader> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) readers.add(RecordingReader.subscribe(track, Demand.LATEST));

        Group group = track.createGroup(0);
        payloads.fill(group, FRAMES);
        group.finish();

        List<ByteBuf> originals = payloads.made();
        for (RecordingReader r : readers) {
            assertThat(r.frames).hasSize(FRAMES);
            for (RecordingReader.Received got : r.frames) {
                ByteBuf original = originals.get(got.index());
                // A retained duplicate: a view on the one cached buffer and its memory, not a copy.
                assertThat(got.sharedBuffer()).isSameAs(original);
                assertThat(got.backingArray()).isSameAs(original.array());
            }
        }
        // Every duplicate handed out was released: only the cache's own reference is left.
        assertThat(originals).allSatisfy(b -> assertThat(b.refCnt()).isEqualTo(1));

        track.finish();
        readers.forEach(RecordingReader::close);
        payloads.assertAllReleased();
    }

    @Test
    void aFrameAppendedAfterSubscribersCaughtUpReachesEachOfThemOnce() {
        Track track = Broadcast.local(Path.of("fan/out")).createTrack("video", TrackInfo.DEFAULT);
        Group group = track.createGroup(7);
        payloads.fill(group, 2);
        List<RecordingReader> readers = new ArrayList<>();
        for (int i = 0; i < 5; i++) readers.add(RecordingReader.subscribe(track, Demand.LATEST));
        for (RecordingReader r : readers) assertThat(r.texts()).containsExactly("g7-f0", "g7-f1");

        payloads.fill(group, 3);
        group.finish();

        for (RecordingReader r : readers) assertThat(r.texts()).containsExactly("g7-f0", "g7-f1", "g7-f2");
        track.finish();
        readers.forEach(RecordingReader::close);
        payloads.assertAllReleased();
    }
}
