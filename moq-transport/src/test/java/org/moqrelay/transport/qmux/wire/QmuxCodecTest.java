package org.moqrelay.transport.qmux.wire;

import org.moqrelay.transport.Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.moqrelay.transport.qmux.wire.Frames.assertDecodes;
import static org.moqrelay.transport.qmux.wire.Frames.assertRoundTrip;
import static org.moqrelay.transport.qmux.wire.Frames.data;
import static org.moqrelay.transport.qmux.wire.Frames.rejects;
import static org.moqrelay.transport.qmux.wire.QmuxException.FRAME_ENCODING_ERROR;
import static org.moqrelay.transport.qmux.wire.QmuxVersion.QMUX_00;
import static org.moqrelay.transport.qmux.wire.QmuxVersion.QMUX_01;
import static org.moqrelay.transport.qmux.wire.QmuxVersion.QMUX_02;
import static org.moqrelay.transport.qmux.wire.QmuxVersion.WEBTRANSPORT;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.moqrelay.transport.qmux.wire.QmuxFrame.ConnectionClose;
import org.moqrelay.transport.qmux.wire.QmuxFrame.DataBlocked;
import org.moqrelay.transport.qmux.wire.QmuxFrame.Datagram;
import org.moqrelay.transport.qmux.wire.QmuxFrame.MaxData;
import org.moqrelay.transport.qmux.wire.QmuxFrame.MaxStreamData;
import org.moqrelay.transport.qmux.wire.QmuxFrame.MaxStreams;
import org.moqrelay.transport.qmux.wire.QmuxFrame.Padding;
import org.moqrelay.transport.qmux.wire.QmuxFrame.Ping;
import org.moqrelay.transport.qmux.wire.QmuxFrame.ResetStream;
import org.moqrelay.transport.qmux.wire.QmuxFrame.ResetStreamAt;
import org.moqrelay.transport.qmux.wire.QmuxFrame.StopSending;
import org.moqrelay.transport.qmux.wire.QmuxFrame.Stream;
import org.moqrelay.transport.qmux.wire.QmuxFrame.StreamDataBlocked;
import org.moqrelay.transport.qmux.wire.QmuxFrame.StreamsBlocked;
import org.moqrelay.transport.qmux.wire.QmuxFrame.TransportParameters;

/** Hex vectors for every frame: the transports.md §3.3 examples first, then the edges. */
class QmuxCodecTest {

    // --- transports.md §3.3 examples (made with @moq/qmux frame.ts, checked against rs/qmux) ---

    @Test
    void recommendedParametersFrameMatchesTheJsClient() {
        assertRoundTrip(new TransportParameters(QmuxParams.DEFAULTS), QMUX_01, """
                ff 51 53 30 0d 0a 0d 0a   | type QX_TRANSPORT_PARAMETERS (8-byte varint)
                35                        | length 53
                01 04 80 00 75 30         | max_idle_timeout 30000
                04 04 80 10 00 00         | initial_max_data 1048576
                05 04 80 04 00 00         | initial_max_stream_data_bidi_local 262144
                06 04 80 04 00 00         | initial_max_stream_data_bidi_remote 262144
                07 04 80 04 00 00         | initial_max_stream_data_uni 262144
                08 02 40 64               | initial_max_streams_bidi 100
                09 02 40 64               | initial_max_streams_uni 100
                20 02 7f fe               | max_datagram_frame_size 16382
                c5 71 c5 94 29 cd 08 45 02 7f fe  | max_record_size 16382
                """.replaceAll("\\|[^\\n]*", ""));
    }

    @Test
    void streamAtOffsetZeroAlwaysCarriesOffAndLen() {
        // type 0x0e (OFF|LEN) | id 0 | offset 0 | length 2 | data
        assertRoundTrip(new Stream(0, 0, data("01 02"), false), QMUX_01, "0e | 00 | 00 | 02 | 01 02");
    }

    @Test
    void streamWithFinSetsTheLowBit() {
        assertRoundTrip(new Stream(3, 5, data("aa"), true), QMUX_01, "0f 03 05 01 aa");
    }

