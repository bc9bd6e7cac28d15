package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.moqrelay.it.RawMoqPeer.encode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.util.FingerprintTrustManagerFactory;
import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.session.spi.RefusingHandler;
import org.moqrelay.transport.quic.QuicTransportConfig;
import org.moqrelay.transport.webtransport.WebTransportClient;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.lite.Setup;

/**
 * Netty's QUIC cannot send a PING, so the relay keeps a quiet lite-05 session alive itself: every
 * third of the QUIC idle timeout (at most 10 s) it sends a datagram for a subscription that cannot
 * exist, which the peer drops. Older lite versions have no datagrams, so their sessions get none.
 * The relay here has a 2 s idle timeout, so the keep-alives come about every 0.67 s.
 */
class KeepAliveTest {
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Subscribe id 2^53-1 (an 8-byte varint), group 0, timestamp 0, no payload. */
    private static final byte[] KEEP_ALIVE = HexFormat.of().parseHex("c01fffffffffffff" + "00" + "00");
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.of(
            () -> Relays.startQuicOnly(c -> c.withQuic(QuicTransportConfig.DEFAULT.withIdleTimeout(IDLE_TIMEOUT))))
            .withClients(1, "it-keep-alive");

    @Test
    void aQuietLite05SessionGetsKeepAlivesAndOutlivesTheIdleTimeout() throws Exception {
        try (RawMoqPeer peer = RawMoqPeer.connect(relay.clients(), relay.server())) {
            peer.sendSetup(encode(Setup.of(1234, "/anon", null, null)));
            // Four periods, longer than the idle timeout, in which the peer sends nothing but ACKs.
            for (int i = 0; i < 4; i++) {
                assertThat(peer.awaitDatagram(WAIT)).as("datagram %d", i).isEqualTo(KEEP_ALIVE);
            }
            assertThat(peer.isOpen()).as("connection after four keep-alive periods").isTrue();
            assertThat(peer.closed()).isNotDone();
        }
    }

    @Test
    void aPeerWithAShorterIdleTimeoutGetsKeepAlivesWithinIt() throws Exception {
        // This relay's own 30 s idle timeout means a keep-alive every 10 s; the peer's 1.5 s rules the connection.
        RelayServer defaults = Relays.startDev();
        try (RawMoqPeer peer = RawMoqPeer.connect(relay.clients(), defaults, LiteVersion.LITE_05, Duration.ofMillis(1500))) {
            peer.sendSetup(encode(Setup.of(1236, "/anon", null, null)));
            for (int i = 0; i < 4; i++) {
                assertThat(peer.awaitDatagram(WAIT)).as("datagram %d", i).isEqualTo(KEEP_ALIVE);
            }
            assertThat(peer.isOpen()).as("connection after four keep-alive periods (2 s, past the peer's 1.5 s)").isTrue();
        } finally {
            defaults.close();
        }
    }

    @Test
    void aWebTransportPeerWithAShorterIdleTimeoutGetsKeepAlivesWithinIt() throws Exception {
        RelayServer defaults = Relays.startDev(); // 30 s idle timeout: a keep-alive every 10 s by its own clock
        QuicSslContext ssl = QuicSslContextBuilder.forClient().applicationProtocols(WebTransportClient.ALPN)
                .trustManager(FingerprintTrustManagerFactory.builder("SHA-256").fingerprints(defaults.certificateSha256()).build())
                .endpointIdentificationAlgorithm(null).build();
        URI url = URI.create("https://127.0.0.1:" + defaults.quicAddress().getPort() + "/anon");
        BlockingQueue<byte[]> datagrams = new LinkedBlockingQueue<>();
        try {
            Connection c = WebTransportClient.connect(relay.clients(), ssl,
                    QuicTransportConfig.DEFAULT.withIdleTimeout(Duration.ofMillis(1500)), url, List.of(LiteVersion.LITE_05.alpn()))
                    .get(10, TimeUnit.SECONDS);
            c.eventLoop().execute(() -> c.handler(new RefusingHandler() {
                @Override
                public void onDatagram(ByteBuf data) {
                    datagrams.add(ByteBufUtil.getBytes(data));
                    data.release();
                }
            }));
            for (int i = 0; i < 4; i++) {
                assertThat(datagrams.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("datagram %d", i).isEqualTo(KEEP_ALIVE);
            }
            assertThat(c.eventLoop().submit(c::isOpen).get(5, TimeUnit.SECONDS))
                    .as("session after four keep-alive periods (2 s, past the peer's 1.5 s)").isTrue();
            c.eventLoop().execute(() -> c.close(0, ""));
        } finally {
            defaults.close();
        }
    }

    @Test
    void aLite04SessionGetsNoDatagrams() throws Exception {
        try (RawMoqPeer old = RawMoqPeer.connect(relay.clients(), relay.server(), LiteVersion.LITE_04);
             RawMoqPeer current = RawMoqPeer.connect(relay.clients(), relay.server())) {
            current.sendSetup(encode(Setup.of(1235, "/anon", null, null)));
            // The lite-04 session started first: had it keep-alives, it would have got some by
            // the time the lite-05 one has three. Its own round trips keep it open meanwhile.
            for (int i = 0; i < 3; i++) {
                assertThat(current.awaitDatagram(WAIT)).as("lite-05 datagram %d", i).isEqualTo(KEEP_ALIVE);
                old.roundTrip(WAIT);
            }
            assertThat(old.isOpen()).as("lite-04 connection").isTrue();
            assertThat(old.datagramsReceived()).as("datagrams sent to the lite-04 peer").isZero();
        }
    }
}
