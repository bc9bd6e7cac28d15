package org.moqrelay.session.lite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.moqrelay.session.lite.MemoryTransport.Kind.DATA;
import static org.moqrelay.session.lite.MemoryTransport.Kind.FIN;
import static org.moqrelay.session.lite.MemoryTransport.Kind.OPEN;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.MessageKind;
import org.moqrelay.wire.lite.StreamType;
import org.moqrelay.wire.lite.SubscribeEnd;
import org.moqrelay.wire.lite.SubscribeOk;
import org.moqrelay.wire.lite.Subscribe;
import org.moqrelay.wire.lite.SubscribeStart;
import org.moqrelay.wire.lite.TrackRequest;

class LiteSessionRelayTest {
    private static final Path CAM = Path.of("live/cam");

    @Test
    void publishedBroadcastReachesASecondClientThroughTheRelay() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            Harness.Client sub = h.connect(LiteVersion.LITE_05, 22);
            Track track = h.publish(pub.published(), "live/cam", "video");

            h.eventually(() -> {
                Broadcast b = h.relayOrigin.broadcast(CAM);
                assertThat(b).isNotNull();
                assertThat(b.hops()).containsExactly(11L);
            });
            h.eventually(() -> assertThat(sub.announced().broadcast(CAM)).isNotNull());
            assertThat(h.on(() -> sub.announced().broadcast(CAM).hops())).containsExactly(11L, Harness.RELAY_ID);

            Recorder rec = h.on(() -> Recorder.subscribe(sub.announced().broadcast(CAM).track("video")));
            h.eventually(() -> assertThat(track.subscriberCount()).isEqualTo(1));
            h.run(() -> {
                Group g0 = track.createGroup(0);
                g0.append(100, h.payload("a"));
                g0.append(133, h.payload("b"));
                g0.finish();
                Group g1 = track.createGroup(1);
                g1.append(166, h.payload("c"));
                g1.append(150, h.payload("d")); // a negative delta is legal
                g1.finish();
            });
            h.eventually(() -> assertThat(rec.frames).containsExactly(
                    new Recorder.Received(0, 100, "a"), new Recorder.Received(0, 133, "b"),
                    new Recorder.Received(1, 166, "c"), new Recorder.Received(1, 150, "d")));

            h.run(track::finish);
            assertThat(rec.ended).succeedsWithin(Duration.ofSeconds(Harness.WAIT_SECONDS));

