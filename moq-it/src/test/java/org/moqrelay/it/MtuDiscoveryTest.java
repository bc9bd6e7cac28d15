package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.client.TrackReader;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.transport.quic.EventLoops;
import org.moqrelay.transport.quic.QuicTransportConfig;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * {@code server.quic.mtu_discovery}: the relay's packets to a subscriber stay within QUIC's
 * 1200 bytes without it; with it they start at 1200 and, once a probe has got through, carry the
 * bulk of a transfer in larger packets (up to 1452). The subscriber reaches the relay through a
 * {@link UdpForwarder}, which sees every datagram.
 */
class MtuDiscoveryTest {
    /** QUIC's minimum, and quiche's packet size without discovery. */
    private static final int QUIC_MIN = 1200;
    private static final int FRAME = 100_000;
    /** Larger packets to see: far more than the few probes that discovery itself sends. */
    private static final int LARGE_PACKETS = 50;
    /** Groups sent before giving up on seeing them: a few MB, well past the probe. */
    private static final int MAX_GROUPS = 30;
    private static final Path ANON = Path.of("anon");

    private EventLoopGroup clients;

    @BeforeEach
    void start() {
        clients = EventLoops.newGroup(2, "it-mtu");
    }

    @AfterEach
    void stop() {
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
    }

    @Test
    void withDiscoveryTheRelaysPacketsStartAt1200BytesAndGrow() throws Exception {
        try (Transfer t = new Transfer(true)) {
            t.sendUntilLargePacketsOrMaxGroups();
            assertThat(t.nat.fromTargetLargerThan(QUIC_MIN)).as("packets over %d bytes", QUIC_MIN)
                    .isGreaterThanOrEqualTo(LARGE_PACKETS);
            // Loopback's MTU holds the largest probe, so discovery must get all the way there (the README's "grow to 1452").
            assertThat(t.nat.largestFromTarget()).isEqualTo(QuicTransportConfig.MAX_UDP_PAYLOAD);
            // The handshake (after a small Retry) already filled a packet, at 1200 bytes: larger ones came only later.
            List<Integer> first = t.nat.firstFromTarget();
            int firstLarge = indexOfFirstOver(first, QUIC_MIN);
            assertThat(firstLarge).as("index of the first packet over %d bytes in %s", QUIC_MIN, first).isPositive();
            assertThat(first.subList(0, firstLarge)).as("packets before it").contains(QUIC_MIN);
        }
    }

    @Test
    void withoutDiscoveryTheRelaysPacketsStayWithin1200Bytes() throws Exception {
        try (Transfer t = new Transfer(false)) {
            t.sendUntilLargePacketsOrMaxGroups();
            assertThat(t.nat.fromTargetLargerThan(QUIC_MIN)).as("packets over %d bytes", QUIC_MIN).isZero();
            // Full packets were sent, so the bound was reached.
            assertThat(t.nat.largestFromTarget()).isEqualTo(QUIC_MIN);
        }
    }

    private static int indexOfFirstOver(List<Integer> sizes, int bytes) {
        for (int i = 0; i < sizes.size(); i++) {
            if (sizes.get(i) > bytes) return i;
        }
        return -1;
    }

    /** A relay with one socket, a publisher on it and a subscriber behind a forwarder, on one track. */
    private final class Transfer implements AutoCloseable {
        private final RelayServer relay;
        private UdpForwarder nat;
        private MoqClient pub;
        private MoqClient sub;
        private Track track;
        private TrackReader reader;

        Transfer(boolean discovery) throws Exception {
            relay = Relays.startQuicOnly(c -> c.withQuic(QuicTransportConfig.DEFAULT.withMtuDiscovery(discovery)).withQuicThreads(1));
            try {
                nat = UdpForwarder.open(clients.next(), relay.quicAddress());
                pub = connect(relay.quicAddress());
                sub = connect(nat.address());
                track = pub.publish(Path.of("bulk")).createTrack("data", TrackInfo.DEFAULT);
                Relays.awaitAnnounced(relay.origin(), ANON.join(Path.of("bulk")), 10);
                reader = new TrackReader(sub.consume(Path.of("bulk")).track("data"), Demand.LATEST);
            } catch (Exception e) {
                close();
                throw e;
            }
        }

        /**
         * Streams 100 kB groups to the subscriber until it has been sent {@link #LARGE_PACKETS}
         * packets over 1200 bytes, or {@link #MAX_GROUPS} groups have arrived intact.
         */
        void sendUntilLargePacketsOrMaxGroups() throws Exception {
            for (int g = 0; g < MAX_GROUPS && nat.fromTargetLargerThan(QUIC_MIN) < LARGE_PACKETS; g++) {
                Group group = track.createGroup(g);
                group.append(0, Unpooled.wrappedBuffer(new byte[FRAME]));
                group.finish();
                TrackReader.Received got = reader.poll(10, TimeUnit.SECONDS);
                assertThat(got).as("group %d", g).isNotNull();
                assertThat(got.group()).isEqualTo(g);
                assertThat(got.payload()).hasSize(FRAME);
            }
        }

        private MoqClient connect(InetSocketAddress address) throws Exception {
            URI url = URI.create("moqt://127.0.0.1:" + address.getPort() + "/anon");
            return MoqClient.connect(clients, url, ClientOptions.pinned(relay.certificateSha256())).get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            if (reader != null) reader.close();
            if (sub != null) sub.close();
            if (pub != null) pub.close();
            if (nat != null) nat.close();
            relay.close();
        }
    }
}
