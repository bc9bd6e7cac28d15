package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.client.TrackReader;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Track;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.session.lite.LiteSession;
import org.moqrelay.transport.quic.EventLoops;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * A subscriber whose source port changes mid-connection (NAT rebinding) keeps its session, on a
 * relay with one QUIC socket (quiche alone follows the new address) and on one with two sockets
 * on one port. With two, the kernel picks the socket by hashing the 4-tuple, so after a
 * rebinding the packets may reach the socket that did not accept the connection; the relay must
 * hand them to the one that did (connection ids carry its index). Each rebinding is also a new
 * network path of the connection, and the connection must take more than one.
 */
class NatRebindingTest {
    /** With two sockets, alternately onto the other socket and back onto the owner: four hand-offs, three returns. */
    private static final int REBINDS = 7;
    /** Each probe lands on the wanted socket with p = 1/2: 32 misses in a row is a 2^-32 chance. */
    private static final int MAX_PROBES = 32;
    private static final long WAIT_SECONDS = 10;
    private static final Path ANON = Path.of("anon");

    private RelayServer relay;
    private EventLoopGroup clients;
    private final List<AutoCloseable> open = new ArrayList<>();
    /** Relay sessions already told apart, so that the next new one is identified. */
    private final Set<LiteSession> known = new HashSet<>();
    private int probes;

    @BeforeEach
    void start() {
        clients = EventLoops.newGroup(2, "it-nat-rebinding");
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
        if (relay != null) relay.close();
        if (clients != null) clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
    }

    @ParameterizedTest(name = "{0} QUIC socket(s)")
    @ValueSource(ints = {1, 2})
    void aSubscriberWhosePortChangesKeepsReceivingWhicheverSocketItsPacketsReach(int sockets) throws Exception {
        relay = Relays.startQuicOnly(c -> c.withQuicThreads(sockets));
        assertThat(relay.quicSockets()).isEqualTo(sockets);
        MoqClient pub = connect(relay.quicAddress());
        Track track = pub.publish(Path.of("nat/cam")).createTrack("video", TrackInfo.DEFAULT);
        Relays.awaitAnnounced(relay.origin(), ANON.join(Path.of("nat/cam")), WAIT_SECONDS);
        newSession();

        UdpForwarder nat = UdpForwarder.open(clients.next(), relay.quicAddress());
        open.add(nat);
        MoqClient sub = connect(nat.address());
        TrackReader reader = new TrackReader(sub.consume(Path.of("nat/cam")).track("video"), Demand.LATEST);
        open.add(reader);
        Relays.publishGroup(track, 0);
        Relays.awaitGroup(reader, 0);
        LiteSession subSession = newSession();
        EventLoop owner = subSession.eventLoop();

        for (int i = 0; i < REBINDS; i++) {
            boolean handOff = sockets > 1 && i % 2 == 0;
            // One socket takes every port: any free one will do.
            int port = sockets == 1 ? 0 : portLandingOn(handOff ? l -> l != owner : l -> l == owner);
            int before = nat.outboundPort();
            nat.rebind(port);
            assertThat(nat.outboundPort()).isNotEqualTo(before);
            if (port != 0) assertThat(nat.outboundPort()).isEqualTo(port);

            // As after a real rebinding the client speaks first (the relay's packets to the old
            // port are lost): its announce reaches the relay from the new address...
            Path nudge = Path.of("nat/nudge" + i);
            sub.publish(nudge);
            awaitAnnounced(nudge, "rebinding " + i + (sockets == 1 ? "" : handOff ? " onto the other socket" : " onto the owner's socket"));
            // ...and the relay moves the connection there: a new group reaches the subscriber.
            Relays.publishGroup(track, i + 1);
            Relays.awaitGroup(reader, i + 1);
            assertThat(relay.sessions()).as("after rebinding %d (hand-off: %s)", i, handOff).contains(subSession);
        }
    }

    /**
     * A loopback source port whose packets the kernel hands to a relay socket on a loop that
     * {@code wanted} accepts. Which socket a 4-tuple reaches is fixed while the relay's sockets
     * stay bound, so a probe connection from the port shows it: its session runs on that
     * socket's loop. The probe is closed before the port is handed back.
     */
    private int portLandingOn(Predicate<EventLoop> wanted) throws Exception {
        for (int attempt = 0; attempt < MAX_PROBES; attempt++) {
            Path path = Path.of("nat/probe" + probes++);
            int port;
            EventLoop landed;
            try (UdpForwarder hop = UdpForwarder.open(clients.next(), relay.quicAddress())) {
                port = hop.outboundPort();
                MoqClient probe = MoqClient.connect(clients, url(hop.address()), options()).get(WAIT_SECONDS, TimeUnit.SECONDS);
                try {
                    probe.publish(path);
                    Relays.awaitAnnounced(relay.origin(), ANON.join(path), WAIT_SECONDS);
                    landed = newSession().eventLoop();
                } finally {
                    probe.close();
                }
                // The relay has seen the probe's CONNECTION_CLOSE: it sends nothing more to the port.
                Relays.awaitUnannounced(relay.origin(), ANON.join(path), WAIT_SECONDS);
            }
            if (wanted.test(landed)) return port;
        }
        throw new AssertionError("no probe out of " + MAX_PROBES + " reached the wanted QUIC socket");
    }

    private void awaitAnnounced(Path path, String when) throws Exception {
        try {
            Relays.awaitAnnounced(relay.origin(), ANON.join(path), WAIT_SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("after " + when + ", the client's announce of " + path + " did not reach the relay within "
                    + WAIT_SECONDS + " s", e);
        }
    }

    /** The one relay session that appeared since the last call. */
    private LiteSession newSession() {
        List<LiteSession> added = new ArrayList<>(relay.sessions());
        added.removeAll(known);
        assertThat(added).as("new relay sessions").hasSize(1);
        known.add(added.get(0));
        return added.get(0);
    }

    private MoqClient connect(InetSocketAddress address) throws Exception {
        MoqClient c = MoqClient.connect(clients, url(address), options()).get(WAIT_SECONDS, TimeUnit.SECONDS);
        open.add(c);
        return c;
    }

    private static URI url(InetSocketAddress address) {
        return URI.create("moqt://127.0.0.1:" + address.getPort() + "/anon");
    }

    private ClientOptions options() {
        return ClientOptions.pinned(relay.certificateSha256());
    }

}