    @ParameterizedTest
    @EnumSource(QmuxVersion.class)
    void encodeStreamSharesTheDataAndMatchesEncode(QmuxVersion v) {
        ByteBuf payload = Unpooled.directBuffer(4).writeBytes(new byte[] {1, 2, 3, 4});
        ByteBuf copied = Unpooled.buffer();
        Stream plain = new Stream(4, v == WEBTRANSPORT ? 0 : 9, payload.retainedDuplicate(), true);
        QmuxCodec.encode(copied, plain, v);
        plain.release();

        ByteBuf shared = QmuxCodec.encodeStream(io.netty.buffer.ByteBufAllocator.DEFAULT,
                new Stream(4, v == WEBTRANSPORT ? 0 : 9, payload.retainedDuplicate(), true), v);
        assertThat(io.netty.buffer.ByteBufUtil.hexDump(shared)).isEqualTo(io.netty.buffer.ByteBufUtil.hexDump(copied));
        // The payload is referenced, not copied: the frame holds one of its references.
        assertThat(payload.refCnt()).isEqualTo(2);
        payload.setByte(0, 9);
        assertThat(shared.getByte(shared.writerIndex() - 4)).isEqualTo((byte) 9);
        shared.release();
        copied.release();
        assertThat(payload.refCnt()).isEqualTo(1);
        payload.release();
    }

    @Test
    void legacyStreamIsIdThenPayloadToTheEnd() {
        assertRoundTrip(new Stream(0, 0, data("01 02"), false), WEBTRANSPORT, "08 00 01 02");
        assertRoundTrip(new Stream(0, 0, data("01 02"), true), WEBTRANSPORT, "09 00 01 02");
    }

    @Test
    void resetStreamCarriesFinalSizeExceptInLegacy() {
        assertRoundTrip(new ResetStream(2, 5, 10), QMUX_00, "04 02 05 0a");
        assertRoundTrip(new ResetStream(2, 5, 0), WEBTRANSPORT, "04 02 05");
        assertThat(Frames.encode(new ResetStream(2, 5, 10), WEBTRANSPORT)).isEqualTo("04 02 05");
    }

    @Test
    void applicationCloseHasNoFrameTypeField() {
        assertRoundTrip(ConnectionClose.application(6, "unauthorized"), QMUX_01,
                "1d 06 0c 'unauthorized'");
    }

    @Test
    void pingRequestTypeIsAnEightByteVarint() {
        assertRoundTrip(new Ping(false, 1), QMUX_01, "f4 8c 67 52 9e f8 c7 bd 01");
        assertRoundTrip(new Ping(true, 1), QMUX_02, "f4 8c 67 52 9e f8 c7 be 01");
    }

    // --- the rest of the frame table ---

    @Test
    void transportConnectionCloseCarriesTheFrameType() {
        assertRoundTrip(ConnectionClose.transport(0xa, "bad"), QMUX_00, "1c 0a 00 03 'bad'");
        assertRoundTrip(new ConnectionClose(false, 0x7, 0x08, ""), QMUX_02, "1c 07 08 00");
    }

    @Test
    void legacyCloseReasonRunsToTheEndOfTheMessage() {
        assertRoundTrip(ConnectionClose.application(6, "unauthorized"), WEBTRANSPORT, "1d 06 'unauthorized'");
        assertRoundTrip(ConnectionClose.transport(1, ""), WEBTRANSPORT, "1c 01");
    }

    @Test
    void stopSendingAndFlowControlFrames() {
        assertRoundTrip(new StopSending(4, 6), QMUX_00, "05 04 06");
        assertRoundTrip(new StopSending(4, 6), WEBTRANSPORT, "05 04 06");
        assertRoundTrip(new MaxData(1_048_576), QMUX_01, "10 80 10 00 00");
        assertRoundTrip(new MaxStreamData(1, 262_144), QMUX_01, "11 01 80 04 00 00");
        assertRoundTrip(new MaxStreams(true, 100), QMUX_01, "12 40 64");
        assertRoundTrip(new MaxStreams(false, 100), QMUX_01, "13 40 64");
        assertRoundTrip(new DataBlocked(7), QMUX_01, "14 07");
        assertRoundTrip(new StreamDataBlocked(2, 9), QMUX_01, "15 02 09");
        assertRoundTrip(new StreamsBlocked(true, 3), QMUX_01, "16 03");
        assertRoundTrip(new StreamsBlocked(false, 3), QMUX_01, "17 03");
    }

