package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.moqrelay.it.RawMoqPeer.concat;
import static org.moqrelay.it.RawMoqPeer.encode;
import static org.moqrelay.it.RawMoqPeer.hex;
import static org.moqrelay.it.RawMoqPeer.varint;

import io.netty.buffer.Unpooled;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.moqrelay.client.TrackReader;
import org.moqrelay.it.RawMoqPeer.RawStream;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.VarInts;
import org.moqrelay.wire.lite.Announce;
import org.moqrelay.wire.lite.AnnounceOk;
import org.moqrelay.wire.lite.AnnounceRequest;
import org.moqrelay.wire.lite.GroupHeader;
import org.moqrelay.wire.lite.MessageKind;
import org.moqrelay.wire.lite.Setup;
import org.moqrelay.wire.lite.StreamType;
import org.moqrelay.wire.lite.Subscribe;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * A raw QUIC peer feeds the relay malformed or unexpected moq-lite-05 input while a healthy Java
 * publisher and subscriber stream through the same relay: the relay must deal with the bad peer
 * (close its session with the right code, or just refuse the one stream) and the healthy stream
 * must keep flowing before, during and after.
 */
class BadInputTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger names = new AtomicInteger();
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.of(Relays::startDev).withClients(2, "it-bad-input");

    private HealthyPair healthy;
    private RawMoqPeer bad;

    @BeforeEach
    void startHealthyPair() throws Exception {
        healthy = HealthyPair.overQuic(relay.server(), relay.clients(), WAIT);
        healthy.assertFlowing(); // before the bad input
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (bad != null) bad.close();
        } finally {
            if (healthy != null) healthy.close();
        }
    }

    // ---------------------------------------------------------------- SETUP

    @Test
    void aSetupWhoseParameterOverrunsTheMessageClosesThatConnectionWithDecode() throws Exception {
        bad = RawMoqPeer.connect(relay.clients(), relay.server());
        // len 4 | 1 parameter | id 5 (Origin), value length 5 but only 1 byte left in the message
        bad.sendSetup(hex("04 | 01 | 05 05 01"));

        assertClosedWith(bad, ErrorCode.DECODE);
        healthy.assertFlowing();
    }

    @Test
    void aSetupRepeatingAParameterClosesThatConnectionWithDuplicate() throws Exception {
        bad = RawMoqPeer.connect(relay.clients(), relay.server());
        // len 7 | 2 parameters | Origin=7 | Origin=8
        bad.sendSetup(hex("07 | 02 | 05 01 07 | 05 01 08"));

        assertClosedWith(bad, ErrorCode.DUPLICATE);
        healthy.assertFlowing();
    }

    // ---------------------------------------------------------------- unknown stream types

    @Test
    void anUnknownUniStreamTypeIsStoppedAndTheSessionStaysUsable() throws Exception {
        bad = connectWithSetup();
        RawStream unknown = bad.openUni(concat(varint(0x3f), hex("de ad be ef")));

        // The relay answers with STOP_SENDING (UnexpectedStream); the QUIC stack shows a sender
        // only that the stream is stopped, not the code.
        unknown.awaitStopSending(WAIT);

        assertSessionStillUsable(bad);
        healthy.assertFlowing();
    }

    @ParameterizedTest(name = "bidi stream type {0}")
    @ValueSource(longs = {0x00, 0x3f, 0x1234})
    void anUnknownBidiStreamTypeIsResetWithUnexpectedStreamAndTheSessionStaysUsable(long type) throws Exception {
        bad = connectWithSetup();
        RawStream unknown = bad.openBidi(concat(varint(type), hex("de ad be ef")));

        // The relay resets its half (and STOP_SENDINGs ours) with UnexpectedStream.
        assertThat(unknown.resetCode().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("RESET_STREAM code of the relay's half").isEqualTo(ErrorCode.UNEXPECTED_STREAM.code());

        assertSessionStillUsable(bad);
        healthy.assertFlowing();
    }

    @Test
    void aLegacyClientSetupStreamOnAMoqLite05SessionClosesItWithVersion() throws Exception {
        bad = connectWithSetup();
        // 0x20 opens the lite-01/02 handshake (moq-lite.md §4.1); on a moq-lite-05 ALPN session the
        // relay treats it as a version mismatch rather than as an unknown stream type.
        bad.openBidi(concat(varint(StreamType.BIDI_CLIENT_SETUP), hex("00 01 00")));

        assertClosedWith(bad, ErrorCode.VERSION);
        healthy.assertFlowing();
    }

    // ---------------------------------------------------------------- oversize input

    @Test
    void aGroupFrameDeclaringSixtyFourMebibytesClosesThePublisherWithFrameTooLarge() throws Exception {
        long peerOrigin = randomOrigin();
        bad = RawMoqPeer.connect(relay.clients(), relay.server());
        bad.sendSetup(encode(Setup.of(peerOrigin, "/anon", null, null)));

        // The relay asks for our broadcasts; we announce one.
        RawStream announces = bad.acceptBidi(WAIT);
        assertThat(announces.readType(WAIT)).isEqualTo(StreamType.BIDI_ANNOUNCE);
        AnnounceRequest request = (AnnounceRequest) announces.read(MessageKind.ANNOUNCE_REQUEST, WAIT);
        assertThat(request.prefix()).isEqualTo(Path.ROOT);
        String name = "evil-" + names.incrementAndGet();
        announces.write(new AnnounceOk(peerOrigin, 1)).write(new Announce(Announce.Status.ACTIVE, Path.of(name), List.of()));
        Broadcast evil = Relays.awaitAnnounced(relay.server().origin(), Path.of("anon/" + name), 10);

        // A viewer inside the relay makes it SUBSCRIBE upstream to us.
        Track video = evil.track("video");
        try (TrackReader viewer = new TrackReader(video, Demand.LATEST)) {
            Subscribe sub = serveUntilSubscribe(bad);
            assertThat(sub.broadcast()).isEqualTo(Path.of(name));
            assertThat(sub.track()).isEqualTo("video");

            // Group stream: GROUP header, then a frame (timestamp delta 0) declaring 64 MiB.
            bad.openUni(concat(varint(StreamType.UNI_GROUP), encode(new GroupHeader(sub.id(), 0)),
                    varint(VarInts.zigzag(0)), varint(64L * 1024 * 1024)));

            assertClosedWith(bad, ErrorCode.FRAME_TOO_LARGE);
            Group g = video.group(0);
            assertThat(g).as("group the relay's GroupReader started").isNotNull();
            assertThat(g.state()).isEqualTo(Group.State.ABORTED);
            assertThat(g.error()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(g.frameCount()).isZero();
        }
        healthy.assertFlowing();
    }

    @Test
    void anAnnounceRequestWhoseLengthExceedsSixtyFourKibibytesClosesThatConnectionWithDecode() throws Exception {
        bad = connectWithSetup();
        // type 1 (Announce) | message length 65537 (4-byte varint) | a few body bytes; the rest never comes
        bad.openBidi(concat(varint(StreamType.BIDI_ANNOUNCE), varint(64 * 1024 + 1), hex("00 00 00 00")));

        assertClosedWith(bad, ErrorCode.DECODE);
        healthy.assertFlowing();
    }

    @Test
    void aSubscribeWithTrailingBytesInsideItsLengthClosesThatConnectionWithDecode() throws Exception {
        bad = connectWithSetup();
        // A SUBSCRIBE to the healthy track, otherwise valid, whose length covers two extra bytes.
        byte[] valid = encode(new Subscribe(0, Path.of(healthy.name), "frames", 0, false, 0, null, null));
        bad.openBidi(concat(varint(StreamType.BIDI_SUBSCRIBE), withTrailingBytes(valid, hex("ff ff"))));

        assertClosedWith(bad, ErrorCode.DECODE);
        assertThat(bad.drainRelayUni()).extracting(RawStream::peekType)
                .as("relay uni stream types: no group stream for the malformed SUBSCRIBE")
                .doesNotContain((long) StreamType.UNI_GROUP);
        healthy.assertFlowing();
    }

    // ---------------------------------------------------------------- before SETUP

    @Test
    void bidiStreamsOpenedBeforeSetupAreHeldAndServedOnceSetupArrives() throws Exception {
        bad = RawMoqPeer.connect(relay.clients(), relay.server());
        RawStream held = bad.openBidi(encode(StreamType.BIDI_ANNOUNCE, new AnnounceRequest(Path.ROOT, 0)));
        // A stream the relay refuses at once, whatever the SETUP state: by the time its reset is
        // back the relay has had its chance to (wrongly) answer the held one.
        RawStream refused = bad.openBidi(concat(varint(0x3f), hex("00")));
        assertThat(refused.resetCode().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(ErrorCode.UNEXPECTED_STREAM.code());
        assertThat(held.available()).as("bytes answered before SETUP").isZero();
        assertThat(held.resetCode()).isNotDone();
        assertThat(bad.pendingRelayBidi()).as("relay streams opened before SETUP (its ANNOUNCE_REQUEST needs the root)").isZero();

        bad.sendSetup(encode(Setup.of(randomOrigin(), "/anon", null, null)));

        // Served with the root from SETUP: the healthy broadcast under /anon is listed.
        assertThat(readAnnounced(held)).contains(Path.of(healthy.name));
        assertThat(bad.closed()).isNotDone();
        healthy.assertFlowing();
    }

    @Test
    void moreThanAQuarterMebibyteHeldBeforeSetupClosesThatConnectionWithBoundsExceeded() throws Exception {
        bad = RawMoqPeer.connect(relay.clients(), relay.server());
        // A stream of a served type with no SETUP yet: the relay holds its bytes, but not without bound.
        bad.openBidi(concat(varint(StreamType.BIDI_ANNOUNCE), new byte[300 * 1024]));
        RawMoqPeer.Close close = bad.awaitClose(WAIT);
        assertThat(close.application()).isTrue();
        assertThat(close.code()).isEqualTo(ErrorCode.BOUNDS_EXCEEDED.code());
        healthy.assertFlowing();
    }

    /** The relay's SETUP timeout is a fixed 10 s, so this one is slow: opt in with -Dmoq.it.slow=true. */
    @Test
    @EnabledIfSystemProperty(named = "moq.it.slow", matches = "true")
    void aRawQuicSessionThatNeverSendsSetupIsClosedWithTimeoutAfterTenSeconds() throws Exception {
        bad = RawMoqPeer.connect(relay.clients(), relay.server());
        long start = System.nanoTime();
        RawMoqPeer.Close close = bad.awaitClose(Duration.ofSeconds(20));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(close.application()).isTrue();
        assertThat(close.code()).isEqualTo(ErrorCode.TIMEOUT.code());
        assertThat(tookMillis).isBetween(9_000L, 15_000L);
        healthy.assertFlowing();
    }

    // ---------------------------------------------------------------- helpers

    private static RawMoqPeer connectWithSetup() throws Exception {
        RawMoqPeer p = RawMoqPeer.connect(relay.clients(), relay.server());
        p.sendSetup(encode(Setup.of(randomOrigin(), "/anon", null, null)));
        return p;
    }

    private static long randomOrigin() {
        return 1 + (new SecureRandom().nextLong() & ((1L << 53) - 2));
    }

    private static void assertClosedWith(RawMoqPeer peer, ErrorCode code) throws Exception {
        RawMoqPeer.Close close = peer.awaitClose(WAIT);
        assertThat(close.application()).as("application close (%s)", close).isTrue();
        assertThat(close.code()).as("close code (%s)", close).isEqualTo(code.code());
    }

    /** The peer can still ask for announcements and gets ANNOUNCE_OK from the relay, listing the healthy broadcast. */
    private void assertSessionStillUsable(RawMoqPeer peer) throws Exception {
        RawStream announces = peer.openBidi(encode(StreamType.BIDI_ANNOUNCE, new AnnounceRequest(Path.ROOT, 0)));
        assertThat(readAnnounced(announces)).contains(Path.of(healthy.name));
        assertThat(peer.closed()).as("bad peer's connection").isNotDone();
    }

    /** Reads ANNOUNCE_OK (from the relay) and the initial ANNOUNCEs it promises; returns their suffixes. */
    private static List<Path> readAnnounced(RawStream announces) throws Exception {
        AnnounceOk ok = (AnnounceOk) announces.read(MessageKind.ANNOUNCE_OK, WAIT);
        assertThat(ok.origin()).as("ANNOUNCE_OK origin").isEqualTo(relay.server().relayId());
        List<Path> active = new ArrayList<>();
        for (long i = 0; i < ok.activeCount(); i++) {
            Announce a = (Announce) announces.read(MessageKind.ANNOUNCE, WAIT);
            assertThat(a.active()).isTrue();
            active.add(a.suffix());
        }
        return active;
    }

    /** Answers the relay's TRACK requests until it SUBSCRIBEs, and returns that SUBSCRIBE. */
    private static Subscribe serveUntilSubscribe(RawMoqPeer peer) throws Exception {
        while (true) {
            RawStream s = peer.acceptBidi(WAIT);
            long type = s.readType(WAIT);
            if (type == StreamType.BIDI_SUBSCRIBE) {
                return (Subscribe) s.read(MessageKind.SUBSCRIBE, WAIT);
            }
            assertThat(type).as("relay stream type").isEqualTo(StreamType.BIDI_TRACK);
            s.read(MessageKind.TRACK, WAIT);
            s.write(TrackInfo.DEFAULT).finish();
        }
    }

    /** {@code message} (size-prefixed) with {@code extra} appended inside its size. */
    private static byte[] withTrailingBytes(byte[] message, byte[] extra) {
        var buf = Unpooled.wrappedBuffer(message);
        long size = VarInts.read(buf);
        byte[] body = new byte[buf.readableBytes()];
        buf.readBytes(body);
        assertThat(body).hasSize((int) size);
        return concat(varint(size + extra.length), body, extra);
    }
}
