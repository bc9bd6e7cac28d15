package org.moqrelay.wire.lite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.moqrelay.wire.LiteVersion.LITE_01;
import static org.moqrelay.wire.LiteVersion.LITE_02;
import static org.moqrelay.wire.LiteVersion.LITE_03;
import static org.moqrelay.wire.LiteVersion.LITE_04;
import static org.moqrelay.wire.LiteVersion.LITE_05;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.moqrelay.wire.DecodeException;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Hex;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.VarInts;

/**
 * Golden vectors from spec/moq-lite.md §12 (JS encoder output) and spec/chromium-captures.md §3 (real
 * Chromium bytes). The stream-type varint that opens a stream is not part of a message, so the
 * vectors below start after it; each one is checked both ways: decode(hex) == record and
 * encode(record) == hex.
 */
class LiteCodecVectorsTest {

    private static final Path BBB = Path.of("bbb");
    private static final long CHROMIUM_ORIGIN = 0x1fe5377124c772L;

    /** Asserts decode(wire) == expected (consuming every byte) and encode(expected) == wire. */
    private static void assertVector(LiteVersion v, MessageKind kind, LiteMessage expected, String... wire) {
        byte[] bytes = Hex.bytes(wire);
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        assertThat(LiteCodec.decode(in, kind, v)).as("decode %s on %s", kind, v).isEqualTo(expected);
        assertThat(in.readableBytes()).as("bytes left after decode").isZero();

        ByteBuf out = Unpooled.buffer();
        LiteCodec.encode(out, expected, v);
        assertThat(Hex.of(out)).as("encode %s on %s", expected, v).isEqualTo(Hex.of(bytes));
    }

