package org.moqrelay.session.lite;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Subscription;
import org.moqrelay.model.Track;
import org.moqrelay.model.TrackException;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;

/**
 * When the relay cannot open a stream to the publisher (past the publisher's stream limit), the
 * track's waiters hear of it (Cancel) instead of waiting on a request that never left.
 */
class UpstreamOpenFailureTest {
    private static final Duration WAIT = Duration.ofSeconds(Harness.WAIT_SECONDS);
    private static final Path CAM = Path.of("live/cam");
    private static final Track.Listener IGNORE = new Track.Listener() {
        @Override
        public void onGroup(Track track, Group group) {}

        @Override
        public void onEnd(Track track) {}
    };

    @Test
    void aSubscriptionTheRelayCannotOpenUpstreamAbortsTheTrackWithCancel() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            h.publish(pub.published(), "live/cam", "video");
            h.eventually(() -> assertThat(h.relayOrigin.broadcast(CAM)).isNotNull());
            h.run(() -> pub.transport().server.refuseBidi = true);

            Track relayTrack = h.on(() -> h.relayOrigin.broadcast(CAM).track("video"));
            Subscription viewer = h.on(() -> relayTrack.subscribe(Demand.LATEST, IGNORE));

            h.eventually(() -> assertThat(relayTrack.state()).isEqualTo(Track.State.ABORTED));
            assertThat(relayTrack.error()).isEqualTo(ErrorCode.CANCEL);
            assertThat(h.on(() -> pub.relaySession().upstream(0))).as("the subscription is forgotten").isNull();
            assertThat(pub.relaySession().isOpen()).isTrue();
            h.run(viewer::close);
        }
    }

    @Test
    void aTrackInfoRequestTheRelayCannotOpenUpstreamFailsWithCancel() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            h.publish(pub.published(), "live/cam", "video");
            h.eventually(() -> assertThat(h.relayOrigin.broadcast(CAM)).isNotNull());
            h.run(() -> pub.transport().server.refuseBidi = true);

            Track relayTrack = h.on(() -> h.relayOrigin.broadcast(CAM).track("video"));
            assertThat(h.on(relayTrack::info)).failsWithin(WAIT).withThrowableThat()
                    .havingRootCause().isInstanceOfSatisfying(TrackException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCEL));
            assertThat(pub.relaySession().isOpen()).isTrue();
        }
    }
}
