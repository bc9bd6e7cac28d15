package org.moqrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.transport.quic.EventLoops;
import org.moqrelay.transport.quic.NettyStream;
import org.moqrelay.transport.quic.PeerStreamSink;
import org.moqrelay.transport.quic.QuicListener;
import org.moqrelay.transport.quic.QuicTransportConfig;
import org.moqrelay.transport.quic.StreamCodes;
import org.moqrelay.transport.tls.CertificateBundle;
import org.moqrelay.transport.tls.Certificates;
import org.moqrelay.transport.webtransport.h3.Capsules;
import org.moqrelay.transport.webtransport.h3.HeaderField;
import org.moqrelay.transport.webtransport.h3.Http3Frames;
import org.moqrelay.transport.webtransport.h3.QpackDecoder;
import org.moqrelay.transport.webtransport.h3.QpackEncoder;
import org.moqrelay.wire.LiteVersion;

/**
 * The versions {@link MoqClient} offers over WebTransport and how it takes the server's choice,
 * against a scripted HTTP/3 server that answers with a chosen {@code wt-protocol}.
 */
class MoqClientWebTransportTest {
    static EventLoopGroup group;
    static QuicSslContext serverSsl;

    @BeforeAll
    static void setUp() throws Exception {
        group = EventLoops.newGroup(1, "moq-client-wt-test");
        CertificateBundle cert = Certificates.generateSelfSigned(List.of("localhost", "127.0.0.1"));
        serverSsl = QuicSslContextBuilder.forServer(cert.key(), null, cert.chain().toArray(new X509Certificate[0]))
                .applicationProtocols("h3").build();
    }

    @AfterAll
    static void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
    }

    @Test
    void theLiteVersionsAreOfferedNewestFirstAsMoqNetOffersThem() {
        assertThat(WebTransportProtocols.offered(LiteVersion.LITE_05))
                .containsExactly("moq-lite-05", "moq-lite-04", "moq-lite-03", "moql");
        assertThat(WebTransportProtocols.offered(LiteVersion.LITE_03)).containsExactly("moq-lite-03", "moql");
        assertThat(WebTransportProtocols.offered(LiteVersion.LITE_02)).containsExactly("moql");
    }

    @Test
    void theServersChoiceIsSpokenAndMoqlOrNoChoiceMeansTheLegacySetup() {
        List<String> offered = WebTransportProtocols.offered(LiteVersion.LITE_05);
        assertThat(WebTransportProtocols.chosen("moq-lite-04", offered)).isEqualTo(LiteVersion.LITE_04);
        assertThat(WebTransportProtocols.chosen("moql", offered)).isEqualTo(LiteVersion.LITE_02);
        assertThat(WebTransportProtocols.chosen("", offered)).isEqualTo(LiteVersion.LITE_02);
        assertThat(WebTransportProtocols.chosen("moqt-16", offered)).isNull();
        assertThat(WebTransportProtocols.chosen("moq-lite-05", WebTransportProtocols.offered(LiteVersion.LITE_03))).isNull();
    }

    @Test
    void anOlderVersionTheServerPicksIsTheOneTheSessionSpeaks() throws Exception {
        Script server = new Script("\"moq-lite-04\"");
        try (QuicListener l = server.listen();
             MoqClient c = MoqClient.connect(group, url(l), ClientOptions.INSECURE).get(10, TimeUnit.SECONDS)) {
            assertThat(server.offered.get(5, TimeUnit.SECONDS))
                    .isEqualTo("\"moq-lite-05\", \"moq-lite-04\", \"moq-lite-03\", \"moql\"");
            assertThat(c.connection().protocol()).isEqualTo("moq-lite-04");
            assertThat(c.session().liteVersion()).isEqualTo(LiteVersion.LITE_04);
        }
    }

    @Test
    void aVersionThatWasNotOfferedFailsTheConnectAndClosesTheSessionWithVersion() throws Exception {
        Script server = new Script("\"moqt-16\"");
        try (QuicListener l = server.listen()) {
            assertThatThrownBy(() -> MoqClient.connect(group, url(l), ClientOptions.INSECURE).get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("chose 'moqt-16', which was not offered [moq-lite-05, moq-lite-04, moq-lite-03, moql]");
            assertThat(server.closed.get(5, TimeUnit.SECONDS)).isEqualTo(new Capsules.Close(9, "no common version"));
        }
    }

    static URI url(QuicListener l) {
        return URI.create("https://127.0.0.1:" + l.localAddress().getPort() + "/room");
    }

    /**
     * An HTTP/3 server that sends WebTransport SETTINGS, answers the CONNECT with 200 and
     * {@code wt-protocol} = {@code choice}, and records what the client offered and how it closed.
     */
    static final class Script {
        final String choice;
        final CompletableFuture<String> offered = new CompletableFuture<>();
        final CompletableFuture<Capsules.Close> closed = new CompletableFuture<>();

        Script(String choice) {
            this.choice = choice;
        }

        QuicListener listen() throws Exception {
            return QuicListener.bind(new InetSocketAddress("127.0.0.1", 0), serverSsl, group, 1, QuicTransportConfig.DEFAULT,
                    (QuicChannel ch, String alpn) -> {
                        ch.createStream(QuicStreamType.UNIDIRECTIONAL, new io.netty.channel.ChannelInboundHandlerAdapter())
                                .addListener(f -> ((QuicStreamChannel) f.getNow()).writeAndFlush(Http3Frames.serverSettings()));
                        return (PeerStreamSink) this::onStream;
                    });
        }

        private void onStream(QuicStreamChannel ch) {
            NettyStream s = new NettyStream(ch, StreamCodes.IDENTITY);
            ch.pipeline().addLast(s);
            // The client's first bidi stream is its CONNECT; its control and WebTransport streams are only collected.
            s.read(new Collect(s, ch.type() == QuicStreamType.BIDIRECTIONAL && ch.streamId() == 0));
        }

        /** Collects a stream; on a request stream, answers its HEADERS and reads the close capsule at its FIN. */
        private final class Collect implements ReadHandler {
            private final NettyStream stream;
            private final boolean request;
            private final CompositeByteBuf bytes = ByteBufAllocator.DEFAULT.compositeBuffer();
            private boolean answered;

            Collect(NettyStream stream, boolean request) {
                this.stream = stream;
                this.request = request;
            }

            @Override
            public void onData(ByteBuf data) {
                bytes.addComponent(true, data);
                if (!request || answered) return;
                ByteBuf view = bytes.duplicate();
                Http3Frames.FrameHeader h = Http3Frames.readFrameHeader(view, 16 * 1024);
                if (h == null) return;
                answered = true;
                offered.complete(QpackDecoder.decode(view.readSlice((int) h.length())).stream()
                        .filter(f -> f.name().equals("wt-available-protocols")).map(HeaderField::value)
                        .findFirst().orElse(""));
                stream.write(QpackEncoder.headersFrame(List.of(new HeaderField(":status", "200"),
                        new HeaderField("wt-protocol", choice))));
                stream.flush();
            }

            @Override
            public void onFin() {
                if (request) {
                    // The capsule reader skips the request's HEADERS frame as it skips any non-DATA frame.
                    Capsules.Reader reader = new Capsules.Reader();
                    reader.feed(bytes.duplicate());
                    closed.complete(reader.finish());
                }
                bytes.release();
            }

            @Override
            public void onReset(long code) {
                if (request) closed.completeExceptionally(new AssertionError("CONNECT stream reset: 0x" + Long.toHexString(code)));
                bytes.release();
            }
        }
    }
}
