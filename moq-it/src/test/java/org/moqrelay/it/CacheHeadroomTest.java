package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.client.TestStream;
import org.moqrelay.client.TrackReader;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.relay.server.CacheConfig;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.session.lite.LiteSession;
import org.moqrelay.transport.quic.EventLoops;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/** {@code --cache-headroom} wired into a running relay: more headroom than any machine has. */
class CacheHeadroomTest {
    @Test
    void aHeadroomNoMachineCanMeetLeavesOnlyTheLatestGroupCachedAndLiveDeliveryIntact() throws Exception {
        EventLoopGroup clients = EventLoops.newGroup(1, "it-headroom");
        try (RelayServer relay = Relays.startQuicOnly(c -> c.withCache(new CacheConfig(Long.MAX_VALUE, Long.MAX_VALUE, 1L << 60)))) {
            // The governor's first sample runs at start-up: nothing beyond the latest groups fits.
            awaitTrue(() -> relay.origin().budget().capacity() == 0);

            URI url = URI.create("moqt://127.0.0.1:" + relay.quicAddress().getPort() + "/anon");
            ClientOptions opts = ClientOptions.pinned(relay.certificateSha256());
            try (MoqClient pub = MoqClient.connect(clients, url, opts).get(10, TimeUnit.SECONDS);
                 MoqClient sub = subscriberOnAnotherLoop(relay, clients, url, opts)) {
                // A latency window of an hour: only the budget can evict.
                Track t = pub.publish(Path.of("headroom")).createTrack("frames", new TrackInfo(0, false, 3_600_000, 1000));
                Relays.awaitAnnounced(relay.origin(), Path.of("anon/headroom"), 10);
                try (TrackReader reader = new TrackReader(sub.consume(Path.of("headroom")).track("frames"), Demand.LATEST)) {
                    Track relayed = relay.origin().broadcast(Path.of("anon/headroom")).track("frames");
                    // The relay's SUBSCRIBE has reached the publisher: every group will be forwarded.
                    awaitTrue(() -> t.subscriberCount() == 1);
                    // Back to back: each group is overtaken by the next at once, before the subscriber's
                    // session, on another event loop than the publisher's, got to it; the budget spares
                    // a group while such a delivery is pending, so every frame still arrives.
                    for (long g = 0; g < 4; g++) {
                        Group grp = t.createGroup(g);
                        for (int f = 0; f < 2; f++) grp.append(f, Unpooled.wrappedBuffer(TestStream.payload(g, f, 1000)));
                        grp.finish();
                    }
                    // Groups travel on streams of their own, so they may arrive in any order.
                    Set<String> received = new HashSet<>();
                    for (int i = 0; i < 8; i++) {
                        TrackReader.Received r = reader.poll(10, TimeUnit.SECONDS);
                        assertThat(r).as("frame %d of 8 (have %s)", i + 1, received).isNotNull();
                        assertThat(TestStream.verify(r.group(), r.index(), r.payload())).isTrue();
                        received.add(r.group() + "/" + r.index());
                    }
                    assertThat(received).containsExactlyInAnyOrder("0/0", "0/1", "1/0", "1/1", "2/0", "2/1", "3/0", "3/1");
                    assertThat(relayed.cachedGroups()).isEqualTo(1);
                    assertThat(relayed.latest().sequence()).isEqualTo(3);
                    assertThat(relay.origin().budget().used()).isEqualTo(2 * 1000);
                }
            }
        } finally {
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
        }
    }

    /**
     * A client whose relay session runs on another event loop than the one session already there
     * (the publisher's): the kernel picks the socket, and so the loop, by the client's port, so
     * reconnect until one lands elsewhere (1 in 2 per try with two sockets; 32 tries).
     */
    private static MoqClient subscriberOnAnotherLoop(RelayServer relay, EventLoopGroup clients, URI url, ClientOptions opts)
            throws Exception {
        awaitTrue(() -> relay.sessions().size() == 1);
        LiteSession publisher = relay.sessions().get(0);
        for (int attempt = 0; attempt < 32; attempt++) {
            MoqClient c = MoqClient.connect(clients, url, opts).get(10, TimeUnit.SECONDS);
            awaitTrue(() -> relay.sessions().size() == 2);
            LiteSession s = relay.sessions().stream().filter(x -> x != publisher).findFirst().orElseThrow();
            if (s.eventLoop() != publisher.eventLoop()) return c;
            c.close();
            awaitTrue(() -> relay.sessions().size() == 1);
        }
        throw new AssertionError("no connection reached the other loop in 32 tries");
    }

    /** Polls {@code condition} for at most 10 s, then asserts it. */
    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