    /** Asserts only decode(wire) == expected, for vectors whose encoding is not unique. */
    private static void assertDecodes(LiteVersion v, MessageKind kind, LiteMessage expected, String... wire) {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes(wire));
        assertThat(LiteCodec.decode(in, kind, v)).as("decode %s on %s", kind, v).isEqualTo(expected);
        assertThat(in.readableBytes()).as("bytes left after decode").isZero();
    }

    // ================================================================ 12.1 SETUP (lite-05, uni type 0x01)

    @Test
    void clientSetupWithOriginMatchesSection12_1() {
        assertVector(LITE_05, MessageKind.SETUP, Setup.of(0x1234, null, null, null),
                "05",          // message length 5
                "01",          // 1 parameter
                "05 02 52 34"  // id 5 (Origin), length 2, varint 0x1234
        );
    }

    @Test
    void relaySetupWithProbeAndOriginMatchesSection12_1() {
        Setup setup = Setup.of(5, null, null, 1L);
        assertVector(LITE_05, MessageKind.SETUP, setup,
                "07",        // message length 7
                "02",        // 2 parameters
                "01 01 01",  // id 1 (Probe), length 1, Report
                "05 01 05"   // id 5 (Origin), length 1, 5
        );
        assertThat(setup.probe()).isEqualTo(1);
        assertThat(setup.origin()).isEqualTo(5);
    }

    @Test
    void setupParametersDecodeInAnyOrder() {
        // §4.3: order is arbitrary (Rust keeps a HashMap); the same two parameters, Origin first.
        assertDecodes(LITE_05, MessageKind.SETUP, Setup.of(5, null, null, 1L),
                "07",        // message length 7
                "02",        // 2 parameters
                "05 01 05",  // id 5 (Origin), length 1, 5
                "01 01 01"   // id 1 (Probe), length 1, Report
        );
    }

    @Test
    void nativeClientSetupWithPathAndRoleMatchesSection12_1() {
        Setup setup = Setup.of(0, "/anon?jwt=x", 2L, null);
        assertVector(LITE_05, MessageKind.SETUP, setup,
                "11",                                   // message length 17
                "02",                                   // 2 parameters
                "02 0b 2f 61 6e 6f 6e 3f 6a 77 74 3d 78", // id 2 (Path), length 11, "/anon?jwt=x"
                "03 01 02"                              // id 3 (Role), length 1, Subscriber
        );
        assertThat(setup.path()).isEqualTo("/anon?jwt=x");
        assertThat(setup.role()).isEqualTo(2);
        assertThat(setup.origin()).isZero();
    }

    @Test
    void chromiumSetupCarriesItsOriginAsAnEightByteVarint() {
        Setup setup = Setup.of(CHROMIUM_ORIGIN, null, null, null);
        assertVector(LITE_05, MessageKind.SETUP, setup,
                "0b",                            // message length 11
                "01",                            // 1 parameter
                "05 08",                         // id 5 (Origin), length 8
                "c0 1f e5 37 71 24 c7 72"        // varint 0x1fe5377124c772
        );
        assertThat(setup.origin()).isEqualTo(CHROMIUM_ORIGIN);
        assertThat(setup.probe()).isZero();
        assertThat(setup.path()).isNull();
    }

    @Test
    void serverSetupFromTheChromiumCaptureDecodes() {
        assertVector(LITE_05, MessageKind.SETUP, Setup.of(0x2a, null, null, 1L),
                "07",        // message length 7
                "02",        // 2 parameters
                "01 01 01",  // id 1 (Probe), length 1, Report
                "05 01 2a"   // id 5 (Origin), length 1, 0x2a
        );
    }

    @Test
    void setupToleratesUnknownParameterIds() {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes(
                "0a",           // message length 10
                "03",           // 3 parameters
                "04 01 07",     // id 4 (Cost, lite-06 only), length 1, 7
                "40 63 00",     // id 0x63 (unknown, non-minimal 2-byte id), length 0
                "05 01 2a"      // id 5 (Origin), length 1, 0x2a
        ));
        Setup decoded = (Setup) LiteCodec.decode(in, MessageKind.SETUP, LITE_05);
        assertThat(decoded.origin()).isEqualTo(0x2a);
        assertThat(decoded.parameters()).containsOnlyKeys(4L, 0x63L, 5L);
        assertThat(decoded.role()).isZero();
        assertThat(decoded.probe()).isZero();
    }

    @Test
    void aRepeatedSetupParameterIsADuplicateError() {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes(
                "07",        // message length 7
                "02",        // 2 parameters
                "05 01 05",  // id 5 (Origin), length 1, 5
                "05 01 06"   // id 5 again
        ));
        assertThatThrownBy(() -> LiteCodec.decode(in, MessageKind.SETUP, LITE_05))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE));
    }

    @Test
    void aSetupParameterLongerThanTheRestOfTheMessageIsADecodeError() {
        // The declared value length (4) fits the bytes left *including* the length varint, but not after it.
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes(
                "06",          // message length 6
                "01",          // 1 parameter
                "00",          // id 0
                "04",          // length 4
                "00 00 00"     // only 3 value bytes left in the message
        ));
        assertThatThrownBy(() -> LiteCodec.decode(in, MessageKind.SETUP, LITE_05))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DECODE));
    }

    @Test
    void moreThanSixtyFourSetupParametersAreRejected() {
        ByteBuf in = Unpooled.buffer();
        in.writeShort(0x4000 | (2 + 65 * 3));  // message length 197
        in.writeShort(0x4000 | 65);            // 65 parameters
        for (int id = 0; id < 65; id++) {
            in.writeShort(0x4000 | id);         // id (2-byte varint)
            in.writeByte(0);                    // length 0
        }
        assertThatThrownBy(() -> LiteCodec.decode(in, MessageKind.SETUP, LITE_05))
                .isInstanceOf(DecodeException.class);
    }

    // ================================================================ 12.3 ANNOUNCE_REQUEST (bidi type 0x01)

    @Test
    void lite05AnnounceRequestForTheRootMatchesSection12_3() {
        assertVector(LITE_05, MessageKind.ANNOUNCE_REQUEST, new AnnounceRequest(Path.ROOT, 0x1234),
                "03",     // message length 3
                "00",     // prefix "" (root)
                "52 34"   // exclude hop 0x1234
        );
    }

    @Test
    void lite05AnnounceRequestForDemoMatchesSection12_3() {
        assertVector(LITE_05, MessageKind.ANNOUNCE_REQUEST, new AnnounceRequest(Path.of("demo"), 0),
                "06",              // message length 6
                "04 64 65 6d 6f",  // prefix "demo"
                "00"               // exclude hop 0 (none)
        );
    }

    @Test
    void lite04AnnounceRequestCarriesTheExcludeHop() {
        assertVector(LITE_04, MessageKind.ANNOUNCE_REQUEST, new AnnounceRequest(Path.of("room"), 7),
                "06",              // message length 6
                "04 72 6f 6f 6d",  // prefix "room"
                "07"               // exclude hop 7
        );
    }

    @Test
    void lite03AnnounceRequestHasNoExcludeHop() {
        assertVector(LITE_03, MessageKind.ANNOUNCE_REQUEST, new AnnounceRequest(Path.of("room"), 0),
                "05",             // message length 5
                "04 72 6f 6f 6d"  // prefix "room"
        );
    }

    @Test
    void chromiumAnnounceRequestsMatchTheCapture() {
        // Server → client: prefix "", exclude hop 0x2a.
        assertVector(LITE_05, MessageKind.ANNOUNCE_REQUEST, new AnnounceRequest(Path.ROOT, 0x2a),
                "02",   // message length 2
                "00",   // prefix ""
                "2a"    // exclude hop 0x2a
        );
        // Client → server: prefix "probe", exclude hop = the client's own origin.
        assertVector(LITE_05, MessageKind.ANNOUNCE_REQUEST, new AnnounceRequest(Path.of("probe"), 0x1466f44477eb88L),
                "0e",                        // message length 14
                "05 'probe'",                // prefix "probe"
                "c0 14 66 f4 44 77 eb 88"    // exclude hop 0x1466f44477eb88 (8-byte varint)
        );
    }

    // ================================================================ 12.4 ANNOUNCE_OK / ANNOUNCE

    @Test
    void lite05AnnounceOkMatchesSection12_4() {
        assertVector(LITE_05, MessageKind.ANNOUNCE_OK, new AnnounceOk(0x2a, 1),
                "02",  // message length 2
                "2a",  // origin 0x2a
                "01"   // active count 1
        );
    }

    @Test
    void chromiumAnnounceOkCarriesItsEightByteOrigin() {
        assertVector(LITE_05, MessageKind.ANNOUNCE_OK, new AnnounceOk(CHROMIUM_ORIGIN, 1),
                "09",                        // message length 9
                "c0 1f e5 37 71 24 c7 72",   // origin 0x1fe5377124c772 (the SETUP origin)
                "01"                         // 1 active
        );
        assertVector(LITE_05, MessageKind.ANNOUNCE_OK, new AnnounceOk(CHROMIUM_ORIGIN, 0),
                "09",                        // message length 9
                "c0 1f e5 37 71 24 c7 72",   // origin
                "00"                         // nothing published
        );
    }

    @Test
    void lite05AnnounceActiveWithoutHopsMatchesSection12_4() {
        assertVector(LITE_05, MessageKind.ANNOUNCE, new Announce(Announce.Status.ACTIVE, BBB, List.of()),
                "06",           // message length 6
                "01",           // status active
                "03 62 62 62",  // suffix "bbb"
                "00"            // 0 hops
        );
    }

    @Test
    void lite05AnnounceActiveWithOneHopMatchesSection12_4() {
        assertVector(LITE_05, MessageKind.ANNOUNCE, new Announce(Announce.Status.ACTIVE, BBB, List.of(7L)),
                "07",           // message length 7
                "01",           // status active
                "03 62 62 62",  // suffix "bbb"
                "01 07"         // 1 hop: 7
        );
    }

    @Test
    void lite05AnnounceEndedMatchesSection12_4() {
        Announce ended = new Announce(Announce.Status.ENDED, BBB, List.of());
        assertVector(LITE_05, MessageKind.ANNOUNCE, ended,
                "06",           // message length 6
                "00",           // status ended
                "03 62 62 62",  // suffix "bbb"
                "00"            // 0 hops
        );
        assertThat(ended.active()).isFalse();
    }

    @Test
    void lite04AnnounceCarriesTheHopIdList() {
        assertVector(LITE_04, MessageKind.ANNOUNCE, new Announce(Announce.Status.ACTIVE, BBB, List.of(0x2aL)),
                "07",           // message length 7
                "01",           // status active
                "03 62 62 62",  // suffix "bbb"
                "01 2a"         // 1 hop: 0x2a (the sender's origin)
        );
    }

    @Test
    void lite03AnnounceCarriesOnlyTheHopCount() {
        assertVector(LITE_03, MessageKind.ANNOUNCE, new Announce(Announce.Status.ACTIVE, BBB, List.of(0L)),
                "06",           // message length 6
                "01",           // status active
                "03 62 62 62",  // suffix "bbb"
                "01"            // hop count 1, no ids (decoded as 0 = unknown)
        );
    }

    @Test
    void lite05AnnounceRestartDecodesAsAnActiveRestart() {
        Announce restart = new Announce(Announce.Status.RESTART, BBB, List.of(3L));
        assertDecodes(LITE_05, MessageKind.ANNOUNCE, restart,
                "07",           // message length 7
                "02",           // status restart (decode-only)
                "03 62 62 62",  // suffix "bbb"
                "01 03"         // 1 hop: 3
        );
        assertThat(restart.active()).isTrue();
    }

    @Test
    void chromiumAnnouncesMatchTheCapture() {
        Path pub = Path.of("probe/pub");
        assertVector(LITE_05, MessageKind.ANNOUNCE, new Announce(Announce.Status.ACTIVE, pub, List.of()),
                "0c",             // message length 12
                "01",             // status active
                "09 'probe/pub'", // suffix "probe/pub"
                "00"              // 0 hops
        );
        assertVector(LITE_05, MessageKind.ANNOUNCE, new Announce(Announce.Status.ENDED, pub, List.of()),
                "0c",             // message length 12
                "00",             // status ended
                "09 'probe/pub'", // suffix "probe/pub"
                "00"              // 0 hops
        );
        assertVector(LITE_05, MessageKind.ANNOUNCE, new Announce(Announce.Status.ACTIVE, Path.of("srv"), List.of()),
                "06",             // message length 6
                "01",             // status active
                "03 'srv'",       // suffix "srv"
                "00"              // 0 hops
        );
    }

    @Test
    void announceStatusTwoBeforeLite05IsADecodeError() {
        for (LiteVersion v : List.of(LITE_03, LITE_04)) {
            ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes("06 | 02 | 03 62 62 62 | 00"));
            assertThatThrownBy(() -> LiteCodec.decode(in, MessageKind.ANNOUNCE, v)).as("%s", v)
                    .isInstanceOf(DecodeException.class);
        }
        ByteBuf bad = Unpooled.wrappedBuffer(Hex.bytes("06 | 03 | 03 62 62 62 | 00"));  // status 3
        assertThatThrownBy(() -> LiteCodec.decode(bad, MessageKind.ANNOUNCE, LITE_05))
                .isInstanceOf(DecodeException.class);
    }

    @Test
    void moreThanThirtyTwoHopsIsADecodeError() {
        List<Long> hops = new ArrayList<>();
        for (long i = 1; i <= 33; i++) hops.add(i);
        ByteBuf wire = Unpooled.buffer();
        LiteCodec.encode(wire, new Announce(Announce.Status.ACTIVE, BBB, hops), LITE_05);
        assertThatThrownBy(() -> LiteCodec.decode(wire, MessageKind.ANNOUNCE, LITE_05))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DECODE));

        ByteBuf max = Unpooled.buffer();
        Announce full = new Announce(Announce.Status.ACTIVE, BBB, hops.subList(0, 32));
        LiteCodec.encode(max, full, LITE_05);
        assertThat(LiteCodec.decode(max, MessageKind.ANNOUNCE, LITE_05)).isEqualTo(full);
    }

    // ================================================================ 12.5 TRACK / TRACK_INFO (lite-05)

    @Test
    void trackRequestMatchesSection12_5() {
        assertVector(LITE_05, MessageKind.TRACK, new TrackRequest(BBB, "video"),
                "0a",                 // message length 10
                "03 62 62 62",        // broadcast "bbb"
                "05 76 69 64 65 6f"   // track "video"
        );
    }

    @Test
    void trackInfoDefaultsMatchSection12_5AndTheChromiumCapture() {
        assertVector(LITE_05, MessageKind.TRACK_INFO, TrackInfo.DEFAULT,
                "06",     // message length 6
                "00",     // publisher priority 0
                "00",     // unordered
                "53 88",  // max latency 5000 ms
                "43 e8"   // timescale 1000
        );
        assertThat(TrackInfo.DEFAULT).isEqualTo(new TrackInfo(0, false, 5000, 1000));
    }

    @Test
    void chromiumTrackRequestMatchesTheCapture() {
        assertVector(LITE_05, MessageKind.TRACK, new TrackRequest(Path.of("probe/pub"), "t"),
                "0c",              // message length 12
                "09 'probe/pub'",  // broadcast "probe/pub"
                "01 't'"           // track "t"
        );
        assertVector(LITE_05, MessageKind.TRACK, new TrackRequest(Path.of("probe/missing"), "t"),
                "10",                  // message length 16
                "0d 'probe/missing'",  // broadcast "probe/missing"
                "01 't'"               // track "t"
        );
    }

    @Test
    void trackInfoWithTimescaleZeroIsADecodeError() {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes("05 | 00 | 00 | 53 88 | 00"));  // timescale 0
        assertThatThrownBy(() -> LiteCodec.decode(in, MessageKind.TRACK_INFO, LITE_05))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DECODE));
    }

    @Test
    void trackInfoOrderedMustBeZeroOrOne() {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes("06 | 00 | 02 | 53 88 | 43 e8"));  // ordered = 2
        assertThatThrownBy(() -> LiteCodec.decode(in, MessageKind.TRACK_INFO, LITE_05))
                .isInstanceOf(DecodeException.class);
    }

    // ================================================================ 12.6 SUBSCRIBE (bidi type 0x02)

    @Test
    void lite05SubscribeWithDefaultsMatchesSection12_6() {
        assertVector(LITE_05, MessageKind.SUBSCRIBE, new Subscribe(0, BBB, "video", 0, false, 0, null, null),
                "10",                 // message length 16
                "00",                 // subscribe id 0
                "03 62 62 62",        // broadcast "bbb"
                "05 76 69 64 65 6f",  // track "video"
                "00",                 // priority 0
                "00",                 // unordered
                "00",                 // max latency 0
                "00",                 // start group absent
                "00"                  // end group absent
        );
    }

    @Test
    void lite05SubscribeWithOptionsMatchesSection12_6() {
        assertVector(LITE_05, MessageKind.SUBSCRIBE, new Subscribe(1, BBB, "audio", 2, true, 500, 3L, null),
                "11",                 // message length 17
                "01",                 // subscribe id 1
                "03 62 62 62",        // broadcast "bbb"
                "05 61 75 64 69 6f",  // track "audio"
                "02",                 // priority 2
                "01",                 // ordered
                "41 f4",              // max latency 500 ms
                "04",                 // start group 3 (+1 encoded)
                "00"                  // end group absent
        );
    }

    @Test
    void lite02SubscribeHasNoOptions() {
        assertVector(LITE_02, MessageKind.SUBSCRIBE, new Subscribe(0, BBB, "video", 0, false, 0, null, null),
                "0c",                 // message length 12
                "00",                 // subscribe id 0
                "03 62 62 62",        // broadcast "bbb"
                "05 76 69 64 65 6f",  // track "video"
                "00"                  // priority 0
        );
    }

    @Test
    void chromiumSubscribesMatchTheCapture() {
        assertVector(LITE_05, MessageKind.SUBSCRIBE, new Subscribe(7, Path.of("probe/pub"), "t", 0, false, 0, null, null),
                "12",              // message length 18
                "07",              // subscribe id 7
                "09 'probe/pub'",  // broadcast "probe/pub"
                "01 't'",          // track "t"
                "00",              // priority 0
                "00",              // unordered
                "00",              // max latency 0
                "00",              // start group absent
                "00"               // end group absent
        );
        assertVector(LITE_05, MessageKind.SUBSCRIBE, new Subscribe(0, Path.of("probe/srv"), "t", 0, false, 0, null, null),
                "12",              // message length 18
                "00",              // subscribe id 0
                "09 'probe/srv'",  // broadcast "probe/srv"
                "01 't'",          // track "t"
                "00",              // priority 0
                "00",              // unordered
                "00",              // max latency 0
                "00",              // start group absent
                "00"               // end group absent
        );
    }

    @Test
    void subscribeGroupEndIsPlusOneEncodedAndZeroIsAGroup() {
        assertVector(LITE_04, MessageKind.SUBSCRIBE, new Subscribe(2, BBB, "v", 255, false, 0, 0L, 9L),
                "0c",           // message length 12
                "02",           // subscribe id 2
                "03 62 62 62",  // broadcast "bbb"
                "01 76",        // track "v"
                "ff",           // priority 255 (u8, not a varint)
                "00",           // unordered
                "00",           // max latency 0
                "01",           // start group 0 (+1 encoded)
                "0a"            // end group 9 (+1 encoded)
        );
    }

    @Test
    void nonMinimalVarintsInsideAMessageAreAccepted() {
        assertDecodes(LITE_05, MessageKind.SUBSCRIBE, new Subscribe(0, BBB, "video", 0, false, 0, null, null),
                "40 13",                   // message length 19 (2-byte form)
                "80 00 00 00",             // subscribe id 0 (4-byte form)
                "03 62 62 62",             // broadcast "bbb"
                "05 76 69 64 65 6f",       // track "video"
                "00",                      // priority 0
                "00",                      // unordered
                "00",                      // max latency 0
                "00",                      // start group absent
                "00"                       // end group absent
        );
    }

    // ================================================================ 12.7 subscribe responses

    @Test
    void lite05SubscribeStartMatchesSection12_7() {
        assertVector(LITE_05, MessageKind.SUBSCRIBE_RESPONSE, new SubscribeStart(0),
                "00",  // type 0 = SUBSCRIBE_START
                "01",  // message length 1
                "00"   // group 0
        );
        assertVector(LITE_05, MessageKind.SUBSCRIBE_RESPONSE, new SubscribeStart(300),
                "00",     // type 0 = SUBSCRIBE_START
                "02",     // message length 2
                "41 2c"   // group 300
        );
    }

    @Test
    void lite05SubscribeEndMatchesSection12_7() {
        assertVector(LITE_05, MessageKind.SUBSCRIBE_RESPONSE, new SubscribeEnd(5),
                "01",  // type 1 = SUBSCRIBE_END
                "01",  // message length 1
                "05"   // group 5 (exclusive)
        );
    }

    @Test
    void chromiumSubscribeEndMatchesTheCapture() {
        assertVector(LITE_05, MessageKind.SUBSCRIBE_RESPONSE, new SubscribeEnd(2),
                "01",  // type 1 = SUBSCRIBE_END
                "01",  // message length 1
                "02"   // group 2 (exclusive)
        );
        assertVector(LITE_05, MessageKind.SUBSCRIBE_RESPONSE, new SubscribeEnd(3),
                "01",  // type 1 = SUBSCRIBE_END
                "01",  // message length 1
                "03"   // group 3 (exclusive)
        );
    }

    @Test
    void lite05SubscribeDropMatchesSection12_7() {
        assertVector(LITE_05, MessageKind.SUBSCRIBE_RESPONSE, new SubscribeDrop(1, 3, 0),
                "02",        // type 2 = SUBSCRIBE_DROP
                "03",        // message length 3
                "01 03 00"   // start 1, end 3 (inclusive), error 0
        );
    }

    @Test
    void lite04SubscribeOkWithRelayDefaultsMatchesSection12_7() {
        assertVector(LITE_04, MessageKind.SUBSCRIBE_RESPONSE, new SubscribeOk(0, false, 0, null, null),
                "00",              // type 0 = SUBSCRIBE_OK
                "05",              // message length 5
                "00 00 00 00 00"   // priority 0, unordered, max latency 0, start absent, end absent
        );
    }

    @Test
    void lite04SubscribeDropUsesTypeOne() {
        assertVector(LITE_04, MessageKind.SUBSCRIBE_RESPONSE, new SubscribeDrop(4, 6, 2),
                "01",        // type 1 = SUBSCRIBE_DROP on lite-03/04
                "03",        // message length 3
                "04 06 02"   // start 4, end 6, error 2 (Old)
        );
    }

    @Test
    void lite02SubscribeOkIsEmpty() {
        assertVector(LITE_02, MessageKind.SUBSCRIBE_RESPONSE, new SubscribeOk(0, false, 0, null, null),
                "00"   // message length 0, no type, no body
        );
    }

    @Test
    void lite01SubscribeOkCarriesOnlyThePriority() {
        assertVector(LITE_01, MessageKind.SUBSCRIBE_RESPONSE, new SubscribeOk(0, false, 0, null, null),
                "01",  // message length 1, no type
                "00"   // priority 0
        );
    }

    @Test
    void lite05SubscribeUpdateMatchesSection12_7() {
        assertVector(LITE_05, MessageKind.SUBSCRIBE_UPDATE, new SubscribeUpdate(3, false, 0, null, null),
                "05",  // message length 5
                "03",  // priority 3
                "00",  // unordered
                "00",  // max latency 0
                "00",  // start group absent
                "00"   // end group absent
        );
    }

    @Test
    void subscribeUpdateBeforeLite03IsUnexpected() {
        for (LiteVersion v : List.of(LITE_01, LITE_02)) {
            ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes("05 | 03 00 00 00 00"));
            assertThatThrownBy(() -> LiteCodec.decode(in, MessageKind.SUBSCRIBE_UPDATE, v)).as("%s", v)
                    .isInstanceOfSatisfying(DecodeException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNEXPECTED_MESSAGE));
        }
    }

    @Test
    void unknownSubscribeResponseTypesAreUnexpected() {
        ByteBuf lite05 = Unpooled.wrappedBuffer(Hex.bytes("03 | 01 | 00"));  // type 3
        assertThatThrownBy(() -> LiteCodec.decode(lite05, MessageKind.SUBSCRIBE_RESPONSE, LITE_05))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNEXPECTED_MESSAGE));
        ByteBuf lite04 = Unpooled.wrappedBuffer(Hex.bytes("02 | 03 | 01 03 00"));  // type 2 is lite-05 only
        assertThatThrownBy(() -> LiteCodec.decode(lite04, MessageKind.SUBSCRIBE_RESPONSE, LITE_04))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNEXPECTED_MESSAGE));
    }

    // ================================================================ 12.8 GROUP + frames (uni type 0x00)

    /** A frame on a group stream: its signed timestamp delta and payload. */
    private record Frame(long delta, String payload) {}

    /**
     * Decodes a group stream body (after the type byte): GROUP, then frames until the end. Asserts
     * it equals {@code group} + {@code frames}, then re-encodes it and asserts the same bytes.
     */
    private static void assertGroupStream(LiteVersion v, GroupHeader group, List<Frame> frames, String... wire) {
        byte[] bytes = Hex.bytes(wire);
        boolean ts = v.hasFrameTimestamps();

        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        assertThat(LiteCodec.decode(in, MessageKind.GROUP, v)).isEqualTo(group);
        List<Frame> decoded = new ArrayList<>();
        while (in.isReadable()) {
            Frames.Header h = Frames.peekHeader(in, ts);
            assertThat(h).as("frame header at %d", in.readerIndex()).isNotNull();
            in.skipBytes(h.headerLength());
            decoded.add(new Frame(h.timestampDelta(), in.readCharSequence(h.size(), StandardCharsets.UTF_8).toString()));
        }
        assertThat(decoded).isEqualTo(frames);

        ByteBuf out = Unpooled.buffer();
        LiteCodec.encode(out, group, v);
        for (Frame f : frames) {
            byte[] payload = f.payload().getBytes(StandardCharsets.UTF_8);
            int before = out.writerIndex();
            Frames.writeHeader(out, ts, f.delta(), payload.length);
            assertThat(out.writerIndex() - before).isEqualTo(Frames.headerSize(ts, f.delta(), payload.length));
            out.writeBytes(payload);
        }
        assertThat(Hex.of(out)).isEqualTo(Hex.of(bytes));
    }

    @Test
    void lite05GroupWithZigzagTimestampsMatchesSection12_8() {
        assertGroupStream(LITE_05, new GroupHeader(1, 42), List.of(new Frame(1000, "hi"), new Frame(33, "yo")),
                "02 01 2a",   // GROUP: length 2, subscribe id 1, sequence 42
                "47 d0",      // timestamp delta zigzag(1000) = 2000
                "02 68 69",   // payload length 2, "hi"
                "40 42",      // timestamp delta zigzag(33) = 66
                "02 79 6f"    // payload length 2, "yo"
        );
    }

    @Test
    void lite04GroupHasNoTimestampsMatchesSection12_8() {
        assertGroupStream(LITE_04, new GroupHeader(1, 42), List.of(new Frame(0, "hi"), new Frame(0, "yo")),
                "02 01 2a",   // GROUP: length 2, subscribe id 1, sequence 42
                "02 68 69",   // payload length 2, "hi"
                "02 79 6f"    // payload length 2, "yo"
        );
    }

    @Test
    void negativeTimestampDeltasZigzagAsInSection12_8() {
        assertGroupStream(LITE_05, new GroupHeader(0, 0),
                List.of(new Frame(-1, ""), new Frame(1, ""), new Frame(-2, "x")),
                "02 00 00",   // GROUP: length 2, subscribe id 0, sequence 0
                "01 00",      // zigzag(-1) = 1, empty payload
                "02 00",      // zigzag(1) = 2, empty payload
                "03 01 78"    // zigzag(-2) = 3, payload "x"
        );
    }

    @Test
    void chromiumGroupStreamsMatchTheCapture() {
        assertGroupStream(LITE_05, new GroupHeader(7, 0),
                List.of(new Frame(1029, "pub-g0-f0"), new Frame(31, "pub-g0-f1")),
                "02 07 00",       // GROUP: length 2, subscribe id 7, sequence 0
                "48 0a",          // zigzag(1029) = 2058
                "09 'pub-g0-f0'", // payload
                "3e",             // zigzag(31) = 62
                "09 'pub-g0-f1'"  // payload
        );
        assertGroupStream(LITE_05, new GroupHeader(7, 1),
                List.of(new Frame(1091, "pub-g1-f0"), new Frame(30, "pub-g1-f1")),
                "02 07 01",       // GROUP: length 2, subscribe id 7, sequence 1
                "48 86",          // zigzag(1091) = 2182
                "09 'pub-g1-f0'", // payload
                "3c",             // zigzag(30) = 60
                "09 'pub-g1-f1'"  // payload
        );
        assertGroupStream(LITE_05, new GroupHeader(0, 0),
                List.of(new Frame(1000, "srv-g0-f0"), new Frame(33, "srv-g0-f1")),
                "02 00 00",       // GROUP: length 2, subscribe id 0, sequence 0
                "47 d0",          // zigzag(1000) = 2000
                "09 'srv-g0-f0'", // payload
                "40 42",          // zigzag(33) = 66
                "09 'srv-g0-f1'"  // payload
        );
    }

    // ================================================================ 12.9 FETCH / PROBE / GOAWAY

    @Test
    void fetchMatchesSection12_9() {
        for (LiteVersion v : List.of(LITE_03, LITE_04, LITE_05)) {
            assertVector(v, MessageKind.FETCH, new Fetch(BBB, "video", 0, 7),
                    "0c",                 // message length 12
                    "03 62 62 62",        // broadcast "bbb"
                    "05 76 69 64 65 6f",  // track "video"
                    "00",                 // priority 0
                    "07"                  // group 7
            );
        }
    }

    @Test
    void lite05ProbeMatchesSection12_9() {
        assertVector(LITE_05, MessageKind.PROBE, new Probe(1_000_000, 40),
                "05",           // message length 5
                "80 0f 42 40",  // bitrate 1,000,000 bps
                "28"            // rtt 40 ms
        );
    }

    @Test
    void lite03ProbeCarriesOnlyTheBitrate() {
        assertVector(LITE_03, MessageKind.PROBE, new Probe(1_000_000, 0),
                "04",           // message length 4
                "80 0f 42 40"   // bitrate 1,000,000 bps, no rtt before lite-04
        );
    }

    @Test
    void emptyGoawayMatchesSection12_9() {
        for (LiteVersion v : List.of(LITE_04, LITE_05)) {
            assertVector(v, MessageKind.GOAWAY, new Goaway(""),
                    "01",  // message length 1
                    "00"   // uri "" (just close)
            );
        }
        assertVector(LITE_05, MessageKind.GOAWAY, new Goaway("https://r2/x"),
                "0d",             // message length 13
                "0c 'https://r2/x'" // uri
        );
    }

    // ================================================================ framing errors

    @Test
    void aMessageThatDoesNotConsumeItsWholeLengthIsADecodeError() {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes("02 | 00 | ff"));  // GOAWAY "" + 1 trailing byte
        assertThatThrownBy(() -> LiteCodec.decode(in, MessageKind.GOAWAY, LITE_05))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DECODE));
    }

    @Test
    void aMessageWhoseFieldsOverrunItsLengthIsADecodeError() {
        // Length 2, but ANNOUNCE_OK needs a third byte that sits outside the message.
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes("02 | 2a | 40 | 01"));
        assertThatThrownBy(() -> LiteCodec.decode(in, MessageKind.ANNOUNCE_OK, LITE_05))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DECODE));
    }

    @Test
    void invalidUtf8InAStringIsADecodeError() {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes("03 | 02 c3 28"));  // GOAWAY, bad 2-byte sequence
        assertThatThrownBy(() -> LiteCodec.decode(in, MessageKind.GOAWAY, LITE_05))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DECODE));
    }

    @Test
    void twoMessagesInOneBufferDecodeOneAtATime() {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes(
                "02 2a 01",            // ANNOUNCE_OK origin 0x2a, 1 active
                "06 01 03 62 62 62 00" // ANNOUNCE active "bbb"
        ));
        assertThat(LiteCodec.decode(in, MessageKind.ANNOUNCE_OK, LITE_05)).isEqualTo(new AnnounceOk(0x2a, 1));
        assertThat(in.readerIndex()).isEqualTo(3);
        assertThat(LiteCodec.decode(in, MessageKind.ANNOUNCE, LITE_05))
                .isEqualTo(new Announce(Announce.Status.ACTIVE, BBB, List.of()));
        assertThat(in.isReadable()).isFalse();
        assertThat(LiteCodec.decode(in, MessageKind.ANNOUNCE, LITE_05)).isNull();
    }

    @Test
    void setupOfHelperEncodesVarintValues() {
        Setup s = Setup.of(0x1234, null, 1L, 2L);
        assertThat(s.parameters()).containsOnlyKeys(Setup.PROBE, Setup.ROLE, Setup.ORIGIN);
        assertThat(s.parameters().get(Setup.ORIGIN)).isEqualTo(VarInts.toBytes(0x1234));
        assertThat(s).isEqualTo(new Setup(Map.of(Setup.PROBE, VarInts.toBytes(2), Setup.ROLE, VarInts.toBytes(1), Setup.ORIGIN, VarInts.toBytes(0x1234))));
    }
}
