package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.client.TestStream;
import org.moqrelay.client.TrackReader;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.model.TrackException;
import org.moqrelay.relay.server.RelayConfig;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/** Java client publishes, relay fans out, Java clients subscribe: raw QUIC, moq-lite-05. */
class RawQuicEndToEndTest {
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.of(Relays::startDev).withClients(2, "it-clients");

    static URI url(String path) {
        return URI.create("moqt://127.0.0.1:" + relay.server().quicAddress().getPort() + path);
    }

    static MoqClient connect(String path) throws Exception {
        return MoqClient.connect(relay.clients(), url(path), ClientOptions.pinned(relay.server().certificateSha256()))
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void everyFramePublishedReachesTheSubscriberThroughTheRelay() throws Exception {
        try (MoqClient pub = connect("/anon"); MoqClient sub = connect("/anon")) {
            Broadcast b = pub.publish(Path.of("e2e/one"));
            Track t = b.createTrack("frames", TrackInfo.DEFAULT);
            Relays.awaitAnnounced(relay.server().origin(), Path.of("anon/e2e/one"), 10);

            Group g0 = t.createGroup(0);
            g0.append(0, Unpooled.wrappedBuffer(TestStream.payload(0, 0, 0)));
            try (TrackReader reader = new TrackReader(sub.consume(Path.of("e2e/one")).track("frames"), Demand.LATEST)) {
                // Late join: the subscriber starts with the cached latest group from its first frame.
                List<TrackReader.Received> got = new ArrayList<>();
                got.add(reader.poll(10, TimeUnit.SECONDS));
                g0.append(33, Unpooled.wrappedBuffer(TestStream.payload(0, 1, 1000)));
                g0.finish();
                for (long g = 1; g <= 3; g++) {
                    Group grp = t.createGroup(g);
                    for (int f = 0; f < 3; f++) grp.append(1000 * g + f, Unpooled.wrappedBuffer(TestStream.payload(g, f, 100 * f)));
                    grp.finish();
                }
                for (int i = 0; i < 1 + 9; i++) got.add(reader.poll(10, TimeUnit.SECONDS));
                assertThat(got).doesNotContainNull();
                assertThat(got).allSatisfy(r -> assertThat(TestStream.verify(r.group(), r.index(), r.payload())).isTrue());
                assertThat(got).extracting(TrackReader.Received::group).containsExactly(0L, 0L, 1L, 1L, 1L, 2L, 2L, 2L, 3L, 3L, 3L);
                assertThat(got.get(1).timestamp()).isEqualTo(33);
                assertThat(got.get(4).timestamp()).isEqualTo(1002);

                t.finish();
                TrackReader.Received end = reader.poll(10, TimeUnit.SECONDS);
                assertThat(end).isNotNull();
                assertThat(end.end()).isTrue();
            }
        }
    }

    @Test
    void anUnknownBroadcastIsUnroutableAndAnUnknownTrackIsNotFound() throws Exception {
        try (MoqClient pub = connect("/anon"); MoqClient sub = connect("/anon")) {
            Track missing = sub.consume(Path.of("e2e/nobody")).track("video");
            assertThatThrownBy(() -> missing.info().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TrackException.class)
                    .cause().extracting(e -> ((TrackException) e).code()).isEqualTo(ErrorCode.UNROUTABLE);

            pub.publish(Path.of("e2e/known")).createTrack("video", TrackInfo.DEFAULT);
            Relays.awaitAnnounced(relay.server().origin(), Path.of("anon/e2e/known"), 10);
            Track unknownTrack = sub.consume(Path.of("e2e/known")).track("audio");
            assertThatThrownBy(() -> unknownTrack.info().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TrackException.class)
                    .cause().extracting(e -> ((TrackException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(sub.consume(Path.of("e2e/known")).track("video").info().get(10, TimeUnit.SECONDS))
                    .isEqualTo(TrackInfo.DEFAULT);
        }
    }

    @Test
    void aPublisherLeavingCleanlyEndsTheTrackForSubscribers() throws Exception {
        try (MoqClient sub = connect("/anon")) {
            MoqClient pub = connect("/anon");
            Broadcast b = pub.publish(Path.of("e2e/leaving"));
            Track t = b.createTrack("frames", TrackInfo.DEFAULT);
            Relays.awaitAnnounced(relay.server().origin(), Path.of("anon/e2e/leaving"), 10);
            Group g = t.createGroup(0);
            g.append(0, Unpooled.wrappedBuffer(TestStream.payload(0, 0, 0)));
            g.finish();
            try (TrackReader reader = new TrackReader(sub.consume(Path.of("e2e/leaving")).track("frames"), Demand.LATEST)) {
                assertThat(reader.poll(10, TimeUnit.SECONDS)).isNotNull();
                pub.close();
                TrackReader.Received end = reader.poll(10, TimeUnit.SECONDS);
                assertThat(end).isNotNull();
                assertThat(end.end()).isTrue();
            }
            Relays.awaitUnannounced(relay.server().origin(), Path.of("anon/e2e/leaving"), 10);
        }
    }

    @Test
    void aBroadcastLingersAfterItsPublisherIsLostThenEnds() throws Exception {
        MoqClient pub = connect("/anon");
        pub.publish(Path.of("e2e/lost")).createTrack("frames", TrackInfo.DEFAULT);
        Relays.awaitAnnounced(relay.server().origin(), Path.of("anon/e2e/lost"), 10);
        long lostAt = System.nanoTime();
        pub.session().close(ErrorCode.TRANSPORT.code(), "simulated loss");
        pub.session().closed().get(5, TimeUnit.SECONDS);
        Relays.awaitUnannounced(relay.server().origin(), Path.of("anon/e2e/lost"), 20);
        long lingeredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lostAt);
        // Lost, not closed cleanly: the relay keeps it announced for its linger period (5 s by default).
        assertThat(lingeredMillis).isGreaterThanOrEqualTo(RelayConfig.DEFAULT_LINGER_MILLIS - 500);
    }

    @Test
    void aCachedGroupCanBeFetchedWholeAndAMissingOneIsNotFound() throws Exception {
        try (MoqClient pub = connect("/anon"); MoqClient sub = connect("/anon")) {
            Track t = pub.publish(Path.of("e2e/fetch")).createTrack("frames", TrackInfo.DEFAULT);
            Relays.awaitAnnounced(relay.server().origin(), Path.of("anon/e2e/fetch"), 10);
            try (TrackReader reader = new TrackReader(sub.consume(Path.of("e2e/fetch")).track("frames"), Demand.LATEST)) {
                Group g = t.createGroup(7);
                for (int f = 0; f < 3; f++) g.append(f, Unpooled.wrappedBuffer(TestStream.payload(7, f, 50)));
                g.finish();
                for (int f = 0; f < 3; f++) assertThat(reader.poll(10, TimeUnit.SECONDS)).isNotNull();
                List<byte[]> frames = sub.session().fetch(Path.of("e2e/fetch"), "frames", 7).get(10, TimeUnit.SECONDS);
                assertThat(frames).hasSize(3);
                for (int f = 0; f < 3; f++) assertThat(TestStream.verify(7, f, frames.get(f))).isTrue();
                assertThatThrownBy(() -> sub.session().fetch(Path.of("e2e/fetch"), "frames", 99).get(10, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(TrackException.class)
                        .cause().extracting(e -> ((TrackException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
            }
        }
    }

    @Test
    void largeFramesArriveWholeAcrossFlowControlWindows() throws Exception {
        try (MoqClient pub = connect("/anon"); MoqClient sub = connect("/anon")) {
            Track t = pub.publish(Path.of("e2e/large")).createTrack("frames", TrackInfo.DEFAULT);
            Relays.awaitAnnounced(relay.server().origin(), Path.of("anon/e2e/large"), 10);
            try (TrackReader reader = new TrackReader(sub.consume(Path.of("e2e/large")).track("frames"), Demand.LATEST)) {
                int[] sizes = {1 << 20, 3 << 20, 17};
                Group g = t.createGroup(0);
                for (int f = 0; f < sizes.length; f++) g.append(f, Unpooled.wrappedBuffer(TestStream.payload(0, f, sizes[f])));
                g.finish();
                for (int f = 0; f < sizes.length; f++) {
                    TrackReader.Received r = reader.poll(20, TimeUnit.SECONDS);
                    assertThat(r).isNotNull();
                    assertThat(r.payload()).hasSize(Math.max(sizes[f], 5));
                    assertThat(TestStream.verify(0, f, r.payload())).isTrue();
                }
            }
        }
    }
}