            // On the relay -> subscriber hop: SUBSCRIBE_START before the first group, SUBSCRIBE_END (exclusive) at the end.
            MemoryTransport t = sub.transport();
            MemoryTransport.Link subscribe = t.opened("client", StreamType.BIDI_SUBSCRIBE).get(0);
            h.eventually(() -> assertThat(Wire.decodeAll(subscribe.backward.bytes(), false,
                    MessageKind.SUBSCRIBE_RESPONSE, LiteVersion.LITE_05))
                    .containsExactly(new SubscribeStart(0), new SubscribeEnd(2)));
            int firstResponse = t.events.stream().filter(e -> e.link() == subscribe && e.by().equals("server")
                    && e.kind() == DATA).findFirst().orElseThrow().seq();
            List<MemoryTransport.Event> groupOpens = t.eventsUni("server", OPEN, StreamType.UNI_GROUP);
            assertThat(groupOpens).hasSize(2);
            assertThat(firstResponse).isLessThan(groupOpens.get(0).seq());
            h.eventually(() -> assertThat(t.events("server", FIN, StreamType.BIDI_SUBSCRIBE)).hasSize(1));
            rec.close();
        }
    }

    @Test
    void twoSubscribersShareOneUpstreamSubscribeAndTheLastToLeaveCancelsIt() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            Harness.Client sub1 = h.connect(LiteVersion.LITE_05, 22);
            Harness.Client sub2 = h.connect(LiteVersion.LITE_05, 33);
            Track track = h.publish(pub.published(), "live/cam", "video");
            h.eventually(() -> assertThat(sub1.announced().broadcast(CAM)).isNotNull());
            h.eventually(() -> assertThat(sub2.announced().broadcast(CAM)).isNotNull());

            Recorder r1 = h.on(() -> Recorder.subscribe(sub1.announced().broadcast(CAM).track("video")));
            Recorder r2 = h.on(() -> Recorder.subscribe(sub2.announced().broadcast(CAM).track("video")));
            h.eventually(() -> assertThat(h.relayOrigin.broadcast(CAM).track("video").subscriberCount()).isEqualTo(2));
            h.eventually(() -> assertThat(track.subscriberCount()).isEqualTo(1));
            MemoryTransport up = pub.transport();
            assertThat(up.opened("server", StreamType.BIDI_SUBSCRIBE)).hasSize(1);

            h.run(() -> {
                Group g = track.createGroup(5);
                g.append(1, h.payload("x"));
                g.finish();
            });
            h.eventually(() -> assertThat(r1.texts()).containsExactly("x"));
            h.eventually(() -> assertThat(r2.texts()).containsExactly("x"));

            h.run(r1::close);
            h.eventually(() -> assertThat(h.relayOrigin.broadcast(CAM).track("video").subscriberCount()).isEqualTo(1));
            assertThat(up.events("server", FIN, StreamType.BIDI_SUBSCRIBE)).isEmpty();
            assertThat(track.subscriberCount()).isEqualTo(1);

            h.run(r2::close);
            // The relay FINs its upstream SUBSCRIBE; the publisher answers and drops its subscriber.
            h.eventually(() -> assertThat(up.events("server", FIN, StreamType.BIDI_SUBSCRIBE)).hasSize(1));
            h.eventually(() -> assertThat(track.subscriberCount()).isZero());
            assertThat(up.opened("server", StreamType.BIDI_SUBSCRIBE)).hasSize(1);
        }
    }

    @Test
    void lite04SessionsDeliverFramesAfterSubscribeOk() {
        legacyPairDeliversFrames(LiteVersion.LITE_04);
    }

    @Test
    void lite03SessionsDeliverFramesAfterSubscribeOk() {
        legacyPairDeliversFrames(LiteVersion.LITE_03);
    }

    private static void legacyPairDeliversFrames(LiteVersion v) {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(v, 11);
            Harness.Client sub = h.connect(v, 22);
            Track track = h.publish(pub.published(), "live/cam", "video");
            h.eventually(() -> assertThat(sub.announced().broadcast(CAM)).isNotNull());
            Recorder rec = h.on(() -> Recorder.subscribe(sub.announced().broadcast(CAM).track("video")));
            h.eventually(() -> assertThat(track.subscriberCount()).isEqualTo(1));
            h.run(() -> {
                Group g = track.createGroup(0);
                g.append(100, h.payload("a"));
                g.append(200, h.payload("b"));
                g.finish();
            });
            h.eventually(() -> assertThat(rec.texts()).containsExactly("a", "b"));
            h.run(track::finish);
            assertThat(rec.ended).succeedsWithin(Duration.ofSeconds(Harness.WAIT_SECONDS));

            for (Harness.Client c : List.of(pub, sub)) {
                MemoryTransport t = c.transport();
                // No SETUP stream and no TRACK stream before lite-05.
                assertThat(t.openedUni("client", StreamType.UNI_SETUP)).isEmpty();
                assertThat(t.openedUni("server", StreamType.UNI_SETUP)).isEmpty();
                assertThat(t.opened("client", StreamType.BIDI_TRACK)).isEmpty();
                assertThat(t.opened("server", StreamType.BIDI_TRACK)).isEmpty();
            }
            // The first response on the subscribe stream is SUBSCRIBE_OK, before any group.
            MemoryTransport.Link subscribe = sub.transport().opened("client", StreamType.BIDI_SUBSCRIBE).get(0);
            List<LiteMessage> responses = Wire.decodeAll(subscribe.backward.bytes(), false, MessageKind.SUBSCRIBE_RESPONSE, v);
            assertThat(responses).first().isInstanceOf(SubscribeOk.class);
            int ok = sub.transport().events.stream().filter(e -> e.link() == subscribe && e.by().equals("server")
                    && e.kind() == DATA).findFirst().orElseThrow().seq();
            assertThat(ok).isLessThan(sub.transport().eventsUni("server", OPEN, StreamType.UNI_GROUP).get(0).seq());
            rec.close();
        }
    }

    @Test
    void aThousandFinishedSubscribeAndTrackStreamsLeaveNoCloseHookBehind() {
        try (Harness h = new Harness()) {
            RawPeer peer = h.connectRaw(LiteVersion.LITE_05);
            h.publish(h.relayOrigin, "live/cam", "video");
            RawPeer.Reply first = h.on(() -> peer.send(trackRequest(), true));
            assertThat(first.fin).succeedsWithin(Duration.ofSeconds(Harness.WAIT_SECONDS));
            int before = h.on(() -> peer.relaySession.closeHookCount());

            List<RawPeer.Reply> replies = new ArrayList<>();
            // A thousand of each: the harness records every stream event, so many more only cost time.
            for (int batch = 0; batch < 2; batch++) {
                int base = batch * 500;
                replies.addAll(h.on(() -> {
                    List<RawPeer.Reply> out = new ArrayList<>();
                    for (int i = base; i < base + 500; i++) {
                        // Subscribed, then unsubscribed at once (FIN); and a TRACK answered with TRACK_INFO.
                        out.add(peer.send(Wire.typed(StreamType.BIDI_SUBSCRIBE,
                                new Subscribe(i, CAM, "video", 0, false, 0, null, null), LiteVersion.LITE_05), true));
                        out.add(peer.send(trackRequest(), true));
                    }
                    return out;
                }));
            }
            assertThat(CompletableFuture.allOf(replies.stream().map(r -> r.fin).toArray(CompletableFuture[]::new)))
                    .succeedsWithin(Duration.ofSeconds(Harness.WAIT_SECONDS));
            assertThat(h.on(() -> peer.relaySession.closeHookCount())).isEqualTo(before);
            assertThat(peer.relaySession.isOpen()).isTrue();
        }
    }

    @Test
    void streamsHeldUntilTheSessionIsAuthorizedDropTheirCloseHookOnceServed() {
        try (Harness h = new Harness()) {
            h.publish(h.relayOrigin, "live/cam", "video");
            CompletableFuture<Authorizer.Grant> answer = new CompletableFuture<>();
            RawPeer peer = h.connectRawAuthorizing(LiteVersion.LITE_05, answer); // a URL transport, still being authorized
            int before = h.on(() -> peer.relaySession.closeHookCount());
            List<RawPeer.Reply> held = h.on(() -> {
                List<RawPeer.Reply> out = new ArrayList<>();
                for (int i = 0; i < 100; i++) out.add(peer.send(trackRequest(), true));
                return out;
            });
            // Each held stream owns queued bytes the session must release should it close first.
            assertThat(h.on(() -> peer.relaySession.closeHookCount())).isEqualTo(before + 100);

            h.run(() -> answer.complete(Authorizer.Grant.all(Path.ROOT)));
            assertThat(CompletableFuture.allOf(held.stream().map(r -> r.fin).toArray(CompletableFuture[]::new)))
                    .succeedsWithin(Duration.ofSeconds(Harness.WAIT_SECONDS));
            // What is left is the session's own (its metrics), none per stream.
            assertThat(h.on(() -> peer.relaySession.closeHookCount())).isEqualTo(before + 1);
        }
    }

    @Test
    void bytesReachingAHeldStreamAfterItsSessionClosedAreReleasedNotQueued() {
        try (Harness h = new Harness()) {
            RawPeer peer = h.connectRawAuthorizing(LiteVersion.LITE_05, new CompletableFuture<>()); // never authorized
            assertThat(h.on(() -> peer.relaySession.isReady())).isFalse();
            ReadHandler held = h.on(() -> DeferredHandler.of(peer.relaySession, () -> {
                throw new AssertionError("a session that never became ready made a handler");
            }));
            h.run(() -> peer.relaySession.close(0, "bye"));

            io.netty.buffer.ByteBuf late = io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
            h.run(() -> held.onData(late));
            assertThat(late.refCnt()).as("released at once").isZero();
        }
    }

    private static io.netty.buffer.ByteBuf trackRequest() {
        return Wire.typed(StreamType.BIDI_TRACK, new TrackRequest(CAM, "video"), LiteVersion.LITE_05);
    }

    @Test
    void anUnorderedSubscriberGetsNoGroupOlderThanTheStartItWasTold() {
        try (Harness h = new Harness()) {
            Track track = h.publish(h.relayOrigin, "live/cam", "video");
            RawPeer peer = h.connectRaw(LiteVersion.LITE_05);
            h.run(() -> peer.send(Wire.typed(StreamType.BIDI_SUBSCRIBE,
                    new Subscribe(0, CAM, "video", 0, false, 0, null, null), LiteVersion.LITE_05), false));
            h.eventually(() -> assertThat(track.subscriberCount()).isEqualTo(1));

            h.run(() -> track.createGroup(5).finish()); // SUBSCRIBE_START 5, and its group
            h.eventually(() -> assertThat(peer.transport.eventsUni("server", MemoryTransport.Kind.OPEN, StreamType.UNI_GROUP)).hasSize(1));
            h.run(() -> {
                track.createGroup(3).finish(); // late, and older than the start: not for this subscriber
                track.createGroup(6).finish();
            });
            h.eventually(() -> assertThat(peer.transport.eventsUni("server", MemoryTransport.Kind.OPEN, StreamType.UNI_GROUP)).hasSize(2));
            h.run(() -> {});
            assertThat(peer.transport.eventsUni("server", MemoryTransport.Kind.OPEN, StreamType.UNI_GROUP))
                    .as("groups 5 and 6 only").hasSize(2);
        }
    }
}
