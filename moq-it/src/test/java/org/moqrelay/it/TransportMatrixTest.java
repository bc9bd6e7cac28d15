package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.client.TestStream;
import org.moqrelay.client.TrackReader;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * The Java client over raw QUIC with each lite ALPN and over plain TCP (qmux-01), publishing and
 * subscribing across versions through one relay: the same frames arrive whatever each side speaks.
 */
class TransportMatrixTest {
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.of(
            () -> Relays.startQuicOnly(c -> c.withTcpBind(new InetSocketAddress("127.0.0.1", 0))))
            .withClients(2, "it-matrix");

    /**
     * lite-03/04 carry no path on raw QUIC or TCP (no SETUP), so those sessions sit at the root and
     * address the broadcast by its full path; lite-05 sends its path in SETUP.
     */
    static MoqClient connect(String transport, LiteVersion v) throws Exception {
        String path = v.hasSetupStream() ? "/anon" : "";
        URI url = transport.equals("tcp")
                ? URI.create("tcp://127.0.0.1:" + relay.server().tcpAddress().getPort() + path)
                : URI.create("moqt://127.0.0.1:" + relay.server().quicAddress().getPort() + path);
        return MoqClient.connect(relay.clients(), url, ClientOptions.pinned(relay.server().certificateSha256()).withVersion(v))
                .get(10, TimeUnit.SECONDS);
    }

    static Path pathFor(LiteVersion v, String name) {
        return v.hasSetupStream() ? Path.of(name) : Path.of("anon").join(Path.of(name));
    }

    @ParameterizedTest(name = "{0}/{1} publishes, {2}/{3} subscribes")
    @CsvSource({
            "quic, LITE_05, quic, LITE_05",
            "quic, LITE_05, quic, LITE_04",
            "quic, LITE_05, quic, LITE_03",
            "quic, LITE_04, quic, LITE_05",
            "quic, LITE_03, tcp, LITE_05",
            "tcp, LITE_05, quic, LITE_05",
            "tcp, LITE_05, tcp, LITE_04",
            "tcp, LITE_04, tcp, LITE_03",
            "quic, LITE_02, quic, LITE_05",
            "quic, LITE_05, quic, LITE_02",
            "tcp, LITE_02, quic, LITE_02",
    })
    void framesCrossTransportsAndVersions(String pubTransport, LiteVersion pubVersion, String subTransport,
                                         LiteVersion subVersion) throws Exception {
        String name = "matrix/" + pubTransport + pubVersion + "-" + subTransport + subVersion;
        try (MoqClient pub = connect(pubTransport, pubVersion); MoqClient sub = connect(subTransport, subVersion)) {
            Track t = pub.publish(pathFor(pubVersion, name)).createTrack("frames", TrackInfo.DEFAULT);
            Relays.awaitAnnounced(relay.server().origin(), Path.of("anon").join(Path.of(name)), 10);
            Group g0 = t.createGroup(0);
            g0.append(0, Unpooled.wrappedBuffer(TestStream.payload(0, 0, 10)));
            try (TrackReader reader = new TrackReader(sub.consume(pathFor(subVersion, name)).track("frames"), Demand.LATEST)) {
                TrackReader.Received first = reader.poll(10, TimeUnit.SECONDS);
                assertThat(first).isNotNull();
                assertThat(TestStream.verify(0, 0, first.payload())).isTrue();
                g0.finish();
                for (long g = 1; g <= 2; g++) {
                    Group grp = t.createGroup(g);
                    for (int f = 0; f < 2; f++) grp.append(g * 100 + f, Unpooled.wrappedBuffer(TestStream.payload(g, f, 3000)));
                    grp.finish();
                }
                for (long g = 1; g <= 2; g++) {
                    for (int f = 0; f < 2; f++) {
                        TrackReader.Received r = reader.poll(10, TimeUnit.SECONDS);
                        assertThat(r).as("group %d frame %d", g, f).isNotNull();
                        assertThat(r.group()).isEqualTo(g);
                        assertThat(TestStream.verify(g, f, r.payload())).isTrue();
                    }
                }
            }
        }
    }
}