    @Test
    void datagramIsSentLengthPrefixedAndAcceptedInBothForms() {
        assertRoundTrip(new Datagram(data("aa bb")), QMUX_01, "31 02 aa bb");
        assertDecodes("30 aa bb", QMUX_02, new Datagram(data("aa bb")));
        assertDecodes("31 01 aa | 30 bb cc", QMUX_01, new Datagram(data("aa")), new Datagram(data("bb cc")));
    }

    @Test
    void resetStreamAtIsDraft02Only() {
        assertRoundTrip(new ResetStreamAt(2, 5, 10, 4), QMUX_02, "24 02 05 0a 04");
        assertThat(rejects("24 02 05 0a 04", QMUX_01).code()).isEqualTo(FRAME_ENCODING_ERROR);
        assertThat(rejects("24 02 05 0a 0b", QMUX_02).getMessage()).contains("reliable size");
    }

    @Test
    void paddingRunsCoalesceIntoOneFrame() {
        assertRoundTrip(new Padding(3), QMUX_01, "00 00 00");
        assertDecodes("00 00 00 | 10 05 | 00", QMUX_02, new Padding(3), new MaxData(5), new Padding(1));
    }

    @Test
    void paddingAndPingAndDatagramDoNotExistBeforeDraft01() {
        assertThat(rejects("00", QMUX_00).code()).isEqualTo(FRAME_ENCODING_ERROR);
        assertThat(rejects("f4 8c 67 52 9e f8 c7 bd 01", QMUX_00).code()).isEqualTo(FRAME_ENCODING_ERROR);
        assertThat(rejects("31 01 aa", QMUX_00).code()).isEqualTo(FRAME_ENCODING_ERROR);
    }

    // --- STREAM layouts a sender may choose (receivers accept all eight types) ---

    @Test
    void streamWithoutLenRunsToTheEndOfTheMessage() {
        assertDecodes("08 04 'hello'", QMUX_01, new Stream(4, 0, data("'hello'"), false));
        assertDecodes("0d 04 07 'hi'", QMUX_00, new Stream(4, 7, data("'hi'"), true));
        assertDecodes("10 01 | 0a 04 00", QMUX_01, new MaxData(1), new Stream(4, 0, Unpooled.EMPTY_BUFFER, false));
    }

    @Test
    void streamLengthBeyondTheMessageIsRefused() {
        QmuxException e = rejects("0e 00 00 05 01 02", QMUX_01);
        assertThat(e.code()).isEqualTo(FRAME_ENCODING_ERROR);
        assertThat(e.getMessage()).contains("STREAM data length 5");
    }

    @Test
    void streamOffsetPlusLengthMustFitIn62Bits() {
        assertThat(rejects("0e 00 ff ff ff ff ff ff ff ff 01 aa", QMUX_01).code()).isEqualTo(FRAME_ENCODING_ERROR);
    }

    @Test
    void decodedStreamDataIsASliceOfTheMessageNotACopy() {
        ByteBuf message = Hex.buf("0e 00 00 02 01 02");
        List<QmuxFrame> frames = QmuxCodec.decodeMessage(message, QMUX_01);
        Stream s = (Stream) frames.get(0);
        assertThat(message.refCnt()).isEqualTo(2);
        message.setByte(4, 0x7f);
        assertThat(s.data().getByte(0)).isEqualTo((byte) 0x7f);
        s.release();
        message.release();
        assertThat(message.refCnt()).isZero();
    }

    @Test
    void encodingLeavesThePayloadBufferUntouched() {
        ByteBuf payload = data("01 02 03");
        payload.readByte();
        Frames.encode(new Stream(0, 0, payload, false), QMUX_01);
        assertThat(payload.readerIndex()).isEqualTo(1);
        assertThat(payload.refCnt()).isEqualTo(1);
        assertThat(Frames.encode(new Stream(0, 0, payload, false), QMUX_01)).isEqualTo("0e 00 00 02 02 03");
    }

