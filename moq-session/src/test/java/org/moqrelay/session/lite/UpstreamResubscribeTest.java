package org.moqrelay.session.lite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Subscription;
import org.moqrelay.model.Track;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.lite.StreamType;

/**
 * A viewer leaves and another comes before the publisher has answered the first upstream
 * SUBSCRIBE's FIN: the first subscription ending later must not take the second one's place,
 * or the second would never be cancelled and the publisher would stream to nobody.
 */
class UpstreamResubscribeTest {
    @Test
    void aCancelledUpstreamSubscriptionEndingLateLeavesItsSuccessorCancellable() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            Track relayTrack = h.relayTrack(pub, "live/cam", "video");

            Subscription second = h.on(() -> {
                Subscription first = relayTrack.subscribe(Demand.LATEST, Harness.IGNORE);
                first.close(); // the relay FINs its first SUBSCRIBE at once
                return relayTrack.subscribe(Demand.LATEST, Harness.IGNORE); // and opens a second
            });
            h.eventually(() -> assertThat(pub.transport().opened("server", StreamType.BIDI_SUBSCRIBE)).hasSize(2));
            // The publisher answers the first FIN with its own: the first subscription ends now.
            h.eventually(() -> assertThat(pub.transport().events("client", MemoryTransport.Kind.FIN, StreamType.BIDI_SUBSCRIBE))
                    .isNotEmpty());

            h.run(second::close);
            h.eventually(() -> assertThat(pub.transport().events("server", MemoryTransport.Kind.FIN, StreamType.BIDI_SUBSCRIBE))
                    .as("the relay FINs both of its SUBSCRIBE streams").hasSize(2));
        }
    }

    @Test
    void aCancelledUpstreamSubscriptionCutOffMidMessageEndsWithoutFailingThePublisher() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            Track relayTrack = h.relayTrack(pub, "live/cam", "video");

            h.run(() -> {
                relayTrack.subscribe(Demand.LATEST, Harness.IGNORE).close(); // SUBSCRIBE, then FIN at once
                // Before the publisher's session sees either, its side of the stream carries half
                // a message and its FIN: a response's type (0), a size of 5, and 2 of those bytes.
                MemoryTransport.Link link = pub.transport().opened("server", StreamType.BIDI_SUBSCRIBE).get(0);
                link.backward.write(io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {0, 5, 0, 0}));
                link.backward.finish();
            });

            h.eventually(() -> assertThat(pub.relaySession().upstream(0)).as("the subscription ended").isNull());
            h.run(() -> {});
            assertThat(pub.relaySession().isOpen()).as("the publisher's session").isTrue();
        }
    }
}
