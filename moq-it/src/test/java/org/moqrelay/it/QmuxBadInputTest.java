package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.moqrelay.it.RawMoqPeer.concat;
import static org.moqrelay.it.RawMoqPeer.encode;
import static org.moqrelay.it.RawMoqPeer.hex;
import static org.moqrelay.it.RawMoqPeer.varint;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.moqrelay.client.TrackReader;
import org.moqrelay.it.qmux.HealthyPair;
import org.moqrelay.it.qmux.RawQmuxPeer;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.relay.server.RelayConfig;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.transport.qmux.wire.QmuxFrame;
import org.moqrelay.transport.qmux.wire.QmuxParams;
import org.moqrelay.transport.quic.EventLoops;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.VarInts;
import org.moqrelay.wire.lite.Announce;
import org.moqrelay.wire.lite.AnnounceOk;
import org.moqrelay.wire.lite.AnnounceRequest;
import org.moqrelay.wire.lite.GroupHeader;
import org.moqrelay.wire.lite.LiteCodec;
import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.MessageKind;
import org.moqrelay.wire.lite.Setup;
import org.moqrelay.wire.lite.StreamType;
import org.moqrelay.wire.lite.Subscribe;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * A raw qmux peer ({@link RawQmuxPeer}) feeds the relay bad input on its two qmux bindings, qmux-01
 * over WebSocket ({@code qmux-01.moq-lite-05}, spec/transports.md §3) and plain TCP (§4), while a
 * healthy Java publisher (over TCP qmux) and subscriber (over raw QUIC) stream through the same
 * relay ({@link HealthyPair}). In every case the relay must end THAT session promptly, with the
 * close this test pins, and the healthy stream must keep flowing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QmuxBadInputTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How soon after the bad input the relay must have ended the session. */
    private static final long PROMPT_MILLIS = 5_000;
    /** Linger of a broadcast whose publisher vanished (the default 5 s would slow the test down). */
    private static final long LINGER_MILLIS = 1_500;
    private static final AtomicInteger names = new AtomicInteger();

    static RelayServer relay;
    static EventLoopGroup clients;

    private HealthyPair healthy;
    private RawQmuxPeer bad;

    enum Binding { WEBSOCKET, TCP }

    @BeforeAll
    static void start() throws Exception {
        RelayConfig dev = RelayConfig.development(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0));
        relay = RelayServer.start(new RelayConfig(dev.serverBind(), null, null, dev.tlsGenerate(), dev.webHttpListen(),
                dev.authPublic(), LINGER_MILLIS, 0, new InetSocketAddress("127.0.0.1", 0)));
        clients = EventLoops.newGroup(2, "it-qmux-bad-input");
    }

    @AfterAll
    static void stop() {
        if (relay != null) relay.close();
        if (clients != null) clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
    }

    @BeforeEach
    void startHealthyPair() throws Exception {
        healthy = HealthyPair.start(relay, clients, WAIT);
        healthy.assertFlowing(); // before the bad input
    }

    @AfterEach
    void tearDown() {
        try {
            if (bad != null) bad.close();
        } finally {
            if (healthy != null) healthy.close();
        }
    }

    // ---------------------------------------------------------------- connecting

    /** Connected, nothing sent yet (the relay sends its parameters at once). */
    private static RawQmuxPeer connect(Binding b) throws Exception {
        return b == Binding.WEBSOCKET
                ? RawQmuxPeer.webSocket(URI.create("ws://127.0.0.1:" + relay.webAddress().getPort() + "/anon"), "qmux-01.moq-lite-05")
                : RawQmuxPeer.tcp(relay.tcpAddress());
    }

    /** Our parameters: the recommended ones, plus in-band ALPN moq-lite-05 on TCP. */
    private static QmuxParams params(Binding b) {
        return b == Binding.WEBSOCKET ? QmuxParams.DEFAULTS
                : QmuxParams.DEFAULTS.withApplicationProtocols(List.of(LiteVersion.LITE_05.alpn()));
    }

    /** Connected, the relay's parameters received and ours sent: a well-behaved start. */
    private static RawQmuxPeer connectReady(Binding b) throws Exception {
        RawQmuxPeer p = connect(b);
        QmuxParams relayParams = p.awaitRelayParams(WAIT);
        assertThat(relayParams.initialMaxStreamsBidi()).as("relay's initial_max_streams_bidi").isEqualTo(100);
        assertThat(relayParams.initialMaxStreamDataBidiRemote()).as("relay's initial_max_stream_data_bidi_remote").isEqualTo(262_144);
        p.sendParams(params(b));
        return p;
    }

    // ---------------------------------------------------------------- cases

    @ParameterizedTest
    @EnumSource(Binding.class)
    void garbageInsteadOfAFrameClosesThatSessionWithFrameEncodingError(Binding b) throws Exception {
        bad = connectReady(b);
        long sent = System.nanoTime();
        bad.sendMessage(hex("de ad be ef 01 02 03"));

        RawQmuxPeer.End end = awaitEnd(bad, sent);
        System.out.println("OBSERVED garbage " + b + ": " + end);
        healthy.assertFlowing();
    }

    @ParameterizedTest
    @EnumSource(Binding.class)
    void aFirstFrameOtherThanTransportParametersClosesThatSessionWithProtocolViolation(Binding b) throws Exception {
        bad = connect(b);
        bad.awaitRelayParams(WAIT);
        long sent = System.nanoTime();
        bad.sendFrames(new QmuxFrame.MaxData(1 << 20));

        RawQmuxPeer.End end = awaitEnd(bad, sent);
        System.out.println("OBSERVED first-frame " + b + ": " + end);
        healthy.assertFlowing();
    }

    @Test
    void aTcpRecordLargerThanTheMaxRecordSizeClosesThatSession() throws Exception {
        bad = connectReady(Binding.TCP);
        long sent = System.nanoTime();
        bad.sendMessage(new byte[16_383]); // a record of 16383 bytes; max_record_size is 16382

        RawQmuxPeer.End end = awaitEnd(bad, sent);
        System.out.println("OBSERVED oversize record: " + end);
        healthy.assertFlowing();
    }

    @Test
    void aWebSocketMessageLargerThanOneMebibyteClosesThatSession() throws Exception {
        bad = connectReady(Binding.WEBSOCKET);
        long sent = System.nanoTime();
        sendIgnoringFailure(bad, new byte[(1 << 20) + 1]);

        RawQmuxPeer.End end = awaitEnd(bad, sent);
        System.out.println("OBSERVED oversize ws: " + end);
        healthy.assertFlowing();
    }

    @ParameterizedTest
    @EnumSource(Binding.class)
    void aStreamOpenedBeyondTheStreamLimitClosesThatSessionWithStreamLimitError(Binding b) throws Exception {
        bad = connectReady(b);
        long sent = System.nanoTime();
        bad.writeStream(100L << 2, hex("00"), false); // client bidi index 100: the limit is 100 streams

        RawQmuxPeer.End end = awaitEnd(bad, sent);
        System.out.println("OBSERVED stream limit " + b + ": " + end);
        healthy.assertFlowing();
    }

    @Test
    void streamDataBeyondTheStreamCreditClosesThatWebSocketSessionWithFlowControlError() throws Exception {
        bad = connectReady(Binding.WEBSOCKET);
        long sent = System.nanoTime();
        // One STREAM frame of 262145 bytes on stream 0: one byte beyond initial_max_stream_data_bidi_remote.
        bad.sendFrames(new QmuxFrame.Stream(0, 0, io.netty.buffer.Unpooled.wrappedBuffer(new byte[262_145]), false));

        RawQmuxPeer.End end = awaitEnd(bad, sent);
        System.out.println("OBSERVED credit ws: " + end);
        healthy.assertFlowing();
    }

    @Test
    void streamDataBeyondTheStreamCreditOverTcp() throws Exception {
        bad = connectReady(Binding.TCP);
        long sent = System.nanoTime();
        bad.writeStream(0, new byte[400_000], false);

        RawQmuxPeer.End end = awaitEnd(bad, sent);
        System.out.println("OBSERVED credit tcp: " + end);
        healthy.assertFlowing();
    }

    @Test
    void aTextWebSocketMessageClosesThatSession() throws Exception {
        bad = connectReady(Binding.WEBSOCKET);
        long sent = System.nanoTime();
        bad.sendText("hello");

        RawQmuxPeer.End end = awaitEnd(bad, sent);
        System.out.println("OBSERVED text: " + end);
        healthy.assertFlowing();
    }

    @ParameterizedTest
    @EnumSource(Binding.class)
    void anAbruptCloseInTheMiddleOfAGroupAbortsTheGroupAndTheBroadcastLingers(Binding b) throws Exception {
        long origin = randomOrigin();
        String name = "qmux-evil-" + names.incrementAndGet();
        bad = connectReady(b);
        // lite-05 SETUP: the path comes from the URL on WebSocket, from SETUP on TCP.
        bad.writeStream(bad.openUni(), concat(varint(StreamType.UNI_SETUP),
                encode(Setup.of(origin, b == Binding.TCP ? "/anon" : null, null, null))), true);

        // The relay asks for our broadcasts; we announce one.
        long announces = bad.acceptBidi(WAIT);
        assertThat(readType(bad, announces)).isEqualTo(StreamType.BIDI_ANNOUNCE);
        AnnounceRequest request = (AnnounceRequest) read(bad, announces, MessageKind.ANNOUNCE_REQUEST);
        assertThat(request.prefix()).isEqualTo(Path.ROOT);
        bad.writeStream(announces, concat(encode(new AnnounceOk(origin, 1)),
                encode(new Announce(Announce.Status.ACTIVE, Path.of(name), List.of()))), false);
        Path full = Path.of("anon/" + name);
        Broadcast evil = HealthyPair.awaitAnnounced(relay.origin(), full, WAIT);

        // A viewer inside the relay makes it SUBSCRIBE upstream to us.
        Track video = evil.track("video");
        try (TrackReader viewer = new TrackReader(video, Demand.LATEST)) {
            Subscribe sub = serveUntilSubscribe(bad);
            assertThat(sub.track()).isEqualTo("video");

            // Group 0: one whole frame, then the connection drops mid-group (no FIN, no CONNECTION_CLOSE).
            long groupStream = bad.openUni();
            bad.writeStream(groupStream, concat(varint(StreamType.UNI_GROUP), encode(new GroupHeader(sub.id(), 0)),
                    varint(VarInts.zigzag(0)), varint(5), "frame".getBytes()), false);
            TrackReader.Received first = viewer.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(first).as("the viewer's first frame").isNotNull();
            assertThat(first.group()).isZero();
            assertThat(new String(first.payload())).isEqualTo("frame");
            Group g = video.group(0);
            assertThat(g.state()).isEqualTo(Group.State.OPEN);

            CompletableFuture<Group.State> ended = groupEnd(g);
            long aborted = System.nanoTime();
            bad.abort();

            Group.State state = ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            System.out.println("OBSERVED abrupt " + b + ": group " + state + " " + g.error() + " after "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - aborted) + " ms; broadcast now " + relay.origin().broadcast(full));
            long gone = HealthyPair.awaitUnannounced(relay.origin(), full, WAIT);
            System.out.println("OBSERVED abrupt " + b + ": unannounced after " + TimeUnit.NANOSECONDS.toMillis(gone - aborted) + " ms");
        }
        healthy.assertFlowing();
    }

    // ---------------------------------------------------------------- helpers

    private static RawQmuxPeer.End awaitEnd(RawQmuxPeer peer, long sentNanos) throws Exception {
        RawQmuxPeer.End end = peer.awaitEnd(WAIT);
        assertThat(end.millisSince(sentNanos)).as("ms from the bad input to the end of the session%s", peer.diagnostics())
                .isLessThan(PROMPT_MILLIS);
        assertThat(peer.decodeProblem()).as("what the relay sent must decode").isNull();
        return end;
    }

    /** Sends a message the relay may refuse mid-way (the failed send is then the expected outcome). */
    private static void sendIgnoringFailure(RawQmuxPeer peer, byte[] body) {
        try {
            peer.sendMessage(body);
        } catch (Exception e) {
            System.out.println("send failed: " + e);
        }
    }

    private static CompletableFuture<Group.State> groupEnd(Group g) {
        CompletableFuture<Group.State> f = new CompletableFuture<>();
        g.addListener(x -> {
            if (x.state() != Group.State.OPEN) f.complete(x.state());
        });
        if (g.state() != Group.State.OPEN) f.complete(g.state());
        return f;
    }

    private static long readType(RawQmuxPeer peer, long stream) throws Exception {
        return peer.stream(stream).await(WAIT, "stream type", buf -> VarInts.peekLength(buf) < 0 ? null : VarInts.read(buf));
    }

    private static LiteMessage read(RawQmuxPeer peer, long stream, MessageKind kind) throws Exception {
        return peer.stream(stream).await(WAIT, kind.toString(), buf -> LiteCodec.decode(buf, kind, LiteVersion.LITE_05));
    }

    /** Answers the relay's TRACK requests until it SUBSCRIBEs, and returns that SUBSCRIBE. */
    private static Subscribe serveUntilSubscribe(RawQmuxPeer peer) throws Exception {
        while (true) {
            long s = peer.acceptBidi(WAIT);
            long type = readType(peer, s);
            if (type == StreamType.BIDI_SUBSCRIBE) {
                return (Subscribe) read(peer, s, MessageKind.SUBSCRIBE);
            }
            assertThat(type).as("relay stream type").isEqualTo(StreamType.BIDI_TRACK);
            read(peer, s, MessageKind.TRACK);
            peer.writeStream(s, encode(TrackInfo.DEFAULT), true);
        }
    }

    private static long randomOrigin() {
        return 1 + (new SecureRandom().nextLong() & ((1L << 53) - 2));
    }
}
