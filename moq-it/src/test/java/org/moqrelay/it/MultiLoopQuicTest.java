package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.client.TrackReader;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Track;
import org.moqrelay.relay.server.RelayConfig;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.session.lite.LiteSession;
import org.moqrelay.transport.quic.EventLoops;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * Two QUIC sockets on one port ({@code SO_REUSEPORT}), each on its own event loop: clients land
 * on both, and a publisher's frames reach subscribers whose sessions run on the other loop.
 */
class MultiLoopQuicTest {
    /** The kernel spreads clients by their address: each new one lands on the other loop with p = 1/2. */
    private static final int MAX_SUBSCRIBERS = 24;
    private static final long WAIT_SECONDS = 10;

    @Test
    void aPublisherOnOneLoopReachesSubscribersOnTheOther() throws Exception {
        RelayConfig cfg = RelayConfig.development(new InetSocketAddress("127.0.0.1", 0), null).withQuicThreads(Relays.THREADS);
        EventLoopGroup clients = EventLoops.newGroup(2, "it-multi-loop");
        List<MoqClient> open = new ArrayList<>();
        List<TrackReader> readers = new ArrayList<>();
        try (RelayServer relay = RelayServer.start(cfg)) {
            assertThat(relay.quicSockets()).isEqualTo(2);
            URI url = URI.create("moqt://127.0.0.1:" + relay.quicAddress().getPort() + "/anon");
            ClientOptions options = ClientOptions.pinned(relay.certificateSha256());

            MoqClient pub = MoqClient.connect(clients, url, options).get(WAIT_SECONDS, TimeUnit.SECONDS);
            open.add(pub);
            Broadcast b = pub.publish(Path.of("multi/cam"));
            Track track = b.createTrack("video", TrackInfo.DEFAULT);
            Relays.awaitAnnounced(relay.origin(), Path.of("anon/multi/cam"), WAIT_SECONDS);
            assertThat(relay.sessions()).hasSize(1);
            LiteSession pubSession = relay.sessions().get(0);
            EventLoop pubLoop = pubSession.eventLoop();

            // Subscribers join one at a time until one is served on the other loop. Each one's
            // relay session is known once a frame published after it joined has reached it.
            Set<LiteSession> known = new HashSet<>(List.of(pubSession));
            List<EventLoop> subLoops = new ArrayList<>();
            long sequence = 0;
            while (subLoops.stream().allMatch(l -> l == pubLoop) && subLoops.size() < MAX_SUBSCRIBERS) {
                MoqClient sub = MoqClient.connect(clients, url, options).get(WAIT_SECONDS, TimeUnit.SECONDS);
                open.add(sub);
                TrackReader reader = new TrackReader(sub.consume(Path.of("multi/cam")).track("video"), Demand.LATEST);
                readers.add(reader);
                long g = sequence++;
                Relays.publishGroup(track, g);
                Relays.awaitGroup(reader, g);
                List<LiteSession> added = new ArrayList<>(relay.sessions());
                added.removeAll(known);
                assertThat(added).hasSize(1);
                known.addAll(added);
                subLoops.add(added.get(0).eventLoop());
            }
            assertThat(subLoops).as("event loops of the subscribers' sessions").anyMatch(l -> l != pubLoop);
            Set<EventLoop> all = new HashSet<>(subLoops);
            all.add(pubLoop);
            assertThat(all).as("every session runs on one of the relay's two loops").hasSize(2);

            // A fresh group reaches every subscriber, the ones on the publisher's loop and the others.
            long last = sequence;
            Relays.publishGroup(track, last);
            for (TrackReader r : readers) Relays.awaitGroup(r, last);
        } finally {
            for (TrackReader r : readers) r.close();
            for (MoqClient c : open) c.close();
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
        }
    }

    @Test
    void aSecondRelayOnTheSamePortFailsToStartInsteadOfSharingItsClients() throws Exception {
        RelayConfig cfg = RelayConfig.development(new InetSocketAddress("127.0.0.1", 0), null).withQuicThreads(Relays.THREADS);
        try (RelayServer first = RelayServer.start(cfg)) {
            InetSocketAddress taken = first.quicAddress();
            for (int threads : new int[] {1, Relays.THREADS}) {
                RelayConfig again = RelayConfig.development(taken, null).withQuicThreads(threads);
                assertThatThrownBy(() -> RelayServer.start(again).close()).as("%d thread(s)", threads)
                        .hasMessageContaining(String.valueOf(taken.getPort()));
            }
            assertThat(first.quicSockets()).isEqualTo(Relays.THREADS);
        }
    }

    @Test
    void aRelayThatFailsToStartLeavesNoQuicSocketBehind() throws Exception {
        try (java.net.ServerSocket web = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int udp;
            try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                udp = probe.getLocalPort();
            }
            InetSocketAddress quic = new InetSocketAddress("127.0.0.1", udp);
            // QUIC binds first; the HTTP listener then finds its port taken.
            RelayConfig cfg = RelayConfig.development(quic, (InetSocketAddress) web.getLocalSocketAddress())
                    .withQuicThreads(Relays.THREADS);
            assertThatThrownBy(() -> RelayServer.start(cfg).close()).hasMessageContaining(String.valueOf(web.getLocalPort()));
            // Its sockets were closed, not left to the event loops' shutdown: the port is free at once.
            try (java.net.DatagramSocket again = new java.net.DatagramSocket(quic)) {
                assertThat(again.getLocalPort()).isEqualTo(udp);
            }
        }
    }
}
