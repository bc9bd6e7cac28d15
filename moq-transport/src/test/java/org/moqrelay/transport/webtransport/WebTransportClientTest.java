package org.moqrelay.transport.webtransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.session.spi.DiscardHandler;
import org.moqrelay.session.spi.RefusingHandler;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.session.spi.RecvStream;
import org.moqrelay.session.spi.SendStream;
import org.moqrelay.transport.MoqAcceptor;
import org.moqrelay.transport.quic.EventLoops;
import org.moqrelay.transport.quic.NettyStream;
import org.moqrelay.transport.quic.PeerStreamSink;
import org.moqrelay.transport.quic.QuicListener;
import org.moqrelay.transport.quic.QuicTransportConfig;
import org.moqrelay.transport.quic.StreamCodes;
import org.moqrelay.transport.tls.CertificateBundle;
import org.moqrelay.transport.tls.Certificates;
import org.moqrelay.transport.webtransport.h3.ConnectRequest;
import org.moqrelay.transport.webtransport.h3.HeaderField;
import org.moqrelay.transport.webtransport.h3.Http3Frames;
import org.moqrelay.transport.webtransport.h3.QpackEncoder;
import org.moqrelay.transport.webtransport.h3.StructuredFields;
import org.moqrelay.wire.VarInts;

/** The WebTransport client against our server, and against scripted servers that answer badly. */
class WebTransportClientTest {
    static EventLoopGroup group;
    static QuicSslContext serverSsl;
    static QuicSslContext clientSsl;

    @BeforeAll
    static void setUp() throws Exception {
        group = EventLoops.newGroup(1, "wt-client-test");
        CertificateBundle cert = Certificates.generateSelfSigned(List.of("localhost", "127.0.0.1"));
        serverSsl = QuicSslContextBuilder.forServer(cert.key(), null, cert.chain().toArray(new java.security.cert.X509Certificate[0]))
                .applicationProtocols(WebTransportClient.ALPN).build();
        clientSsl = QuicSslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocols(WebTransportClient.ALPN).build();
    }