    // --- varint boundaries (QUIC: 63, 16383, 2^30-1, 2^62-1) ---

    @ParameterizedTest(name = "MAX_DATA {0}")
    @CsvSource({
        "0, 10 00",
        "63, 10 3f",
        "64, 10 40 40",
        "16383, 10 7f ff",
        "16384, 10 80 00 40 00",
        "1073741823, 10 bf ff ff ff",
        "1073741824, 10 c0 00 00 00 40 00 00 00",
        "4611686018427387903, 10 ff ff ff ff ff ff ff ff",
    })
    void varintFieldsUseTheShortestEncodingAtEveryBoundary(long value, String hex) {
        assertRoundTrip(new MaxData(value), QMUX_01, hex);
    }

    @ParameterizedTest(name = "stream id {0}")
    @CsvSource({
        "63, 09 3f 'x'",
        "16383, 09 7f ff 'x'",
        "1073741823, 09 bf ff ff ff 'x'",
        "4611686018427387903, 09 ff ff ff ff ff ff ff ff 'x'",
    })
    void legacyStreamIdsUseEveryVarintWidth(long id, String hex) {
        assertRoundTrip(new Stream(id, 0, data("'x'"), true), WEBTRANSPORT, hex);
    }

    @Test
    void nonMinimalFrameTypeEncodingsAreAccepted() {
        assertDecodes("40 10 05", QMUX_01, new MaxData(5));
    }

    @Test
    void streamCountsAbove2To60AreAFrameEncodingError() {
        assertDecodes("12 d0 00 00 00 00 00 00 00", QMUX_01, new MaxStreams(true, 1L << 60));
        assertThat(rejects("12 d0 00 00 00 00 00 00 01", QMUX_01).code()).isEqualTo(FRAME_ENCODING_ERROR);
        assertThat(rejects("17 d0 00 00 00 00 00 00 01", QMUX_01).code()).isEqualTo(FRAME_ENCODING_ERROR);
    }

    // --- message framing per version ---

    @Test
    void oneMessageCarriesManyFramesOnDraft01And02() {
        String hex = "ff 51 53 30 0d 0a 0d 0a 00 | 0e 00 00 02 01 02 | 0f 03 05 01 aa | 1d 06 00";
        for (QmuxVersion v : List.of(QMUX_01, QMUX_02)) {
            assertDecodes(hex, v,
                    new TransportParameters(QmuxParams.EMPTY),
                    new Stream(0, 0, data("01 02"), false),
                    new Stream(3, 5, data("aa"), true),
                    ConnectionClose.application(6, ""));
        }
    }

    @Test
    void anEmptyMessageIsANoOpOnlyOnDraft01And02() {
        assertDecodes("", QMUX_01);
        assertDecodes("", QMUX_02);
        assertThat(rejects("", QMUX_00).code()).isEqualTo(FRAME_ENCODING_ERROR);
        assertThat(rejects("", WEBTRANSPORT).code()).isEqualTo(FRAME_ENCODING_ERROR);
    }

    @Test
    void draft00AndLegacyRefuseTrailingBytesAfterTheirOneFrame() {
        assertThat(rejects("10 01 10 02", QMUX_00).getMessage()).contains("trailing");
        assertThat(rejects("05 04 06 00", WEBTRANSPORT).getMessage()).contains("trailing");
    }

    @Test
    void aFailureLaterInTheMessageReleasesTheSlicesAlreadyTaken() {
        QmuxException e = rejects("0e 00 00 01 aa | 31 01 bb | 21", QMUX_01);
        assertThat(e.getMessage()).contains("0x21");
    }

    @Test
    void draft00FramesAreLimitedTo16384Bytes() {
        ByteBuf ok = Unpooled.buffer();
        QmuxCodec.encode(ok, new Stream(0, 0, Unpooled.wrappedBuffer(new byte[16384 - 5]), false), QMUX_00);
        assertThat(ok.readableBytes()).isEqualTo(16384);
        List<QmuxFrame> frames = QmuxCodec.decodeMessage(ok, QMUX_00);
        QmuxCodec.releaseAll(frames);
        ok.release();

        ByteBuf big = Unpooled.buffer();
        QmuxCodec.encode(big, new Stream(0, 0, Unpooled.wrappedBuffer(new byte[16384 - 4]), false), QMUX_00);
        assertThatThrownBy(() -> QmuxCodec.decodeMessage(big, QMUX_00)).isInstanceOf(QmuxException.class);
        big.release();
    }

