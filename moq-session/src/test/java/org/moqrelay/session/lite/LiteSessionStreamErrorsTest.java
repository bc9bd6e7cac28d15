package org.moqrelay.session.lite;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.VarInts;
import org.moqrelay.wire.lite.MessageKind;
import org.moqrelay.wire.lite.StreamType;
import org.moqrelay.wire.lite.TrackInfo;
import org.moqrelay.wire.lite.TrackRequest;

class LiteSessionStreamErrorsTest {
    private static final Duration WAIT = Duration.ofSeconds(Harness.WAIT_SECONDS);

    @Test
    void trackRequestForAnUnknownBroadcastIsResetWithUnroutableAndForAnUnknownTrackWithNotFound() {
        try (Harness h = new Harness()) {
            RawPeer peer = h.connectRaw(LiteVersion.LITE_05);
            h.publish(h.relayOrigin, "live/cam", "video");

            RawPeer.Reply noBroadcast = h.on(() -> peer.send(Wire.typed(StreamType.BIDI_TRACK,
                    new TrackRequest(Path.of("live/nope"), "video"), LiteVersion.LITE_05), true));
            RawPeer.Reply noTrack = h.on(() -> peer.send(Wire.typed(StreamType.BIDI_TRACK,
                    new TrackRequest(Path.of("live/cam"), "audio"), LiteVersion.LITE_05), true));
            RawPeer.Reply known = h.on(() -> peer.send(Wire.typed(StreamType.BIDI_TRACK,
                    new TrackRequest(Path.of("live/cam"), "video"), LiteVersion.LITE_05), true));

            assertThat(noBroadcast.reset).succeedsWithin(WAIT).isEqualTo(30L);
            assertThat(noTrack.reset).succeedsWithin(WAIT).isEqualTo(13L);
            assertThat(known.fin).succeedsWithin(WAIT).satisfies(bytes -> assertThat(
                    Wire.decodeAll(bytes, false, MessageKind.TRACK_INFO, LiteVersion.LITE_05))
                    .containsExactly(TrackInfo.DEFAULT));
            assertThat(peer.transport.events("server", MemoryTransport.Kind.RESET, StreamType.BIDI_TRACK))
                    .extracting(MemoryTransport.Event::code).containsExactly(30L, 13L);
            assertThat(peer.relaySession.isOpen()).isTrue();
        }
    }

    @Test
    void malformedBytesOnABidiStreamCloseTheSessionWithTheDecodeCode() {
        try (Harness h = new Harness()) {
            RawPeer peer = h.connectRaw(LiteVersion.LITE_05);
            ByteBuf bad = Unpooled.buffer();
            VarInts.write(bad, StreamType.BIDI_SUBSCRIBE);
            // SUBSCRIBE of 3 bytes: id 0, then a path claiming 63 bytes that are not there.
            bad.writeBytes(new byte[] {0x03, 0x00, 0x3f, 0x00});
            h.run(() -> peer.send(bad, false));

            assertThat(peer.closedCode).succeedsWithin(WAIT).isEqualTo(5L);
            assertThat(peer.relaySession.closed()).succeedsWithin(WAIT);
            assertThat(peer.relaySession.closeDescription()).startsWith("code 5");
        }
    }

    @Test
    void anUnknownBidiStreamTypeIsResetWithUnexpectedStreamAndTheSessionSurvives() {
        try (Harness h = new Harness()) {
            RawPeer peer = h.connectRaw(LiteVersion.LITE_05);
            h.publish(h.relayOrigin, "live/cam", "video");
            ByteBuf unknown = Unpooled.buffer();
            VarInts.write(unknown, 0x30);
            unknown.writeBytes(new byte[] {1, 2, 3});
            RawPeer.Reply rejected = h.on(() -> peer.send(unknown, false));
            assertThat(rejected.reset).succeedsWithin(WAIT).isEqualTo(10L);

            RawPeer.Reply after = h.on(() -> peer.send(Wire.typed(StreamType.BIDI_TRACK,
                    new TrackRequest(Path.of("live/cam"), "video"), LiteVersion.LITE_05), true));
            assertThat(after.fin).succeedsWithin(WAIT);
            assertThat(peer.relaySession.isOpen()).isTrue();
            assertThat(peer.closedCode).isNotDone();
        }
    }
}