    @AfterAll
    static void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
    }

    /** Our WebTransport server on a free port. */
    static QuicListener server(MoqAcceptor acceptor) throws Exception {
        WebTransportServer wt = new WebTransportServer(acceptor);
        return QuicListener.bind(new InetSocketAddress("127.0.0.1", 0), serverSsl, group, 1, QuicTransportConfig.DEFAULT,
                (ch, alpn) -> wt.accept(ch));
    }

    /** A server that sends our server's SETTINGS at once and answers every request stream with {@code answer}. */
    static QuicListener scripted(Consumer<NettyStream> answer) throws Exception {
        return scripted(ch -> control(ch, Http3Frames.serverSettings(), false), answer);
    }

    /**
     * A server that runs {@code onConnection} when a connection is up (its SETTINGS are up to it)
     * and answers every request stream with {@code answer}; it reads nothing.
     */
    static QuicListener scripted(Consumer<QuicChannel> onConnection, Consumer<NettyStream> answer) throws Exception {
        return QuicListener.bind(new InetSocketAddress("127.0.0.1", 0), serverSsl, group, 1, QuicTransportConfig.DEFAULT,
                (QuicChannel ch, String alpn) -> {
                    onConnection.accept(ch);
                    return (PeerStreamSink) (QuicStreamChannel s) -> {
                        NettyStream stream = new NettyStream(s, StreamCodes.IDENTITY);
                        s.pipeline().addLast(stream);
                        stream.read(new DiscardHandler());
                        if (s.type() == QuicStreamType.BIDIRECTIONAL) answer.accept(stream);
                    };
                });
    }

    /** Opens the server's control stream with {@code bytes} (its type and frames); FIN after them if {@code end}. */
    static void control(QuicChannel ch, ByteBuf bytes, boolean end) {
        ch.createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInitializer<QuicStreamChannel>() {
            @Override
            protected void initChannel(QuicStreamChannel s) {}
        }).addListener(f -> {
            QuicStreamChannel s = (QuicStreamChannel) f.getNow();
            s.writeAndFlush(bytes);
            if (end) s.shutdownOutput();
        });
    }

    /** A control stream: its type, then {@code frames}, e.g. from {@link #settings}. */
    static ByteBuf controlStream(ByteBuf... frames) {
        ByteBuf out = Unpooled.buffer();
        VarInts.write(out, Http3Frames.STREAM_CONTROL);
        for (ByteBuf f : frames) {
            out.writeBytes(f);
            f.release();
        }
        return out;
    }

    /** A SETTINGS frame with {@code idsAndValues} in order. */
    static ByteBuf settings(long... idsAndValues) {
        Map<Long, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < idsAndValues.length; i += 2) m.put(idsAndValues[i], idsAndValues[i + 1]);
        ByteBuf out = Unpooled.buffer();
        Http3Frames.writeSettings(out, m);
        return out;
    }

    /** A frame of a reserved (GREASE) type, which a peer must skip. */
    static ByteBuf greaseFrame() {
        ByteBuf out = Unpooled.buffer();
        Http3Frames.writeFrame(out, 0x21 + 0x1f * 2, Unpooled.copiedBuffer("grease", StandardCharsets.US_ASCII));
        return out;
    }

    /** Answers a CONNECT with 200 choosing {@code protocol}. */
    static void answerOk(NettyStream s, String protocol) {
        s.write(QpackEncoder.headersFrame(List.of(new HeaderField(":status", "200"),
                new HeaderField(ConnectRequest.WT_PROTOCOL, StructuredFields.serializeString(protocol)))));
        s.flush();
    }

    static Connection connect(QuicListener l, String path, List<String> protocols) throws Exception {
        URI url = URI.create("https://127.0.0.1:" + l.localAddress().getPort() + path);
        return WebTransportClient.connect(group, clientSsl, QuicTransportConfig.DEFAULT, url, protocols).get(10, TimeUnit.SECONDS);
    }

    @Test
    void datagramsAndStreamsCrossTheSessionBothWaysAndTheCloseCapsuleArrives() throws Exception {
        CompletableFuture<String> asked = new CompletableFuture<>();
        CompletableFuture<String> serverClosed = new CompletableFuture<>();
        // The server echoes datagrams, and each uni stream's bytes on a uni stream of its own.
        MoqAcceptor echo = (conn, version) -> {
            asked.complete(conn.requestPath() + " at " + conn.requestHost());
            echo(conn, serverClosed);
        };
        try (QuicListener l = server(echo)) {
            Connection c = connect(l, "/room?jwt=abc", List.of("moq-lite-04"));
            assertThat(c.protocol()).isEqualTo("moq-lite-04");
            assertThat(asked.get(5, TimeUnit.SECONDS)).isEqualTo("/room?jwt=abc at 127.0.0.1");
            exchange(c);
            c.eventLoop().execute(() -> c.close(7, "bye"));
            assertThat(serverClosed.get(5, TimeUnit.SECONDS)).isEqualTo("7 bye");
        }
    }

    private static void echo(Connection conn, CompletableFuture<String> serverClosed) {
        conn.handler(new RefusingHandler() {
            @Override
            public void onDatagram(ByteBuf data) {
                conn.sendDatagram(data);
            }

            @Override
            public void onUniStream(RecvStream s) {
                readAll(s).thenAccept(bytes -> conn.openUni().addListener(f -> {
                    SendStream out = (SendStream) f.getNow();
                    out.write(Unpooled.copiedBuffer(bytes, StandardCharsets.UTF_8));
                    out.finish();
                }));
            }

            @Override
            public void onClosed(long code, String reason, boolean clean) {
                serverClosed.complete(code + " " + reason);
            }
        });
    }

    /** A datagram and a uni stream to the echoing server, and their echoes back. */
    private static void exchange(Connection c) throws Exception {
        CompletableFuture<String> datagram = new CompletableFuture<>();
        CompletableFuture<String> stream = new CompletableFuture<>();
        CompletableFuture<Integer> maxDatagram = new CompletableFuture<>();
        c.eventLoop().execute(() -> {
            c.handler(new RefusingHandler() {
                @Override
                public void onDatagram(ByteBuf data) {
                    datagram.complete(data.toString(StandardCharsets.UTF_8));
                    data.release();
                }

                @Override
                public void onUniStream(RecvStream s) {
                    readAll(s).thenAccept(stream::complete);
                }
            });
            maxDatagram.complete(c.maxDatagramSize());
            c.sendDatagram(Unpooled.copiedBuffer("ping", StandardCharsets.UTF_8));
            c.openUni().addListener(f -> {
                SendStream out = (SendStream) f.getNow();
                out.write(Unpooled.copiedBuffer("hello over webtransport", StandardCharsets.UTF_8));
                out.finish();
            });
        });
        assertThat(maxDatagram.get(5, TimeUnit.SECONDS)).isPositive();
        assertThat(datagram.get(5, TimeUnit.SECONDS)).isEqualTo("ping");
        assertThat(stream.get(5, TimeUnit.SECONDS)).isEqualTo("hello over webtransport");
    }

    @Test
    void aNon2xxAnswerFailsWithItsStatus() throws Exception {
        try (QuicListener l = scripted(s -> {
            s.write(QpackEncoder.headersFrame(List.of(new HeaderField(":status", "502"))));
            s.finish();
        })) {
            assertThatThrownBy(() -> connect(l, "/room", List.of()))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(WebTransportRefusedException.class)
                    .hasMessageContaining("502")
                    .extracting(e -> ((WebTransportRefusedException) e).status()).isEqualTo(502);
        }
    }

    @Test
    void aServerThatNeverAnswersFailsTheConnectInBoundedTime() throws Exception {
        try (QuicListener l = scripted(s -> {})) {
            URI url = URI.create("https://127.0.0.1:" + l.localAddress().getPort() + "/");
            assertThatThrownBy(() -> WebTransportClient.connect(group, clientSsl, QuicTransportConfig.DEFAULT, url, List.of(), 300)
                    .get(10, TimeUnit.SECONDS))
                    .cause().hasMessageContaining("no answer to the WebTransport CONNECT").hasMessageContaining("300 ms");
        }
    }

    @Test
    void anInterimResponseIsFollowedByTheFinalOne() throws Exception {
        try (QuicListener l = scripted(s -> {
            s.write(QpackEncoder.headersFrame(List.of(new HeaderField(":status", "103"))));
            s.write(QpackEncoder.headersFrame(List.of(new HeaderField(":status", "200"),
                    new HeaderField(ConnectRequest.WT_PROTOCOL, "\"moq-lite-05\""))));
            s.flush();
        })) {
            Connection c = connect(l, "/", List.of("moq-lite-05"));
            assertThat(c.protocol()).isEqualTo("moq-lite-05");
            c.eventLoop().execute(() -> c.close(0, ""));
        }
    }

    @Test
    void aResponseWithoutStatusFailsClearly() throws Exception {
        try (QuicListener l = scripted(s -> {
            s.write(QpackEncoder.headersFrame(List.of(new HeaderField("server", "odd"))));
            s.flush();
        })) {
            assertThatThrownBy(() -> connect(l, "/", List.of())).cause().hasMessageContaining("no valid :status");
        }
    }

    @Test
    void aConnectStreamEndedBeforeAResponseFailsClearly() throws Exception {
        try (QuicListener l = scripted(NettyStream::finish)) {
            assertThatThrownBy(() -> connect(l, "/", List.of())).cause().hasMessageContaining("ended before a response");
        }
    }

    @Test
    void anUndecodableResponseFailsClearly() throws Exception {
        try (QuicListener l = scripted(s -> {
            s.write(Unpooled.wrappedBuffer(new byte[] {0x01, 0x03, 0x00, 0x00, (byte) 0xff})); // HEADERS, bad QPACK
            s.flush();
        })) {
            assertThatThrownBy(() -> connect(l, "/", List.of())).cause().hasMessageContaining("bad WebTransport CONNECT response");
        }
    }

    @Test
    void theConnectWaitsForTheServersLateSettingsAndSkipsAGreaseFrameBeforeThem() throws Exception {
        AtomicBoolean settingsSent = new AtomicBoolean();
        CompletableFuture<Boolean> connectBeforeSettings = new CompletableFuture<>();
        // A slow server: its SETTINGS leave 300 ms after the handshake. Without the wait the
        // CONNECT arrives long before; with it, it cannot arrive before them at all.
        try (QuicListener l = scripted(ch -> ch.eventLoop().schedule(() -> {
            settingsSent.set(true);
            control(ch, controlStream(greaseFrame(), settings(0x08, 1, 0x33, 1, 0xc671706aL, 1)), false);
        }, 300, TimeUnit.MILLISECONDS), s -> {
            connectBeforeSettings.complete(!settingsSent.get());
            answerOk(s, "moq-lite-05");
        })) {
            Connection c = connect(l, "/", List.of("moq-lite-05"));
            assertThat(connectBeforeSettings.get(5, TimeUnit.SECONDS)).as("CONNECT before the server's SETTINGS").isFalse();
            assertThat(c.protocol()).isEqualTo("moq-lite-05");
            c.eventLoop().execute(() -> c.close(0, ""));
        }
    }

    @Test
    void aServerWithoutExtendedConnectGetsNoConnectAndTheConnectionIsClosed() throws Exception {
        CompletableFuture<QuicChannel> server = new CompletableFuture<>();
        AtomicBoolean requested = new AtomicBoolean();
        try (QuicListener l = scripted(ch -> {
            server.complete(ch);
            // Everything WebTransport needs but SETTINGS_ENABLE_CONNECT_PROTOCOL.
            control(ch, controlStream(settings(0x33, 1, 0xffd277L, 1, 0xc671706aL, 1, 0x2b603742L, 1)), false);
        }, s -> requested.set(true))) {
            assertThatThrownBy(() -> connect(l, "/", List.of("moq-lite-05")))
                    .cause().isInstanceOf(WebTransportUnsupportedException.class)
                    .hasMessageContaining("SETTINGS_ENABLE_CONNECT_PROTOCOL (0x8) = 1")
                    .extracting(e -> ((WebTransportUnsupportedException) e).missingSetting()).asString()
                    .startsWith("SETTINGS_ENABLE_CONNECT_PROTOCOL");
            assertThat(server.get(5, TimeUnit.SECONDS).closeFuture().await(5, TimeUnit.SECONDS))
                    .as("the client closed the QUIC connection").isTrue();
            assertThat(requested).as("a CONNECT reached the server").isFalse();
        }
    }

    @Test
    void aServerThatNeverSendsSettingsFailsTheConnectInBoundedTime() throws Exception {
        CompletableFuture<QuicChannel> server = new CompletableFuture<>();
        AtomicBoolean requested = new AtomicBoolean();
        try (QuicListener l = scripted(server::complete, s -> requested.set(true))) {
            URI url = URI.create("https://127.0.0.1:" + l.localAddress().getPort() + "/");
            assertThatThrownBy(() -> WebTransportClient.connect(group, clientSsl, QuicTransportConfig.DEFAULT, url, List.of(), 300)
                    .get(10, TimeUnit.SECONDS))
                    .cause().hasMessageContaining("no HTTP/3 SETTINGS").hasMessageContaining("300 ms");
            assertThat(server.get(5, TimeUnit.SECONDS).closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(requested).isFalse();
        }
    }

    @Test
    void aControlStreamThatEndsBeforeItsSettingsFailsClearly() throws Exception {
        badControlStreamFailsAndCloses(controlStream(), true, "ended before its SETTINGS");
    }

    @Test
    void aControlStreamThatStartsWithAnotherFrameThanSettingsFailsClearly() throws Exception {
        ByteBuf goaway = Unpooled.wrappedBuffer(new byte[] {0x07, 0x01, 0x00});
        badControlStreamFailsAndCloses(controlStream(goaway), false, "frame type 0x7, not SETTINGS");
    }

    /** Against a server whose control stream is {@code control}: the connect fails naming {@code why}, and the client closes QUIC. */
    private static void badControlStreamFailsAndCloses(ByteBuf control, boolean end, String why) throws Exception {
        CompletableFuture<QuicChannel> server = new CompletableFuture<>();
        try (QuicListener l = scripted(ch -> {
            server.complete(ch);
            control(ch, control, end);
        }, s -> {})) {
            assertThatThrownBy(() -> connect(l, "/", List.of()))
                    .cause().hasMessageContaining("bad HTTP/3 SETTINGS").hasMessageContaining(why);
            assertThat(server.get(5, TimeUnit.SECONDS).closeFuture().await(5, TimeUnit.SECONDS))
                    .as("the client closed the QUIC connection").isTrue();
        }
    }

    @Test
    void greaseFramesBeforeTheResponseHeadersAreSkipped() throws Exception {
        try (QuicListener l = scripted(s -> {
            s.write(greaseFrame());
            s.write(greaseFrame());
            answerOk(s, "moq-lite-04");
        })) {
            Connection c = connect(l, "/", List.of("moq-lite-05", "moq-lite-04"));
            assertThat(c.protocol()).isEqualTo("moq-lite-04");
            c.eventLoop().execute(() -> c.close(0, ""));
        }
    }

    @Test
    void aRequestStreamTheServerOpensIsRefusedAndTheSessionStaysUp() throws Exception {
        CompletableFuture<Long> refused = new CompletableFuture<>();
        try (QuicListener l = scripted(s -> {
            answerOk(s, "moq-lite-05");
            // A server never opens request streams (RFC 9114 §6.1); this one does.
            refusal(s.channel().parent(), QpackEncoder.headersFrame(List.of(new HeaderField(":method", "GET"))), refused);
        })) {
            Connection c = connect(l, "/", List.of("moq-lite-05"));
            assertThat(refused.get(5, TimeUnit.SECONDS)).isEqualTo(H3Connection.H3_STREAM_CREATION_ERROR);
            assertThat(c.eventLoop().submit(c::isOpen).get(5, TimeUnit.SECONDS)).isTrue();
            c.eventLoop().execute(() -> c.close(0, ""));
        }
    }

    @Test
    void aSecondConnectOnOneConnectionIsRejectedAndTheFirstSessionStaysUp() throws Exception {
        AtomicInteger sessions = new AtomicInteger();
        CompletableFuture<String> serverClosed = new CompletableFuture<>();
        MoqAcceptor echo = (conn, version) -> {
            if (sessions.incrementAndGet() == 1) echo(conn, serverClosed);
        };
        try (QuicListener l = server(echo)) {
            Connection c = connect(l, "/first", List.of("moq-lite-05"));
            // The client's QUIC connection, reached through a stream of the session.
            NettyStream probe = (NettyStream) c.openBidi().get(5, TimeUnit.SECONDS);
            QuicChannel quic = probe.channel().parent();
            c.eventLoop().execute(probe::finish);

            // We advertised one session per connection (SETTINGS_WT_MAX_SESSIONS = 1).
            CompletableFuture<Long> refused = new CompletableFuture<>();
            String authority = "127.0.0.1:" + l.localAddress().getPort();
            refusal(quic, QpackEncoder.headersFrame(WebTransportClient.requestFields(authority, "/second", List.of("moq-lite-05"))),
                    refused);

            assertThat(refused.get(5, TimeUnit.SECONDS)).isEqualTo(H3Connection.H3_REQUEST_REJECTED);
            assertThat(sessions).as("sessions started").hasValue(1);
            exchange(c);
            c.eventLoop().execute(() -> c.close(7, "bye"));
            assertThat(serverClosed.get(5, TimeUnit.SECONDS)).isEqualTo("7 bye");
        }
    }

    /**
     * Opens a bidi stream on {@code quic}, sends {@code request} on it and completes {@code refused}
     * with the code of the peer's reset; an answer or a FIN instead fails it.
     */
    private static void refusal(QuicChannel quic, ByteBuf request, CompletableFuture<Long> refused) {
        NettyStream[] holder = new NettyStream[1];
        quic.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInitializer<QuicStreamChannel>() {
            @Override
            protected void initChannel(QuicStreamChannel ch) {
                holder[0] = new NettyStream(ch, StreamCodes.IDENTITY);
                ch.pipeline().addLast(holder[0]);
            }
        }).addListener(f -> {
            holder[0].read(new ReadHandler() {
                @Override
                public void onData(ByteBuf data) {
                    data.release();
                    refused.completeExceptionally(new AssertionError("answered instead of refused"));
                }

                @Override
                public void onFin() {
                    refused.completeExceptionally(new AssertionError("FIN instead of a refusal"));
                }

                @Override
                public void onReset(long code) {
                    refused.complete(code);
                }
            });
            holder[0].write(request);
            holder[0].flush();
        });
    }

    private static CompletableFuture<String> readAll(RecvStream s) {
        CompletableFuture<String> done = new CompletableFuture<>();
        StringBuilder sb = new StringBuilder();
        s.read(new ReadHandler() {
            @Override
            public void onData(ByteBuf data) {
                sb.append(data.toString(StandardCharsets.UTF_8));
                data.release();
            }

            @Override
            public void onFin() {
                done.complete(sb.toString());
            }

            @Override
            public void onReset(long code) {
                done.completeExceptionally(new IllegalStateException("reset " + code));
            }
        });
        return done;
    }
}
