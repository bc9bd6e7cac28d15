package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.client.TrackReader;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.relay.server.RelayConfig;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.transport.quic.EventLoops;
import org.moqrelay.transport.quic.QuicTransportConfig;
import org.moqrelay.transport.quic.QuicTransportConfig.CongestionControl;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * The {@code [server.quic]} settings change how packets leave, never what arrives: large frames
 * cross the relay intact under each congestion controller, with GSO on and off, and with path
 * MTU discovery.
 */
class QuicTuningEndToEndTest {
    static EventLoopGroup clients;

    @BeforeAll
    static void start() {
        clients = EventLoops.newGroup(1, "quic-tuning-clients");
    }

    @AfterAll
    static void stop() {
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0}, gso {1}, mtu discovery {2}")
    @CsvSource({"LOSS, false, true", "DELAY, true, true", "LOSS, true, false"})
    void largeFramesCrossTheRelayIntact(CongestionControl cc, boolean gso, boolean mtu) throws Exception {
        QuicTransportConfig quic = QuicTransportConfig.DEFAULT.withCongestionControl(cc).withGso(gso).withMtuDiscovery(mtu);
        RelayConfig config = RelayConfig.development(new InetSocketAddress("127.0.0.1", 0), null).withQuic(quic)
                .withQuicThreads(Relays.THREADS);
        try (RelayServer relay = RelayServer.start(config)) {
            URI url = URI.create("moqt://127.0.0.1:" + relay.quicAddress().getPort() + "/anon");
            ClientOptions opts = ClientOptions.pinned(relay.certificateSha256());
            try (MoqClient pub = MoqClient.connect(clients, url, opts).get(10, TimeUnit.SECONDS);
                 MoqClient sub = MoqClient.connect(clients, url, opts).get(10, TimeUnit.SECONDS)) {
                Broadcast b = pub.publish(Path.of("tuning"));
                Track t = b.createTrack("big", TrackInfo.DEFAULT);
                Relays.awaitAnnounced(relay.origin(), Path.of("anon/tuning"), 10);
                byte[][] frames = new byte[4][];
                Group g = t.createGroup(0);
                try (TrackReader reader = new TrackReader(sub.consume(Path.of("tuning")).track("big"), Demand.LATEST)) {
                    for (int i = 0; i < frames.length; i++) {
                        frames[i] = new byte[100_000 + i];
                        for (int j = 0; j < frames[i].length; j++) frames[i][j] = (byte) (j * 31 + i);
                        g.append(i, Unpooled.wrappedBuffer(frames[i]));
                    }
                    for (byte[] want : frames) {
                        TrackReader.Received got = reader.poll(10, TimeUnit.SECONDS);
                        assertThat(got).as("frame of %d bytes", want.length).isNotNull();
                        assertThat(got.payload()).isEqualTo(want);
                    }
                }
            }
        }
    }
}
