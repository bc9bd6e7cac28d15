package org.moqrelay.session.lite;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.moqrelay.model.Broadcast;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.Announce;
import org.moqrelay.wire.lite.AnnounceRequest;
import org.moqrelay.wire.lite.LiteCodec;
import org.moqrelay.wire.lite.MessageKind;
import org.moqrelay.wire.lite.StreamType;

/**
 * A peer that asks for announcements and does not read them holds the relay to one waiting
 * update per path, however often broadcasts come and go; once it reads, it learns the state
 * as it is.
 */
class AnnounceBackpressureTest {
    private static final int CHURN = 2_000;

    @Test
    void aWatcherThatDoesNotReadCostsOneUpdatePerPathAndThenLearnsTheCurrentState() {
        for (LiteVersion v : List.of(LiteVersion.LITE_05, LiteVersion.LITE_03)) {
            try (Harness h = new Harness()) {
                RawPeer peer = h.connectRaw(v);
                h.run(() -> peer.transport.server.window = 256); // the relay's writes stall after 256 unread bytes
                BidiStream announces = h.on(() -> {
                    BidiStream s = peer.transport.client.openBidi().getNow();
                    s.write(Wire.typed(StreamType.BIDI_ANNOUNCE, new AnnounceRequest(Path.ROOT, 0), v));
                    s.flush();
                    return s; // not read yet
                });
                h.eventually(() -> assertThat(peer.transport.opened("client", StreamType.BIDI_ANNOUNCE)).hasSize(1));
                MemoryTransport.Link link = peer.transport.opened("client", StreamType.BIDI_ANNOUNCE).get(0);

                // Broadcasts come and go: CHURN of them, all but the last gone again.
                List<Broadcast> all = new ArrayList<>();
                for (int i = 0; i < CHURN; i++) {
                    Broadcast b = Broadcast.local(Path.of("live/b" + i));
                    all.add(b);
                    h.run(() -> h.relayOrigin.publish(b));
                }
                for (int i = 0; i < CHURN - 1; i++) {
                    Broadcast b = all.get(i);
                    h.run(() -> h.relayOrigin.unpublish(b));
                }
                h.run(() -> {});
                int written = h.on(() -> link.backward.written.size());
                assertThat(written).as("bytes the relay wrote to a peer that reads nothing (%s)", v).isLessThan(1024);

                RawPeer.Reply reply = new RawPeer.Reply();
                h.run(() -> announces.read(reply));
                h.eventually(() -> assertThat(activeAfter(reply.bytes.toByteArray(), v)).containsExactly(Path.of("live/b" + (CHURN - 1))));
                assertThat(h.on(() -> link.backward.written.size())).as("all that was written in the end (%s)", v)
                        .isLessThan(CHURN * 8);
            }
        }
    }

    /** Replays the relay's answer: the paths active at its end. */
    private static Set<Path> activeAfter(byte[] bytes, LiteVersion v) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        Set<Path> active = new LinkedHashSet<>();
        if (v.hasAnnounceOk()) {
            if (LiteCodec.decode(b, MessageKind.ANNOUNCE_OK, v) == null) return active;
        }
        while (b.isReadable()) {
            Announce a = (Announce) LiteCodec.decode(b, MessageKind.ANNOUNCE, v);
            if (a == null) break;
            if (a.status() == Announce.Status.ACTIVE) active.add(a.suffix());
            else active.remove(a.suffix());
        }
        return active;
    }
}
