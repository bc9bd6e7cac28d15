package org.moqrelay.session.lite;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Subscription;
import org.moqrelay.model.Track;
import org.moqrelay.model.TrackException;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.LiteVersion;

/**
 * When the relay cannot open a stream to the publisher (past the publisher's stream limit), the
 * track's waiters hear of it (Cancel) instead of waiting on a request that never left.
 */
class UpstreamOpenFailureTest {
    private static final Duration WAIT = Duration.ofSeconds(Harness.WAIT_SECONDS);

    @Test
    void aSubscriptionTheRelayCannotOpenUpstreamAbortsTheTrackWithCancel() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            Track relayTrack = h.relayTrack(pub, "live/cam", "video"); // not yet asked upstream
            h.run(() -> pub.transport().server.refuseBidi = true);
            Subscription viewer = h.on(() -> relayTrack.subscribe(Demand.LATEST, Harness.IGNORE));

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
            Track relayTrack = h.relayTrack(pub, "live/cam", "video"); // not yet asked upstream
            h.run(() -> pub.transport().server.refuseBidi = true);
            assertThat(h.on(relayTrack::info)).failsWithin(WAIT).withThrowableThat()
                    .havingRootCause().isInstanceOfSatisfying(TrackException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCEL));
            assertThat(pub.relaySession().isOpen()).isTrue();
        }
    }

    @Test
    void aWireSubscriberWhoseUpstreamCannotOpenIsToldAndLeavesNoSubscriberBehind() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            Harness.Client viewer = h.connect(LiteVersion.LITE_05, 22);
            Track relayTrack = h.relayTrack(pub, "live/cam", "video");
            h.run(() -> pub.transport().server.refuseBidi = true);

            // On one loop the relay's upstream open fails at once, inside its SubscribeResponder's subscribe.
            Track seen = h.on(() -> viewer.session().consume(org.moqrelay.wire.Path.of("live/cam")).track("video"));
            Subscription s = h.on(() -> seen.subscribe(Demand.LATEST, Harness.IGNORE));

            h.eventually(() -> assertThat(seen.state()).as("the viewer is told").isEqualTo(Track.State.ABORTED));
            assertThat(relayTrack.state()).isEqualTo(Track.State.ABORTED);
            h.eventually(() -> assertThat(relayTrack.subscriberCount()).as("the relay's subscription of that viewer").isZero());
            h.run(s::close);
        }
    }
}
