package org.moqrelay.transport.webtransport.h3;

import org.moqrelay.transport.Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CapsulesTest {

    private static final String CLOSE_6_UNAUTHORIZED = "00 13 | 68 43 10 | 00 00 00 06 | 'unauthorized'";
    private static final String CHROMIUM_CLOSE = "00 07 | 68 43 | 04 | 00 00 00 00";

    /** Feeds {@code bytes} one byte per call, collecting every close the reader reports. */
    private static List<Capsules.Close> feedBytewise(Capsules.Reader reader, byte[] bytes) {
        List<Capsules.Close> events = new ArrayList<>();
        for (byte b : bytes) {
            ByteBuf one = Unpooled.wrappedBuffer(new byte[] {b});
            reader.feed(one).ifPresent(events::add);
            assertThat(one.isReadable()).as("feed consumes everything").isFalse();
        }
        return events;
    }

    @Test
    void closeWithCode6AndReasonUnauthorizedEncodesExactly() {
        assertThat(Hex.of(Capsules.encodeClose(6, "unauthorized"))).isEqualTo(Hex.normalize(CLOSE_6_UNAUTHORIZED));
    }

    @Test
    void closeWithCode0AndNoReasonEncodesLikeChromium() {
        assertThat(Hex.of(Capsules.encodeClose(0, ""))).isEqualTo(Hex.normalize(CHROMIUM_CLOSE));
    }

    @Test
    void chromiumsPageInitiatedCloseIsReadAsCode0AndAnEmptyReason() {
        Capsules.Reader reader = new Capsules.Reader();
        assertThat(reader.feed(Hex.buf(CHROMIUM_CLOSE))).contains(new Capsules.Close(0, ""));
        assertThat(reader.finish()).isEqualTo(new Capsules.Close(0, ""));
    }

    @Test
    void aCloseAfterTheGreaseCapsuleIsFoundWhenFedByteByByte() {
        String stream = ChromiumCaptures.GREASE_CAPSULE_DATA_FRAME + " " + CLOSE_6_UNAUTHORIZED;
        Capsules.Reader reader = new Capsules.Reader();
        assertThat(feedBytewise(reader, Hex.bytes(stream))).containsExactly(new Capsules.Close(6, "unauthorized"));
        assertThat(reader.close()).contains(new Capsules.Close(6, "unauthorized"));
        assertThat(reader.finish()).isEqualTo(new Capsules.Close(6, "unauthorized"));
    }

    @Test
    void theGreaseCapsuleTypeChromiumSendsIsRecognisedAsGrease() {
        assertThat(Capsules.isGrease(0x05196b9656a6457cL)).isTrue();
        assertThat(Capsules.isGrease(0x17)).isTrue();
        assertThat(Capsules.isGrease(Capsules.CLOSE_WEBTRANSPORT_SESSION)).isFalse();
        assertThat(Capsules.isGrease(Capsules.DRAIN_WEBTRANSPORT_SESSION)).isFalse();
    }

    @Test
    void capsulesSpanningDataFramesWithOtherFramesInterleavedAreReassembled() {
        byte[] stream = Hex.bytes(String.join(" ",
                "00 03 | 17 03 aa",             // DATA: GREASE capsule (type 0x17, length 3), 1 body byte
                "21 02 ff ff",                   // GREASE frame type 0x21: skipped
                "00 02 | bb cc",                 // DATA: the rest of the GREASE body
                "00 06 | 80 00 78 ae 00 | 80",   // DATA: empty DRAIN capsule, then 1st byte of type 0x2843 in 4 bytes
                "01 03 | 00 00 d9",              // HEADERS frame (trailers): skipped
                "00 06 | 00 28 43 | 08 | 00 00", // DATA: rest of the type, length 8, half the code
                "00 06 | 00 07 | 'bye!'"));      // DATA: rest of the code (7) and the reason

        Capsules.Reader bytewise = new Capsules.Reader();
        assertThat(feedBytewise(bytewise, stream)).containsExactly(new Capsules.Close(7, "bye!"));
        assertThat(bytewise.finish()).isEqualTo(new Capsules.Close(7, "bye!"));

        Capsules.Reader whole = new Capsules.Reader();
        assertThat(whole.feed(Unpooled.wrappedBuffer(stream))).contains(new Capsules.Close(7, "bye!"));

        // every split point of the stream into two reads
        for (int cut = 0; cut <= stream.length; cut++) {
            Capsules.Reader split = new Capsules.Reader();
            Optional<Capsules.Close> first = split.feed(Unpooled.wrappedBuffer(stream, 0, cut));
            Optional<Capsules.Close> second = split.feed(Unpooled.wrappedBuffer(stream, cut, stream.length - cut));
            assertThat(first.or(() -> second)).as("cut at %d", cut).contains(new Capsules.Close(7, "bye!"));
        }
    }

    @Test
    void theBytesLeftAfterTheHeadersFrameCanBeFedFirst() {
        ByteBuf firstRead = Hex.buf(ChromiumCaptures.CONNECT_HEADERS_FRAME + " " + ChromiumCaptures.GREASE_CAPSULE_DATA_FRAME);
        Http3Frames.FrameHeader h = Http3Frames.readFrameHeader(firstRead, 65536);
        QpackDecoder.decode(firstRead.readSlice((int) h.length()));

        Capsules.Reader reader = new Capsules.Reader();
        assertThat(reader.feed(firstRead)).isEmpty();
        assertThat(reader.feed(Hex.buf(CLOSE_6_UNAUTHORIZED))).contains(new Capsules.Close(6, "unauthorized"));
    }

    @Test
    void aBareFinIsACloseWithCode0() {
        Capsules.Reader reader = new Capsules.Reader();
        reader.feed(Hex.buf(ChromiumCaptures.GREASE_CAPSULE_DATA_FRAME));
        assertThat(reader.close()).isEmpty();
        assertThat(reader.finish()).isEqualTo(new Capsules.Close(0, ""));
    }

    @Test
    void aFinInsideAFrameIsAFrameError() {
        for (String partial : new String[] {"00", "00 13", "00 13 68 43"}) {
            Capsules.Reader reader = new Capsules.Reader();
            reader.feed(Hex.buf(partial));
            assertThatThrownBy(reader::finish).as(partial)
                    .isInstanceOfSatisfying(Http3Exception.class,
                            e -> assertThat(e.errorCode()).isEqualTo(Http3Exception.H3_FRAME_ERROR));
        }
    }

    @Test
    void aFinInsideACapsuleIsAMessageError() {
        for (String partial : new String[] {"00 01 68", "00 02 68 43", "00 04 68 43 10 00"}) {
            Capsules.Reader reader = new Capsules.Reader();
            reader.feed(Hex.buf(partial));
            assertThatThrownBy(reader::finish).as(partial)
                    .isInstanceOfSatisfying(Http3Exception.class,
                            e -> assertThat(e.errorCode()).isEqualTo(Http3Exception.H3_MESSAGE_ERROR));
        }
    }

    @Test
    void bytesAfterTheCloseCapsuleAreAMessageError() {
        Capsules.Reader sameRead = new Capsules.Reader();
        assertThatThrownBy(() -> sameRead.feed(Hex.buf(CHROMIUM_CLOSE + " 00 00")))
                .isInstanceOfSatisfying(Http3Exception.class,
                        e -> assertThat(e.errorCode()).isEqualTo(Http3Exception.H3_MESSAGE_ERROR));

        Capsules.Reader laterRead = new Capsules.Reader();
        laterRead.feed(Hex.buf(CHROMIUM_CLOSE));
        assertThat(laterRead.feed(Unpooled.EMPTY_BUFFER)).isEmpty();
        assertThatThrownBy(() -> laterRead.feed(Hex.buf("21 00"))).isInstanceOf(Http3Exception.class);
    }

    @Test
    void closeCapsulesWithABadLengthAreAMessageError() {
        for (String bad : new String[] {"00 05 68 43 03 00 00 00", "00 05 68 43 44 05 00"}) {
            Capsules.Reader reader = new Capsules.Reader();
            assertThatThrownBy(() -> reader.feed(Hex.buf(bad))).as(bad)
                    .isInstanceOfSatisfying(Http3Exception.class,
                            e -> assertThat(e.errorCode()).isEqualTo(Http3Exception.H3_MESSAGE_ERROR));
        }
    }

    @Test
    void aReasonOfExactly1024BytesIsAcceptedAndALongerOneIsCutOnEncode() {
        String max = "r".repeat(1024);
        Capsules.Reader reader = new Capsules.Reader();
        assertThat(reader.feed(Capsules.encodeClose(0xffff_ffffL, max))).contains(new Capsules.Close(0xffff_ffffL, max));

        // 1023 ASCII bytes + a 3-byte char would end at 1026: the whole char is dropped.
        String tooLong = "r".repeat(1023) + "\u20ac";
        Optional<Capsules.Close> cut = new Capsules.Reader().feed(Capsules.encodeClose(1, tooLong));
        assertThat(cut).contains(new Capsules.Close(1, "r".repeat(1023)));
    }

    @Test
    void utf8ReasonsRoundTrip() {
        String reason = "fermé – 閉じた";
        Optional<Capsules.Close> close = new Capsules.Reader().feed(Capsules.encodeClose(30, reason));
        assertThat(close).contains(new Capsules.Close(30, reason));
        assertThat(reason.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(reason.length());
    }

    @Test
    void closeCodesOutside32BitsAreRefused() {
        assertThatThrownBy(() -> Capsules.encodeClose(-1, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Capsules.encodeClose(1L << 32, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largeUnknownCapsulesAreSkippedWithoutBuffering() {
        Capsules.Reader reader = new Capsules.Reader();
        ByteBuf stream = Unpooled.buffer();
        Http3Frames.writeFrameHeader(stream, Http3Frames.DATA, 2 + 4 + (1 << 20));
        stream.writeBytes(Hex.bytes("40 99"));       // unknown capsule type 0x99
        stream.writeBytes(Hex.bytes("80 10 00 00")); // length 1 MiB
        assertThat(reader.feed(stream)).isEmpty();
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < 16; i++) {
            assertThat(reader.feed(Unpooled.wrappedBuffer(chunk))).isEmpty();
        }
        assertThat(reader.feed(Hex.buf(CHROMIUM_CLOSE))).contains(new Capsules.Close(0, ""));
    }
}
