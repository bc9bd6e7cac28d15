package org.moqrelay.session.lite;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Subscription;
import org.moqrelay.model.Track;
import org.moqrelay.session.spi.SendStream;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.VarInts;
import org.moqrelay.wire.lite.GroupHeader;
import org.moqrelay.wire.lite.LiteCodec;
import org.moqrelay.wire.lite.StreamType;

/**
 * A publisher cannot have the relay hold unfinished frames without end: its streams together may
 * hold {@link LiteSession#MAX_PARTIAL_FRAME_BYTES}, and past that its session closes with
 * BoundsExceeded (11) and the group being read is void.
 */
class PartialFrameCapTest {
    private static final Duration WAIT = Duration.ofSeconds(Harness.WAIT_SECONDS);

    /** The relay's copy of the publisher's track, subscribed so that the relay subscribes upstream (id 0). */
    private static Subscription subscribed(Harness h, Harness.Client pub, Track relayTrack) {
        Subscription viewer = h.on(() -> relayTrack.subscribe(Demand.LATEST, Harness.IGNORE));
        h.eventually(() -> assertThat(pub.relaySession().upstream(0)).as("the relay's SUBSCRIBE to the publisher").isNotNull());
        return viewer;
    }

    /** Opens a group stream from the publisher's end by hand: header, then a frame header declaring {@code frameSize}. Call on the loop. */
    private static SendStream groupWithFrame(Harness.Client pub, long sequence, long frameSize) {
        SendStream s = pub.transport().client.openUni().getNow();
        ByteBuf head = Unpooled.buffer();
        VarInts.write(head, StreamType.UNI_GROUP);
        LiteCodec.encode(head, new GroupHeader(0, sequence), LiteVersion.LITE_05);
        VarInts.write(head, VarInts.zigzag(0));
        VarInts.write(head, frameSize);
        s.write(head);
        return s;
    }

    @Test
    void unfinishedFramesOverTheCapCloseThePublisherWithBoundsExceeded() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            Track relayTrack = h.relayTrack(pub, "live/cam", "video");
            Subscription viewer = subscribed(h, pub, relayTrack);

            // Three groups by hand, each a frame declaring 32 MiB (the largest allowed) of which
            // 22 MiB come: 66 MiB unfinished in all, over the 64 MiB cap.
            assertThat(LiteSession.MAX_PARTIAL_FRAME_BYTES).isEqualTo(64L << 20);
            byte[] part = new byte[22 << 20];
            for (int g = 0; g < 3; g++) {
                int sequence = g;
                h.run(() -> {
                    SendStream s = groupWithFrame(pub, sequence, 32L << 20);
                    s.write(Unpooled.wrappedBuffer(part));
                    s.flush();
                });
            }

            assertThat(pub.relaySession().closed()).succeedsWithin(WAIT);
            assertThat(pub.relaySession().closeDescription())
                    .startsWith("code 11 (unfinished frames hold ").contains("bytes, more than the 67108864 allowed)");
            Group last = h.on(() -> relayTrack.group(2));
            assertThat(last.state()).isEqualTo(Group.State.ABORTED);
            assertThat(last.error()).isEqualTo(org.moqrelay.wire.ErrorCode.BOUNDS_EXCEEDED);
            for (int g = 0; g < 3; g++) {
                int sequence = g;
                assertThat(h.on(() -> relayTrack.group(sequence).frameCount())).as("frames of group %d", g).isZero();
            }
            h.run(viewer::close);
        }
    }

    @Test
    void aFetchAnswerThatTakesTheSessionOverTheCapFailsTheFetchWithBoundsExceeded() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            Track relayTrack = h.relayTrack(pub, "live/cam", "video");
            Subscription viewer = subscribed(h, pub, relayTrack);

            // Two group streams hold 30 MiB each of 32 MiB frames: 60 MiB, under the cap.
            byte[] part = new byte[30 << 20];
            for (int g = 0; g < 2; g++) {
                int sequence = g;
                h.run(() -> {
                    SendStream s = groupWithFrame(pub, sequence, 32L << 20);
                    s.write(Unpooled.wrappedBuffer(part));
                    s.flush();
                });
            }
            // A FETCH of group 9; its answer, written by hand before the publisher's session
            // sees the request, declares a 32 MiB frame and brings 8 MiB of it: 68 MiB.
            java.util.concurrent.CompletableFuture<Group> fetched = h.on(() -> {
                java.util.concurrent.CompletableFuture<Group> f = relayTrack.fetchGroup(9, 0);
                MemoryTransport.Link link = pub.transport().opened("server", StreamType.BIDI_FETCH).get(0);
                ByteBuf answer = Unpooled.buffer();
                VarInts.write(answer, VarInts.zigzag(0));
                VarInts.write(answer, 32L << 20);
                answer.writeBytes(new byte[8 << 20]);
                link.backward.write(answer);
                link.backward.flush();
                return f;
            });

            assertThat(fetched).failsWithin(WAIT).withThrowableThat().havingRootCause()
                    .isInstanceOfSatisfying(org.moqrelay.model.TrackException.class,
                            e -> assertThat(e.code()).isEqualTo(org.moqrelay.wire.ErrorCode.BOUNDS_EXCEEDED));
            assertThat(pub.relaySession().closed()).succeedsWithin(WAIT);
            assertThat(pub.relaySession().closeDescription()).startsWith("code 11 (unfinished frames hold ");
            h.run(viewer::close);
        }
    }

    @Test
    void framesThatCompleteGiveTheirBytesBackToTheCap() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            Track relayTrack = h.relayTrack(pub, "live/cam", "video");
            Subscription viewer = subscribed(h, pub, relayTrack);

            // Three groups one after the other, each one 30 MiB frame in two halves: 90 MiB in
            // all, never more than 30 MiB unfinished, so the session stays open.
            byte[] half = new byte[15 << 20];
            for (int g = 0; g < 3; g++) {
                int sequence = g;
                h.run(() -> {
                    SendStream s = groupWithFrame(pub, sequence, 30L << 20);
                    s.write(Unpooled.wrappedBuffer(half));
                    s.flush();
                    s.write(Unpooled.wrappedBuffer(half));
                    s.finish();
                });
                h.eventually(() -> assertThat(relayTrack.group(sequence).state()).isEqualTo(Group.State.FINISHED));
                assertThat(h.on(() -> relayTrack.group(sequence).frameCount())).isEqualTo(1);
            }
            assertThat(pub.relaySession().isOpen()).isTrue();
            h.run(viewer::close);
        }
    }
}
