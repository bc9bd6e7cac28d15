package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.client.TestStream;
import org.moqrelay.client.TrackReader;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.relay.metrics.RelayMetrics;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.transport.quic.EventLoops;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * {@code moq_relay_forward_delay_seconds} times live frames only: the frames a late joiner gets
 * replayed from the cache waited there for nobody, and would swamp the relay's own share.
 */
class ForwardDelayMetricTest {
    @Test
    void framesReplayedToALateJoinerAreNotTimedButLaterOnesAre() throws Exception {
        EventLoopGroup clients = EventLoops.newGroup(1, "it-forward-delay");
        try (RelayServer relay = Relays.startQuicOnly(c -> c.withInternalListen(new InetSocketAddress("127.0.0.1", 0)))) {
            URI url = URI.create("moqt://127.0.0.1:" + relay.quicAddress().getPort() + "/anon");
            ClientOptions pin = ClientOptions.pinned(relay.certificateSha256());
            try (MoqClient pub = MoqClient.connect(clients, url, pin).get(10, TimeUnit.SECONDS);
                 MoqClient early = MoqClient.connect(clients, url, pin).get(10, TimeUnit.SECONDS);
                 MoqClient late = MoqClient.connect(clients, url, pin).get(10, TimeUnit.SECONDS)) {
                Track t = pub.publish(Path.of("fd")).createTrack("frames", TrackInfo.DEFAULT);
                Relays.awaitAnnounced(relay.origin(), Path.of("anon/fd"), 10);
                Group g = t.createGroup(0);
                try (TrackReader a = new TrackReader(early.consume(Path.of("fd")).track("frames"), Demand.LATEST)) {
                    for (int f = 0; f < 3; f++) {
                        g.append(f, Unpooled.wrappedBuffer(TestStream.payload(0, f, 10)));
                        assertThat(a.poll(10, TimeUnit.SECONDS)).isNotNull();
                    }
                    assertThat(count(relay)).as("three live frames to the early viewer").isEqualTo(3);

                    try (TrackReader b = new TrackReader(late.consume(Path.of("fd")).track("frames"), Demand.LATEST)) {
                        for (int f = 0; f < 3; f++) {
                            TrackReader.Received replayed = b.poll(10, TimeUnit.SECONDS);
                            assertThat(replayed).isNotNull();
                            assertThat(replayed.index()).isEqualTo(f);
                        }
                        assertThat(count(relay)).as("the late joiner's replay of the cached group").isEqualTo(3);

                        g.append(3, Unpooled.wrappedBuffer(TestStream.payload(0, 3, 10)));
                        assertThat(a.poll(10, TimeUnit.SECONDS)).isNotNull();
                        assertThat(b.poll(10, TimeUnit.SECONDS)).isNotNull();
                        assertThat(count(relay)).as("a live frame to each viewer").isEqualTo(5);
                    }
                }
                g.finish();
            }
        } finally {
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
        }
    }

    private static double count(RelayServer relay) throws Exception {
        return MetricsEndToEndTest.Scrape.of(relay).value("moq_relay_forward_delay_seconds_count", "tier", RelayMetrics.DEFAULT_TIER);
    }
}
