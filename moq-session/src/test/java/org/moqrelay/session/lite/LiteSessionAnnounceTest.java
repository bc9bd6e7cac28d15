package org.moqrelay.session.lite;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Origin;
import org.moqrelay.model.Track;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.AnnounceOk;
import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.MessageKind;
import org.moqrelay.wire.lite.StreamType;

class LiteSessionAnnounceTest {
    private static final Path CAM = Path.of("live/cam");

    @Test
    void announceRequestMatchesPrefixesOnSegmentBoundariesAndWithdrawsOnUnpublish() {
        try (Harness h = new Harness()) {
            h.publish(h.relayOrigin, "foo", "v");
            Track fooBar = h.publish(h.relayOrigin, "foo/bar", "v");
            h.publish(h.relayOrigin, "foobar", "v");
            Harness.Client c = h.connect(LiteVersion.LITE_05, 22, false);
            h.run(() -> c.session().requestAnnounces(Path.of("foo")));

            h.eventually(() -> assertThat(c.announced().announced(Path.ROOT)).extracting(Broadcast::path)
                    .containsExactly(Path.of("foo"), Path.of("foo/bar")));
            h.eventually(() -> assertThat(c.transport().opened("client", StreamType.BIDI_ANNOUNCE)).hasSize(1));
            MemoryTransport.Link request = c.transport().opened("client", StreamType.BIDI_ANNOUNCE).get(0);
            h.eventually(() -> assertThat(Wire.decodeFirst(request.backward.bytes(), MessageKind.ANNOUNCE_OK,
                    LiteVersion.LITE_05)).isEqualTo(new AnnounceOk(Harness.RELAY_ID, 2)));

            h.run(() -> h.relayOrigin.unpublish(fooBar.broadcast()));
            h.eventually(() -> assertThat(c.announced().announced(Path.ROOT)).extracting(Broadcast::path)
                    .containsExactly(Path.of("foo")));
            // A later broadcast under the prefix is announced live; one beside it is not.
            h.publish(h.relayOrigin, "foo/baz", "v");
            h.publish(h.relayOrigin, "food", "v");
            h.eventually(() -> assertThat(c.announced().announced(Path.ROOT)).extracting(Broadcast::path)
                    .containsExactly(Path.of("foo"), Path.of("foo/baz")));
        }
    }

    @Test
    void aBroadcastIsNotAnnouncedBackToTheClientOnItsHopChain() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            Harness.Client other = h.connect(LiteVersion.LITE_05, 22);
            h.publish(pub.published(), "live/cam", "video");

            h.eventually(() -> assertThat(other.announced().broadcast(CAM)).isNotNull());
            assertThat(h.on(() -> pub.announced().announced(Path.ROOT))).isEmpty();
            // On the wire: the relay answered the publisher's request with an empty set and nothing after.
            MemoryTransport.Link request = pub.transport().opened("client", StreamType.BIDI_ANNOUNCE).get(0);
            assertThat(h.on(() -> Wire.decodeAll(request.backward.bytes(), false, MessageKind.ANNOUNCE_OK,
                    LiteVersion.LITE_05))).containsExactly(new AnnounceOk(Harness.RELAY_ID, 0));
        }
    }

    @Test
    void aSessionClosedCleanlyUnannouncesItsBroadcastsAtOnce() {
        try (Harness h = new Harness(60_000)) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            Harness.Client other = h.connect(LiteVersion.LITE_05, 22);
            h.publish(pub.published(), "live/cam", "video");
            h.eventually(() -> assertThat(other.announced().broadcast(CAM)).isNotNull());

            h.run(() -> pub.session().close(0, "bye"));
            h.eventually(() -> assertThat(h.relayOrigin.broadcast(CAM)).isNull());
            h.eventually(() -> assertThat(other.announced().broadcast(CAM)).isNull());
        }
    }

    @Test
    void aLostSessionsBroadcastsLingerThenEnd() {
        lostSessionLingers(t -> t.lose());
    }

    @Test
    void aSessionClosedWithAnErrorCodeByThePeerLingersToo() {
        lostSessionLingers(t -> t.loop.execute(() -> t.client.close(4, "transport error")));
    }

    @Test
    void aResetAnnounceStreamLingersItsBroadcastsThoughTheSessionLives() {
        try (Harness h = new Harness(300)) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            h.publish(pub.published(), "live/cam", "video");
            h.eventually(() -> assertThat(h.relayOrigin.broadcast(CAM)).isNotNull());
            CompletableFuture<Broadcast> gone = unannounced(h);

            // The publisher resets its answer to the relay's announce request: no Ended was said.
            h.run(() -> pub.transport().opened("server", StreamType.BIDI_ANNOUNCE).get(0).backward.reset(1));
            h.eventually(() -> assertThat(pub.transport().events("client", MemoryTransport.Kind.RESET,
                    StreamType.BIDI_ANNOUNCE)).hasSize(1));
            h.run(() -> {});
            assertThat(h.on(() -> h.relayOrigin.broadcast(CAM))).as("still announced right after").isNotNull();
            assertThat(gone).succeedsWithin(Duration.ofSeconds(Harness.WAIT_SECONDS)).extracting(Broadcast::path).isEqualTo(CAM);
            assertThat(pub.relaySession().isOpen()).isTrue();
        }
    }

    /** Completes with the broadcast at {@link #CAM} once the relay's origin withdraws it. */
    private static CompletableFuture<Broadcast> unannounced(Harness h) {
        CompletableFuture<Broadcast> gone = new CompletableFuture<>();
        h.run(() -> h.relayOrigin.watch(CAM, new Origin.AnnounceListener() {
            @Override
            public void onAnnounce(Broadcast b) {}

            @Override
            public void onUnannounce(Broadcast b) {
                gone.complete(b);
            }
        }));
        return gone;
    }

    private static void lostSessionLingers(java.util.function.Consumer<MemoryTransport> kill) {
        try (Harness h = new Harness(300)) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            h.publish(pub.published(), "live/cam", "video");
            h.eventually(() -> assertThat(h.relayOrigin.broadcast(CAM)).isNotNull());
            CompletableFuture<Broadcast> gone = unannounced(h);

            kill.accept(pub.transport());
            assertThat(pub.relaySession().closed()).succeedsWithin(Duration.ofSeconds(Harness.WAIT_SECONDS));
            assertThat(pub.relaySession().closeDescription()).endsWith("lost");
            // Still announced right after the loss, withdrawn once the linger expires.
            assertThat(h.on(() -> h.relayOrigin.broadcast(CAM))).isNotNull();
            assertThat(gone).succeedsWithin(Duration.ofSeconds(Harness.WAIT_SECONDS))
                    .extracting(Broadcast::path).isEqualTo(CAM);
            assertThat(h.on(() -> h.relayOrigin.broadcast(CAM))).isNull();
        }
    }
}
