package org.moqrelay.session.lite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.moqrelay.model.CacheBudget;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;

/** Groups waiting for a subscriber's stream credit are not kept from the cache budget. */
class StreamCreditHoldTest {
    private static final Path CAM = Path.of("live/cam");

    @Test
    void aSubscriberThatGrantsNoStreamsDoesNotPinOldGroupsInTheCache() {
        // Nothing beyond each track's latest group fits.
        try (Harness h = new Harness(new CacheBudget(1))) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            Harness.Client sub = h.connect(LiteVersion.LITE_05, 22);
            Track track = h.publish(pub.published(), "live/cam", "video");
            h.eventually(() -> assertThat(sub.announced().broadcast(CAM)).isNotNull());
            MemoryTransport.End relayToSub = sub.transport().server;
            h.run(() -> relayToSub.withholdUni = true);
            Recorder rec = h.on(() -> Recorder.subscribe(sub.announced().broadcast(CAM).track("video")));
            h.eventually(() -> assertThat(track.subscriberCount()).isEqualTo(1));

            h.run(() -> {
                for (long g = 0; g < 4; g++) {
                    Group grp = track.createGroup(g);
                    grp.append(0, h.payload("frame " + g));
                    grp.finish();
                }
            });
            // Every group reached the relay and a stream was asked for each; none was granted.
            h.eventually(() -> assertThat(relayToSub.withheld).hasSize(4));
            Track relayed = h.on(() -> h.relayOrigin.broadcast(CAM).track("video"));
            h.eventually(() -> assertThat(relayed.cachedGroups()).isEqualTo(1));
            assertThat(h.on(() -> relayed.latest().sequence())).isEqualTo(3);
            assertThat(rec.texts()).isEmpty();
            h.run(rec::close);
            h.run(track::finish);
        }
    }
}
