package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.moqrelay.it.RawMoqPeer.concat;
import static org.moqrelay.it.RawMoqPeer.encode;
import static org.moqrelay.it.RawMoqPeer.hex;
import static org.moqrelay.it.RawMoqPeer.varint;

import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.moqrelay.client.TrackReader;
import org.moqrelay.it.qmux.RawQmuxPeer;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.relay.server.RelayConfig;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.relay.server.TimeoutConfig;
import org.moqrelay.transport.qmux.wire.QmuxFrame;
import org.moqrelay.transport.qmux.wire.QmuxParams;
import org.moqrelay.wire.ErrorCode;
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
    /** The relay's qmux handshake timeout (the default 10 s would slow the test down). */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);
    /** The idle timeout our peer asks for, below the relay's 30 s: the shortest the relay runs. */
    private static final long IDLE_MILLIS = 1_000;
    /** The socket receive buffer of a peer that reads nothing: what the relay can have in flight to it stays small. */
    private static final int SMALL_RECEIVE_BUFFER = 4_096;
    /** The most a ping flood sends; the relay ends it long before. */
    private static final long FLOOD_BYTES = 16L << 20;
    private static final AtomicInteger names = new AtomicInteger();
    /** QUIC transport error codes (RFC 9000 §20.1). */
    private static final long FLOW_CONTROL_ERROR = 0x3;
    private static final long STREAM_LIMIT_ERROR = 0x4;
    private static final long FRAME_ENCODING_ERROR = 0x7;
    private static final long PROTOCOL_VIOLATION = 0xa;

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.of(QmuxBadInputTest::startRelay).withClients(2, "it-qmux-bad-input");

    private HealthyPair healthy;
    private RawQmuxPeer bad;
    /** A broadcast a test published inside the relay, or null. */
    private Broadcast big;

    enum Binding { WEBSOCKET, TCP }

    private static RelayServer startRelay() throws Exception {
        RelayConfig dev = RelayConfig.development(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0));
        return RelayServer.start(new RelayConfig(dev.serverBind(), null, null, dev.tlsGenerate(), dev.webHttpListen(),
                dev.auth(), LINGER_MILLIS, 0, new InetSocketAddress("127.0.0.1", 0), null).withQuicThreads(Relays.THREADS)
                .withTimeouts(new TimeoutConfig(TimeoutConfig.DEFAULT.httpRequest(), HANDSHAKE_TIMEOUT)));
    }

    @BeforeEach
    void startHealthyPair() throws Exception {
        healthy = HealthyPair.overTcp(relay.server(), relay.clients(), WAIT);
        healthy.assertFlowing(); // before the bad input
    }

    @AfterEach
    void tearDown() {
        try {
            if (bad != null) bad.close();
            if (big != null) relay.server().origin().unpublish(big);
        } finally {
            if (healthy != null) healthy.close();
        }
    }

    // ---------------------------------------------------------------- connecting

    /** Connected, nothing sent yet (the relay sends its parameters at once). */
    private static RawQmuxPeer connect(Binding b) throws Exception {
        return b == Binding.WEBSOCKET
                ? RawQmuxPeer.webSocket(URI.create("ws://127.0.0.1:" + relay.server().webAddress().getPort() + "/anon"),
                        "qmux-01.moq-lite-05")
                : RawQmuxPeer.tcp(relay.server().tcpAddress());
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
        // 0xde starts an 8-byte varint frame type; the message ends after 7 bytes.
        bad.sendMessage(hex("de ad be ef 01 02 03"));

        assertTransportClose(b, awaitEnd(bad, sent), FRAME_ENCODING_ERROR, "truncated frame type");
        healthy.assertFlowing();
    }

    @ParameterizedTest
    @EnumSource(Binding.class)
    void aFirstFrameOtherThanTransportParametersClosesThatSessionWithProtocolViolation(Binding b) throws Exception {
        bad = connect(b);
        bad.awaitRelayParams(WAIT);
        long sent = System.nanoTime();
        bad.sendFrames(new QmuxFrame.MaxData(1 << 20)); // a valid frame, but not QX_TRANSPORT_PARAMETERS

        assertTransportClose(b, awaitEnd(bad, sent), PROTOCOL_VIOLATION,
                "first frame must be QX_TRANSPORT_PARAMETERS, got MaxData[max=1048576]");
        healthy.assertFlowing();
    }

    @Test
    void aTcpRecordLargerThanTheMaxRecordSizeClosesThatSessionWithProtocolViolation() throws Exception {
        bad = connectReady(Binding.TCP);
        long sent = System.nanoTime();
        // Only the Size field of a 16383-byte record (max_record_size is 16382): the relay must refuse
        // on the Size alone. (Were the body sent too, the relay would close with it unread, and the
        // kernel would answer with a RST that may overtake its CONNECTION_CLOSE.)
        bad.sendRawBytes(varint(16_383));

        assertTransportClose(Binding.TCP, awaitEnd(bad, sent), PROTOCOL_VIOLATION,
                "record of 16383 bytes exceeds max_record_size 16382");
        healthy.assertFlowing();
    }

    @Test
    void aWebSocketMessageLargerThanOneMebibyteClosesThatSessionWith1009() throws Exception {
        // A hand-made WebSocket client, to send only the header of a binary frame of 1 MiB + 1 bytes
        // (FIN, binary, masked, 64-bit length, mask key): the relay must refuse on the header. (Were
        // the payload sent too, the relay would close with most of it unread, and the kernel would
        // answer with a RST that may overtake its Close frame.)
        bad = RawQmuxPeer.webSocketOverSocket(new InetSocketAddress("127.0.0.1", relay.server().webAddress().getPort()), "/anon",
                "qmux-01.moq-lite-05");
        bad.awaitRelayParams(WAIT);
        bad.sendParams(params(Binding.WEBSOCKET));
        long sent = System.nanoTime();
        bad.sendRawBytes(concat(hex("82 ff"), hex("00 00 00 00 00 10 00 01"), hex("12 34 56 78")));

        RawQmuxPeer.End end = awaitEnd(bad, sent);
        // Refused by the WebSocket frame decoder before qmux sees it: a Close frame, no qmux close.
        assertThat(end.close()).as("qmux CONNECTION_CLOSE (%s)", end).isNull();
        assertThat(end.how()).as("%s", end).isEqualTo("websocket-close");
        assertThat(end.webSocketStatus()).as("WebSocket close status (%s)", end).isEqualTo(1009);
        assertThat(end.detail()).isEqualTo("Max frame length of 1048576 has been exceeded.");
        healthy.assertFlowing();
    }

    @Test
    void aFragmentedWebSocketMessageLargerThanOneMebibyteClosesThatSessionWith1009() throws Exception {
        bad = connectReady(Binding.WEBSOCKET);
        long sent = System.nanoTime();
        // Three WebSocket frames of one message, 512 KiB + 512 KiB + 1 byte: each frame is small
        // enough, the message is not. The relay may close before the last part is out.
        try {
            bad.sendMessageInParts(new byte[1 << 19], new byte[1 << 19], new byte[1]);
        } catch (java.util.concurrent.ExecutionException e) {
            // the relay closed first: the close below is what counts
        }

        RawQmuxPeer.End end = awaitEnd(bad, sent);
        assertThat(end.close()).as("qmux CONNECTION_CLOSE (%s)", end).isNull();
        assertThat(end.how()).as("%s", end).isEqualTo("websocket-close");
        assertThat(end.webSocketStatus()).as("WebSocket close status (%s)", end).isEqualTo(1009);
        assertThat(end.detail()).isEqualTo("message too big");
        healthy.assertFlowing();
    }

    @ParameterizedTest
    @EnumSource(Binding.class)
    void aStreamOpenedBeyondTheStreamLimitClosesThatSessionWithStreamLimitError(Binding b) throws Exception {
        bad = connectReady(b);
        long sent = System.nanoTime();
        // Client bidi stream index 100 (id 400): initial_max_streams_bidi is 100, so 0..99 only.
        bad.writeStream(100L << 2, hex("00"), false);

        assertTransportClose(b, awaitEnd(bad, sent), STREAM_LIMIT_ERROR, "peer opened stream 400 beyond the limit");
        healthy.assertFlowing();
    }

    @Test
    void aLegacyWebSocketStreamFarBeyondTheOpenStreamCapClosesThatSessionWithStreamLimitError() throws Exception {
        // No subprotocol: the legacy framing, which has no stream credits. Opening a stream opens
        // every lower one too, so this one frame would otherwise have the relay create 2^59 streams.
        bad = RawQmuxPeer.webSocketLegacy(URI.create("ws://127.0.0.1:" + relay.server().webAddress().getPort() + "/anon"));
        long sent = System.nanoTime();
        bad.writeStream(1L << 61, hex("00"), false);

        assertTransportClose(Binding.WEBSOCKET, awaitEnd(bad, sent), STREAM_LIMIT_ERROR,
                "peer opened stream " + (1L << 61) + " beyond the limit");
        healthy.assertFlowing();
    }

    @Test
    void streamDataBeyondTheStreamCreditClosesThatWebSocketSessionWithFlowControlError() throws Exception {
        bad = connectReady(Binding.WEBSOCKET);
        long sent = System.nanoTime();
        // One STREAM frame of 262145 bytes on stream 0, in one message (allowed: < 1 MiB): one byte
        // beyond initial_max_stream_data_bidi_remote.
        bad.sendFrames(new QmuxFrame.Stream(0, 0, Unpooled.wrappedBuffer(new byte[262_145]), false));

        assertTransportClose(Binding.WEBSOCKET, awaitEnd(bad, sent), FLOW_CONTROL_ERROR, "stream 0 exceeded its credit");
        healthy.assertFlowing();
    }

    /**
     * On TCP a record carries at most 16382 bytes, and the relay extends a stream's window as data
     * arrives (once half of it is used), so a stream it reads can never be overrun. One it stopped
     * reading can: stream 0 opens with the unknown bidi stream type 0x00, which the relay answers
     * at once with RESET_STREAM and STOP_SENDING; we ignore that and send on, to one byte beyond
     * initial_max_stream_data_bidi_remote.
     */
    @Test
    void streamDataBeyondTheStreamCreditOfAStoppedStreamClosesThatTcpSessionWithFlowControlError() throws Exception {
        bad = connectReady(Binding.TCP);
        long sent = System.nanoTime();
        bad.writeStream(0, new byte[262_145], false); // 17 records of up to 16000 bytes

        assertTransportClose(Binding.TCP, awaitEnd(bad, sent), FLOW_CONTROL_ERROR, "stream 0 exceeded its credit");
        assertThat(bad.stream(0).resetCode()).as("the relay's RESET_STREAM of stream 0").isCompletedWithValue(
                (long) ErrorCode.UNEXPECTED_STREAM.code());
        healthy.assertFlowing();
    }

    @Test
    void aTextWebSocketMessageClosesThatSessionWithProtocolViolation() throws Exception {
        bad = connectReady(Binding.WEBSOCKET);
        long sent = System.nanoTime();
        bad.sendText("hello");

        assertTransportClose(Binding.WEBSOCKET, awaitEnd(bad, sent), PROTOCOL_VIOLATION, "text messages are not allowed");
        healthy.assertFlowing();
    }

    @ParameterizedTest
    @EnumSource(Binding.class)
    void aClientThatNeverSendsItsTransportParametersIsClosedWithHandshakeTimeout(Binding b) throws Exception {
        long connected = System.nanoTime();
        bad = connect(b);
        bad.awaitRelayParams(WAIT);

        assertTransportClose(b, awaitEnd(bad, connected), 0, "handshake timeout");
        healthy.assertFlowing();
    }

    /**
     * We ask for a 1 s idle timeout, then fall silent and answer nothing: the relay pings us (a
     * third of the timeout after it last heard from us), then closes without a CONNECTION_CLOSE,
     * as QUIC ends an idle connection.
     */
    @ParameterizedTest
    @EnumSource(Binding.class)
    void aSessionThatFallsSilentIsClosedAfterTheIdleTimeoutItAskedFor(Binding b) throws Exception {
        bad = connect(b);
        bad.awaitRelayParams(WAIT);
        long sent = System.nanoTime();
        bad.sendParams(params(b).withMaxIdleTimeoutMillis(IDLE_MILLIS));

        RawQmuxPeer.End end = awaitEnd(bad, sent);
        assertThat(end.close()).as("no CONNECTION_CLOSE on an idle timeout (%s)", end).isNull();
        assertThat(end.how()).as("%s", end).isEqualTo(b == Binding.WEBSOCKET ? "websocket-close" : "tcp-eof");
        assertThat(bad.pingRequests()).as("the relay's keep-alive QX_PINGs before it gave up").isPositive();
        healthy.assertFlowing();
    }

    @ParameterizedTest
    @EnumSource(Binding.class)
    void aSilentPeerThatAnswersTheKeepAlivePingsStaysConnected(Binding b) throws Exception {
        bad = connect(b);
        bad.awaitRelayParams(WAIT);
        bad.answerPings(true);
        bad.sendParams(params(b).withMaxIdleTimeoutMillis(IDLE_MILLIS));

        // A ping every third of the idle timeout: seven span more than two idle timeouts, during
        // which the peer sent nothing but the answers.
        bad.awaitPingRequests(7, WAIT);
        assertThat(bad.end()).as("the session of a peer that answers the pings%s", bad.diagnostics()).isNotDone();
        healthy.assertFlowing();
    }

    /**
     * A subscriber stops reading: its media stalls once the socket is full (media waits for the
     * link to be writable), and then it floods QX_PING requests. The relay must not queue an answer
     * to each without end, but end the session once a bounded backlog waits for it; without the
     * bound it would queue every answer, and the session would stay open.
     */
    @ParameterizedTest
    @EnumSource(Binding.class)
    void aPingFloodFromASubscriberThatReadsNothingClosesThatSession(Binding b) throws Exception {
        bad = stalledSubscriber(b);

        // QX_PING requests (type and sequence: two 8-byte varints), as many as a record holds.
        byte[] ping = concat(hex("f4 8c 67 52 9e f8 c7 bd"), varint(1L << 40));
        int perMessage = 16_000 / ping.length;
        byte[] message = new byte[perMessage * ping.length];
        for (int i = 0; i < perMessage; i++) System.arraycopy(ping, 0, message, i * ping.length, ping.length);
        long sent = flood(FLOOD_BYTES / message.length, perMessage, () -> bad.sendMessage(message));
        bad.resumeReading();

        RawQmuxPeer.End end = bad.awaitEnd(WAIT);
        assertThat(end.close()).as("a CONNECTION_CLOSE could not get past what the peer does not read (%s)", end).isNull();
        assertThat(bad.pingResponses()).as("answers to %d pings (%s)", sent, end).isLessThan(sent / 2);
        healthy.assertFlowing();
    }

    /** As above with WebSocket Ping frames, which the WebSocket layer answers with Pongs. */
    @Test
    void aWebSocketPingFloodFromASubscriberThatReadsNothingClosesThatSession() throws Exception {
        bad = stalledSubscriber(Binding.WEBSOCKET);

        // Ping frames: FIN + opcode 9, masked, 125 bytes of payload (the most), a zero mask key.
        int frame = 2 + 4 + 125;
        int perWrite = 1_000;
        byte[] pings = new byte[perWrite * frame];
        for (int i = 0; i < pings.length; i += frame) {
            pings[i] = (byte) 0x89;
            pings[i + 1] = (byte) (0x80 | 125);
        }
        long sent = flood(FLOOD_BYTES / pings.length, perWrite, () -> bad.sendRawBytes(pings));
        bad.resumeReading();

        RawQmuxPeer.End end = bad.awaitEnd(WAIT);
        assertThat(end.close()).as("a CONNECTION_CLOSE could not get past what the peer does not read (%s)", end).isNull();
        assertThat(bad.pongs()).as("Pongs to %d pings (%s)", sent, end).isLessThan(sent / 2);
        healthy.assertFlowing();
    }

    /**
     * A lite-05 peer with a small receive buffer that has stopped reading, subscribed to a group of
     * 8 MiB published inside the relay: more than the socket buffers take (Linux grows a send
     * buffer to 4 MiB by default), so the relay's socket fills with media and stays full. The
     * credit it grants never runs out, so that only the socket holds the media back.
     */
    private RawQmuxPeer stalledSubscriber(Binding b) throws Exception {
        String name = "big-" + names.incrementAndGet();
        big = Broadcast.local(Path.of("anon/" + name));
        relay.server().origin().publish(big);
        Group g = big.createTrack("video", TrackInfo.DEFAULT).createGroup(0);
        for (int i = 0; i < 128; i++) g.append(i, Unpooled.wrappedBuffer(new byte[64 * 1024]));

        RawQmuxPeer peer = b == Binding.WEBSOCKET
                ? RawQmuxPeer.webSocketOverSocket(new InetSocketAddress("127.0.0.1", relay.server().webAddress().getPort()), "/anon",
                        "qmux-01.moq-lite-05", SMALL_RECEIVE_BUFFER)
                : RawQmuxPeer.tcp(relay.server().tcpAddress(), SMALL_RECEIVE_BUFFER);
        peer.awaitRelayParams(WAIT);
        long lots = 1L << 40;
        QmuxParams p = params(b);
        peer.sendParams(new QmuxParams(p.maxIdleTimeoutMillis(), lots, lots, lots, lots, p.initialMaxStreamsBidi(),
                p.initialMaxStreamsUni(), p.maxDatagramFrameSize(), p.maxRecordSize(), p.resetStreamAt(), p.applicationProtocols()));
        peer.writeStream(peer.openUni(), concat(varint(StreamType.UNI_SETUP),
                encode(Setup.of(randomOrigin(), b == Binding.TCP ? "/anon" : null, null, null))), true);
        peer.pauseReading();
        peer.writeStream(peer.openBidi(), encode(StreamType.BIDI_SUBSCRIBE,
                new Subscribe(1, Path.of(name), "video", 0, false, 0, null, null)), false);
        return peer;
    }

    @FunctionalInterface
    private interface Send {
        void run() throws Exception;
    }

    /** Sends up to {@code times} times, until a send fails (the relay closed); returns the pings sent. */
    private static long flood(long times, long pingsEach, Send send) {
        long sent = 0;
        try {
            for (long i = 0; i < times; i++) {
                send.run();
                sent += pingsEach;
            }
        } catch (Exception e) {
            // the relay ended the session
        }
        return sent;
    }

    /**
     * A raw moq-lite-05 publisher over qmux announces a broadcast, is subscribed to by a viewer
     * inside the relay, writes one frame of group 0 and vanishes (WebSocket aborted without a
     * Close frame, TCP reset), with no CONNECTION_CLOSE and no FIN on the group stream. The relay
     * aborts the group at once (CANCEL), keeps the broadcast for its linger time, then withdraws it.
     */
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
        Broadcast evil = Relays.awaitAnnounced(relay.server().origin(), full, WAIT);

        // A viewer inside the relay makes it SUBSCRIBE upstream to us.
        Track video = evil.track("video");
        try (TrackReader viewer = new TrackReader(video, Demand.LATEST)) {
            Subscribe sub = serveUntilSubscribe(bad);
            assertThat(sub.track()).isEqualTo("video");

            // Group 0: one whole frame (timestamp delta 0, 5 bytes), and no FIN.
            bad.writeStream(bad.openUni(), concat(varint(StreamType.UNI_GROUP), encode(new GroupHeader(sub.id(), 0)),
                    varint(VarInts.zigzag(0)), varint(5), "frame".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), false);
            TrackReader.Received first = viewer.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(first).as("the viewer's first frame").isNotNull();
            assertThat(first.group()).isZero();
            assertThat(new String(first.payload(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("frame");
            Group g = video.group(0);
            assertThat(g.state()).isEqualTo(Group.State.OPEN);

            CompletableFuture<Group.State> groupEnded = groupEnd(g);
            long aborted = System.nanoTime();
            bad.abort();

            assertThat(groupEnded.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("group 0").isEqualTo(Group.State.ABORTED);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - aborted)).as("ms to abort group 0")
                    .isLessThan(PROMPT_MILLIS);
            assertThat(g.error()).isEqualTo(ErrorCode.CANCEL);
            assertThat(g.frameCount()).as("the frame that arrived stays readable").isEqualTo(1);
            assertThat(relay.server().origin().broadcast(full)).as("the broadcast lingers").isSameAs(evil);

            long gone = Relays.awaitUnannounced(relay.server().origin(), full, WAIT);
            assertThat(TimeUnit.NANOSECONDS.toMillis(gone - aborted)).as("ms from the abort to the withdrawal")
                    .isBetween(LINGER_MILLIS, LINGER_MILLIS + PROMPT_MILLIS);
        }
        healthy.assertFlowing();
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The relay sent a transport CONNECTION_CLOSE (0x1c: a QUIC transport error code, frame type 0)
     * with {@code code} and exactly {@code reason}, then closed the link: a WebSocket Close frame
     * without a status (1005), or a TCP FIN.
     */
    private static void assertTransportClose(Binding b, RawQmuxPeer.End end, long code, String reason) {
        assertThat(end.close()).as("the relay's CONNECTION_CLOSE (%s)", end).isNotNull();
        assertThat(end.close().application()).as("APPLICATION_CLOSE instead of CONNECTION_CLOSE (%s)", end).isFalse();
        assertThat(end.close().code()).as("CONNECTION_CLOSE code (%s)", end).isEqualTo(code);
        assertThat(end.close().frameType()).isZero();
        assertThat(end.close().reason()).isEqualTo(reason);
        if (b == Binding.WEBSOCKET) {
            assertThat(end.how()).as("%s", end).isEqualTo("websocket-close");
            assertThat(end.webSocketStatus()).as("WebSocket Close status: none given (%s)", end).isEqualTo(1005);
        } else {
            assertThat(end.how()).as("TCP closed with a FIN (%s)", end).isEqualTo("tcp-eof");
        }
    }

    private static RawQmuxPeer.End awaitEnd(RawQmuxPeer peer, long sentNanos) throws Exception {
        RawQmuxPeer.End end = peer.awaitEnd(WAIT);
        assertThat(end.millisSince(sentNanos)).as("ms from the bad input to the end of the session%s", peer.diagnostics())
                .isLessThan(PROMPT_MILLIS);
        assertThat(peer.decodeProblem()).as("what the relay sent must decode").isNull();
        return end;
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