    @ParameterizedTest
    @EnumSource(QmuxVersion.class)
    void unknownFrameTypesAreAFrameEncodingError(QmuxVersion v) {
        assertThat(rejects("21", v).code()).isEqualTo(FRAME_ENCODING_ERROR);
        assertThat(rejects("3f 00", v).code()).isEqualTo(FRAME_ENCODING_ERROR);
    }

    @Test
    void legacyHasOnlyStreamResetStopAndClose() {
        for (String hex : List.of("10 05", "0e 00 00 00", "00", "31 00", "ff 51 53 30 0d 0a 0d 0a 00")) {
            assertThat(rejects(hex, WEBTRANSPORT).code()).isEqualTo(FRAME_ENCODING_ERROR);
        }
    }

    @Test
    void truncatedFieldsAreAFrameEncodingError() {
        for (String hex : List.of("04 02 05", "0e 00 00", "1c 0a 00 05 'abc'", "11 40", "f4 8c 67 52")) {
            assertThat(rejects(hex, QMUX_01).code()).as(hex).isEqualTo(FRAME_ENCODING_ERROR);
        }
        assertThat(rejects("04 02", WEBTRANSPORT).code()).isEqualTo(FRAME_ENCODING_ERROR);
        assertThat(rejects("08", WEBTRANSPORT).code()).isEqualTo(FRAME_ENCODING_ERROR);
    }

    // --- limits and version checks on encode ---

    @Test
    void reasonsOver1024BytesAreRefusedBothWays() {
        String max = "x".repeat(QmuxCodec.MAX_REASON_BYTES);
        assertThat(Frames.encode(ConnectionClose.application(1, max), QMUX_01)).startsWith("1d 01 44 00 78");
        assertThatThrownBy(() -> Frames.encode(ConnectionClose.application(1, max + "y"), QMUX_01))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Frames.encode(ConnectionClose.application(1, max + "y"), WEBTRANSPORT))
                .isInstanceOf(IllegalArgumentException.class);
        String tooLong = "78 ".repeat(QmuxCodec.MAX_REASON_BYTES + 1);
        assertThat(rejects("1d 01 44 01 " + tooLong, QMUX_01).code()).isEqualTo(FRAME_ENCODING_ERROR);
        assertThat(rejects("1d 01 " + tooLong, WEBTRANSPORT).code()).isEqualTo(FRAME_ENCODING_ERROR);
    }

    @Test
    void malformedUtf8ReasonsDecodeWithReplacementCharacters() {
        assertDecodes("1d 00 02 c3 28", QMUX_01, ConnectionClose.application(0, "\uFFFD("));
    }

    @Test
    void framesAVersionLacksCannotBeEncodedAndNothingIsWritten() {
        record Case(QmuxFrame frame, QmuxVersion version) {}
        for (Case c : List.of(
                new Case(new Ping(false, 1), QMUX_00),
                new Case(new Padding(1), QMUX_00),
                new Case(new Datagram(Unpooled.EMPTY_BUFFER), QMUX_00),
                new Case(new ResetStreamAt(0, 0, 0, 0), QMUX_01),
                new Case(new MaxData(1), WEBTRANSPORT),
                new Case(new TransportParameters(QmuxParams.DEFAULTS), WEBTRANSPORT))) {
            assertThat(QmuxCodec.canEncode(c.frame(), c.version())).isFalse();
            ByteBuf out = Unpooled.buffer();
            assertThatThrownBy(() -> QmuxCodec.encode(out, c.frame(), c.version()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(out.writerIndex()).isZero();
            out.release();
        }
    }

    @Test
    void recordsRejectOutOfRangeFields() {
        assertThatThrownBy(() -> new MaxData(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MaxData(1L << 62)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MaxStreams(true, (1L << 60) + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Padding(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConnectionClose(true, 0, 1, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResetStreamAt(0, 0, 1, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
