package org.moqrelay.session.lite;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;

/** The subscribers of one group on one loop share one registration with the group. */
class LoopFanoutTest {
    private static final Path CAM = Path.of("live/cam");

    @Test
    void subscribersOnOneLoopRegisterOnceAndTheLastToLeaveUnregisters() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            Harness.Client[] subs = {
                h.connect(LiteVersion.LITE_05, 21), h.connect(LiteVersion.LITE_05, 22), h.connect(LiteVersion.LITE_05, 23)
            };
            Track track = h.publish(pub.published(), "live/cam", "video");
            Recorder[] recs = new Recorder[subs.length];
            for (int i = 0; i < subs.length; i++) {
                Harness.Client s = subs[i];
                h.eventually(() -> assertThat(s.announced().broadcast(CAM)).isNotNull());
                recs[i] = h.on(() -> Recorder.subscribe(s.announced().broadcast(CAM).track("video")));
            }
            h.eventually(() -> assertThat(h.relayOrigin.broadcast(CAM).track("video").subscriberCount()).isEqualTo(3));
            h.eventually(() -> assertThat(track.subscriberCount()).isEqualTo(1));

            Group[] published = new Group[1];
            h.run(() -> {
                published[0] = track.createGroup(0);
                published[0].append(1, h.payload("x"));
            });
            for (Recorder r : recs) h.eventually(() -> assertThat(r.texts()).containsExactly("x"));
            Group relayed = h.on(() -> h.relayOrigin.broadcast(CAM).track("video").latest());
            assertThat(relayed.listenerCount()).as("three writers, one loop").isEqualTo(1);

            h.run(recs[0]::close);
            h.run(() -> published[0].append(2, h.payload("y")));
            h.eventually(() -> assertThat(recs[1].texts()).containsExactly("x", "y"));
            h.eventually(() -> assertThat(recs[2].texts()).containsExactly("x", "y"));
            assertThat(recs[0].texts()).containsExactly("x");
            assertThat(relayed.listenerCount()).isEqualTo(1);

            // The group ends: every writer leaves while the loop walks them, and the last unregisters.
            h.run(published[0]::finish);
            h.eventually(() -> assertThat(relayed.state()).isEqualTo(Group.State.FINISHED));
            h.eventually(() -> assertThat(relayed.listenerCount()).isZero());
            h.run(track::finish);
            for (int i = 1; i < recs.length; i++) {
                assertThat(recs[i].ended).succeedsWithin(Duration.ofSeconds(Harness.WAIT_SECONDS));
                h.run(recs[i]::close);
            }
        }
    }
}
