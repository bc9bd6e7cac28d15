package org.moqrelay.session.lite;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.model.TrackException;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.VarInts;
import org.moqrelay.wire.lite.Fetch;
import org.moqrelay.wire.lite.Frames;
import org.moqrelay.wire.lite.StreamType;

/**
 * FETCH through the relay (relay.md §2): a group the relay has cached is served from its cache;
 * one it has not is fetched from the publisher's session, once, whoever else asks meanwhile.
 */
class LiteSessionFetchTest {
    private static final Path CAM = Path.of("live/cam");
    private static final Duration WAIT = Duration.ofSeconds(Harness.WAIT_SECONDS);

    private static List<String> texts(CompletableFuture<List<byte[]>> f) {
        assertThat(f).succeedsWithin(WAIT);
        return f.join().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    private static ErrorCode failure(CompletableFuture<List<byte[]>> f) {
        assertThat(f).failsWithin(WAIT);
        return f.handle((x, e) -> TrackException.codeOf(e, null)).join();
    }

    /** Upstream FETCH streams the relay opened to the publisher. */
    private static int upstreamFetches(Harness.Client pub) {
        return pub.transport().opened("server", StreamType.BIDI_FETCH).size();
    }

    /** The relay's copy of the track (the model is thread-safe: callable on or off the loop). */
    private static Track relayTrack(Harness h) {
        return h.relayOrigin.broadcast(CAM).track("video");
    }

    @Test
    void anUncachedGroupIsFetchedFromThePublisherOnceThenServedFromTheCache() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            Harness.Client sub = h.connect(LiteVersion.LITE_05, 22);
            Track track = h.publish(pub.published(), "live/cam", "video");
            h.eventually(() -> assertThat(h.relayOrigin.broadcast(CAM)).isNotNull());
            // Nobody subscribed: the relay never saw group 2.
            h.run(() -> {
                Group g = track.createGroup(2);
                g.append(100, h.payload("a"));
                g.append(90, h.payload("b"));
                g.finish();
            });

            assertThat(texts(h.on(() -> sub.session().fetch(CAM, "video", 2)))).containsExactly("a", "b");
            assertThat(upstreamFetches(pub)).isEqualTo(1);
            Group cached = h.on(() -> relayTrack(h).group(2));
            assertThat(cached.state()).isEqualTo(Group.State.FINISHED);
            // Timestamps survive the two hops.
            h.run(() -> {
                var f0 = cached.frame(0);
                var f1 = cached.frame(1);
                try {
                    assertThat(f0.timestamp()).isEqualTo(100);
                    assertThat(f1.timestamp()).isEqualTo(90);
                } finally {
                    f0.payload().release();
                    f1.payload().release();
                }
            });

            assertThat(texts(h.on(() -> sub.session().fetch(CAM, "video", 2)))).containsExactly("a", "b");
            assertThat(upstreamFetches(pub)).isEqualTo(1);
            // A FETCH is not a subscription: the publisher was never subscribed.
            assertThat(pub.transport().opened("server", StreamType.BIDI_SUBSCRIBE)).isEmpty();
            assertThat(pub.relaySession().isOpen()).isTrue();
        }
    }

    @Test
    void concurrentFetchesOfOneGroupShareOneUpstreamFetchAndAllGetEveryFrame() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            Harness.Client sub1 = h.connect(LiteVersion.LITE_05, 22);
            Harness.Client sub2 = h.connect(LiteVersion.LITE_05, 33);
            Track track = h.publish(pub.published(), "live/cam", "video");
            h.eventually(() -> assertThat(h.relayOrigin.broadcast(CAM)).isNotNull());
            // The publisher's group is still being written: the upstream fetch waits for its frames.
            Group g = h.on(() -> track.createGroup(3));

            CompletableFuture<List<byte[]>> a = h.on(() -> sub1.session().fetch(CAM, "video", 3));
            h.eventually(() -> assertThat(upstreamFetches(pub)).isEqualTo(1));
            CompletableFuture<List<byte[]>> b = h.on(() -> sub2.session().fetch(CAM, "video", 3));
            CompletableFuture<List<byte[]>> c = h.on(() -> sub1.session().fetch(CAM, "video", 3));
            // Every FETCH has reached the relay before the group has any data.
            h.eventually(() -> assertThat(sub2.transport().opened("client", StreamType.BIDI_FETCH)).hasSize(1));
            h.eventually(() -> assertThat(sub1.transport().opened("client", StreamType.BIDI_FETCH)).hasSize(2));

            h.run(() -> g.append(1, h.payload("x")));
            h.eventually(() -> assertThat(relayTrack(h).group(3)).isNotNull());
            // One more while the group is being filled: a cache hit.
            CompletableFuture<List<byte[]>> d = h.on(() -> sub2.session().fetch(CAM, "video", 3));
            h.run(() -> {
                g.append(2, h.payload("y"));
                g.finish();
            });

            for (CompletableFuture<List<byte[]>> f : List.of(a, b, c, d)) assertThat(texts(f)).containsExactly("x", "y");
            assertThat(upstreamFetches(pub)).isEqualTo(1);
        }
    }

    @Test
    void aGroupThePublisherDoesNotHaveIsNotFoundDownstreamAndNothingIsCached() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            Harness.Client sub = h.connect(LiteVersion.LITE_05, 22);
            h.publish(pub.published(), "live/cam", "video");
            h.eventually(() -> assertThat(h.relayOrigin.broadcast(CAM)).isNotNull());

            assertThat(failure(h.on(() -> sub.session().fetch(CAM, "video", 99)))).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(upstreamFetches(pub)).isEqualTo(1);
            assertThat(pub.transport().events("server", MemoryTransport.Kind.RESET, StreamType.BIDI_FETCH)).isEmpty();
            assertThat(sub.transport().events("server", MemoryTransport.Kind.RESET, StreamType.BIDI_FETCH))
                    .extracting(MemoryTransport.Event::code).containsExactly(13L);
            assertThat(h.on(() -> relayTrack(h).group(99))).isNull();
            // Not remembered as missing: asking again asks the publisher again.
            assertThat(failure(h.on(() -> sub.session().fetch(CAM, "video", 99)))).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(upstreamFetches(pub)).isEqualTo(2);
            // An unknown track of the publisher's is NotFound too; an unknown broadcast is Unroutable.
            assertThat(failure(h.on(() -> sub.session().fetch(CAM, "audio", 0)))).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(failure(h.on(() -> sub.session().fetch(Path.of("live/nope"), "video", 0)))).isEqualTo(ErrorCode.UNROUTABLE);
            assertThat(pub.relaySession().isOpen()).isTrue();
            assertThat(sub.relaySession().isOpen()).isTrue();
        }
    }

    @Test
    void aPublisherLostMidFetchCancelsTheFetchesCleanly() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            Harness.Client sub = h.connect(LiteVersion.LITE_05, 22);
            Track track = h.publish(pub.published(), "live/cam", "video");
            h.eventually(() -> assertThat(h.relayOrigin.broadcast(CAM)).isNotNull());
            Group started = h.on(() -> {
                Group g = track.createGroup(3);
                g.append(1, h.payload("half"));
                return g;
            });
            h.on(() -> track.createGroup(4)); // no data yet

            CompletableFuture<List<byte[]>> withData = h.on(() -> sub.session().fetch(CAM, "video", 3));
            CompletableFuture<List<byte[]>> withoutData = h.on(() -> sub.session().fetch(CAM, "video", 4));
            h.eventually(() -> assertThat(relayTrack(h).group(3)).isNotNull());
            h.eventually(() -> assertThat(upstreamFetches(pub)).isEqualTo(2));
            Group relayed = h.on(() -> relayTrack(h).group(3));
            h.eventually(() -> assertThat(relayed.frameCount()).isEqualTo(1));

            pub.transport().lose();
            assertThat(failure(withData)).isEqualTo(ErrorCode.CANCEL);
            assertThat(failure(withoutData)).isEqualTo(ErrorCode.CANCEL);
            assertThat(relayed.state()).isIn(Group.State.ABORTED, Group.State.EVICTED);
            assertThat(started.state()).isEqualTo(Group.State.OPEN);
            assertThat(sub.relaySession().isOpen()).isTrue();
            // Harness.close checks that every payload buffer was released.
        }
    }

    @Test
    void aLite04PublisherHasNoFetchSoAnUncachedGroupIsRefusedWithVersion() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_04, 11);
            Harness.Client sub = h.connect(LiteVersion.LITE_05, 22);
            Track track = h.publish(pub.published(), "live/cam", "video");
            h.eventually(() -> assertThat(h.relayOrigin.broadcast(CAM)).isNotNull());
            h.run(() -> {
                Group g = track.createGroup(0);
                g.append(1, h.payload("z"));
                g.finish();
            });

            assertThat(failure(h.on(() -> sub.session().fetch(CAM, "video", 0)))).isEqualTo(ErrorCode.VERSION);
            assertThat(pub.transport().opened("server", StreamType.BIDI_FETCH)).isEmpty();

            // Once a subscription has brought the group into the cache, FETCH serves it.
            Recorder rec = h.on(() -> Recorder.subscribe(sub.announced().broadcast(CAM).track("video")));
            h.eventually(() -> assertThat(rec.texts()).containsExactly("z"));
            assertThat(texts(h.on(() -> sub.session().fetch(CAM, "video", 0)))).containsExactly("z");
            h.run(rec::close);
        }
    }

    @Test
    void aFetcherThatGivesUpLeavesTheUpstreamFetchToFillTheCache() {
        try (Harness h = new Harness()) {
            Harness.Client pub = h.connect(LiteVersion.LITE_05, 11);
            RawPeer fetcher = h.connectRaw(LiteVersion.LITE_05);
            Harness.Client sub = h.connect(LiteVersion.LITE_05, 22);
            Track track = h.publish(pub.published(), "live/cam", "video");
            h.eventually(() -> assertThat(h.relayOrigin.broadcast(CAM)).isNotNull());
            Group g = h.on(() -> track.createGroup(3));

            RawPeer.Reply reply = new RawPeer.Reply();
            BidiStream stream = h.on(() -> {
                BidiStream st = fetcher.transport.client.openBidi().getNow();
                st.write(Wire.typed(StreamType.BIDI_FETCH, new Fetch(CAM, "video", 0, 3), LiteVersion.LITE_05));
                st.flush();
                st.read(reply);
                return st;
            });
            h.eventually(() -> assertThat(upstreamFetches(pub)).isEqualTo(1));
            h.run(() -> stream.reset(ErrorCode.CANCEL.code()));
            // The relay answers the abandoned FETCH with a reset of its own and keeps the session.
            assertThat(reply.reset).succeedsWithin(WAIT).isEqualTo(0L);

            h.run(() -> {
                g.append(1, h.payload("late"));
                g.finish();
            });
            h.eventually(() -> assertThat(relayTrack(h).group(3).state()).isEqualTo(Group.State.FINISHED));
            assertThat(texts(h.on(() -> sub.session().fetch(CAM, "video", 3)))).containsExactly("late");
            assertThat(upstreamFetches(pub)).isEqualTo(1);
            assertThat(fetcher.relaySession.isOpen()).isTrue();
        }
    }

    /** The FETCH stream the relay opened to {@code peer} (call on the loop once it is there). */
    private static BidiStream fetchStreamTo(RawPeer peer) {
        for (MemoryTransport.Link l : peer.transport.opened("server", StreamType.BIDI_FETCH)) {
            for (BidiStream s : peer.incoming) {
                if (((MemoryTransport.MemStream) s).in.link == l) return s;
            }
        }
        throw new AssertionError("no FETCH stream to the peer yet");
    }

    @Test
    void aFetchResponseWithAnOversizedFrameClosesThePublishersSessionAndFailsTheFetch() {
        try (Harness h = new Harness()) {
            RawPeer pub = h.connectRaw(LiteVersion.LITE_05);
            Track track = h.on(() -> pub.relaySession.consume(CAM).track("video"));
            CompletableFuture<Group> f = h.on(() -> track.fetchGroup(0, 0));
            h.eventually(() -> assertThat(pub.transport.opened("server", StreamType.BIDI_FETCH)).hasSize(1));
            h.run(() -> {
                ByteBuf bad = Unpooled.buffer();
                VarInts.write(bad, 0); // timestamp delta
                VarInts.write(bad, Frames.MAX_FRAME_SIZE + 1L);
                fetchStreamTo(pub).write(bad);
                fetchStreamTo(pub).flush();
            });
            assertThat(pub.closedCode).succeedsWithin(WAIT).isEqualTo((long) ErrorCode.FRAME_TOO_LARGE.code());
            assertThat(f).failsWithin(WAIT);
            assertThat(f.handle((g, e) -> TrackException.codeOf(e, null)).join()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        }
    }

    @Test
    void aFetchResponseCutInsideAFrameAbortsTheGroupWithWrongSize() {
        try (Harness h = new Harness()) {
            RawPeer pub = h.connectRaw(LiteVersion.LITE_05);
            Track track = h.on(() -> pub.relaySession.consume(CAM).track("video"));
            CompletableFuture<Group> f = h.on(() -> track.fetchGroup(0, 0));
            h.eventually(() -> assertThat(pub.transport.opened("server", StreamType.BIDI_FETCH)).hasSize(1));
            h.run(() -> {
                ByteBuf frames = Unpooled.buffer();
                Frames.writeHeader(frames, true, 5, 2);
                frames.writeBytes(new byte[] {'o', 'k'});
                Frames.writeHeader(frames, true, 1, 10);
                frames.writeBytes(new byte[] {'c', 'u', 't'});
                BidiStream s = fetchStreamTo(pub);
                s.write(frames);
                s.finish();
            });
            assertThat(f).succeedsWithin(WAIT);
            Group g = f.join();
            h.eventually(() -> assertThat(g.state()).isEqualTo(Group.State.ABORTED));
            assertThat(g.error()).isEqualTo(ErrorCode.WRONG_SIZE);
            assertThat(g.frameCount()).isEqualTo(1);
            assertThat(pub.relaySession.isOpen()).isTrue();
        }
    }
}
