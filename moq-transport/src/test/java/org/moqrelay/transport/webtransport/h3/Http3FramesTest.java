package org.moqrelay.transport.webtransport.h3;

import org.moqrelay.transport.Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Http3FramesTest {

    @Test
    void serverSettingsAreTheExactControlStreamBytes() {
        ByteBuf settings = Http3Frames.serverSettings();
        assertThat(Hex.of(settings)).isEqualTo(Hex.normalize(
                "00 04 1c 08 01 33 01 80 ff d2 77 01 c0 00 00 00 c6 71 70 6a 01 ab 60 37 43 01 ab 60 37 42 01"));
    }

    @Test
    void serverSettingsParseBackAndEnableWebTransport() {
        ByteBuf stream = Http3Frames.serverSettings();
        stream.skipBytes(1); // stream type
        Http3Frames.FrameHeader h = Http3Frames.readFrameHeader(stream, 1024);
        assertThat(h.type()).isEqualTo(Http3Frames.SETTINGS);
        Map<Long, Long> parsed = Http3Frames.parseSettings(stream.readSlice((int) h.length()));
        assertThat(parsed).containsExactly(
                entry(0x08L, 1L), entry(0x33L, 1L), entry(0xffd277L, 1L),
                entry(0xc671706aL, 1L), entry(0x2b603743L, 1L), entry(0x2b603742L, 1L));
        assertThat(Http3Frames.supportsWebTransport(parsed)).isTrue();
    }

    @Test
    void chromiumsControlStreamParsesWithTheGreaseSettingLeftOutAndTheGreaseFrameSkippable() {
        ByteBuf stream = Hex.buf("""
                00
                04 29
                01 80 01 00 00
                06 80 00 40 00
                07 40 64
                33 01
                80 ff d2 77 01
                ab 60 37 42 01
                c0 00 00 19 a9 e6 92 9e  c0 00 00 00 7b 4b ca be
                c0 00 00 00 e6 e2 7c 37 02 87 84
                """);
        assertThat(stream.readByte()).isEqualTo((byte) Http3Frames.STREAM_CONTROL);
        Http3Frames.FrameHeader settings = Http3Frames.readFrameHeader(stream, 4096);
        Map<Long, Long> parsed = Http3Frames.parseSettings(stream.readSlice((int) settings.length()));
        assertThat(parsed).containsExactly(
                entry(0x01L, 65536L), entry(0x06L, 16384L), entry(0x07L, 100L),
                entry(0x33L, 1L), entry(0xffd277L, 1L), entry(0x2b603742L, 1L));
        assertThat(Http3Frames.supportsWebTransport(parsed)).isTrue();

        Http3Frames.FrameHeader grease = Http3Frames.readFrameHeader(stream, 4096);
        assertThat(Http3Frames.isGrease(grease.type())).isTrue();
        assertThat(grease.length()).isEqualTo(2);
        stream.skipBytes(2);
        assertThat(stream.isReadable()).isFalse();
    }

    @Test
    void settingsWithoutDatagramsOrWithoutTheDraft02FlagDoNotEnableWebTransport() {
        assertThat(Http3Frames.supportsWebTransport(Map.of(0x2b603742L, 1L))).isFalse();
        assertThat(Http3Frames.supportsWebTransport(Map.of(0x33L, 1L))).isFalse();
        assertThat(Http3Frames.supportsWebTransport(Map.of(0x33L, 1L, 0xc671706aL, 4L))).isTrue();
        assertThat(Http3Frames.supportsWebTransport(Map.of(0xffd277L, 1L, 0x2b603742L, 1L))).isTrue();
    }

    @Test
    void aWebTransportServerNeedsExtendedConnectDatagramsAndWebTransportEachNamedWhenMissing() {
        assertThat(Http3Frames.missingForWebTransportServer(Map.of(0x33L, 1L, 0xc671706aL, 1L)))
                .hasValueSatisfying(m -> assertThat(m).startsWith("SETTINGS_ENABLE_CONNECT_PROTOCOL (0x8)"));
        assertThat(Http3Frames.missingForWebTransportServer(Map.of(0x08L, 0L, 0x33L, 1L, 0xc671706aL, 1L)))
                .hasValueSatisfying(m -> assertThat(m).startsWith("SETTINGS_ENABLE_CONNECT_PROTOCOL"));
        assertThat(Http3Frames.missingForWebTransportServer(Map.of(0x08L, 1L, 0xc671706aL, 1L)))
                .hasValueSatisfying(m -> assertThat(m).startsWith("SETTINGS_H3_DATAGRAM (0x33"));
        assertThat(Http3Frames.missingForWebTransportServer(Map.of(0x08L, 1L, 0x33L, 1L, 0xc671706aL, 0L)))
                .hasValueSatisfying(m -> assertThat(m).startsWith("SETTINGS_WEBTRANS_MAX_SESSIONS (0xc671706a)"));
    }

    @Test
    void ourServerSettingsAndADraft02OnlyServerAreEnoughForAWebTransportClient() {
        ByteBuf stream = Http3Frames.serverSettings();
        stream.skipBytes(1);
        Http3Frames.FrameHeader h = Http3Frames.readFrameHeader(stream, 1024);
        assertThat(Http3Frames.missingForWebTransportServer(Http3Frames.parseSettings(stream.readSlice((int) h.length()))))
                .isEmpty();
        // What a quiche server with only the draft-02 WebTransport and draft-04 datagram settings sends.
        assertThat(Http3Frames.missingForWebTransportServer(Map.of(0x08L, 1L, 0xffd277L, 1L, 0x2b603742L, 1L))).isEmpty();
    }

    @Test
    void duplicateSettingsAreASettingsError() {
        assertThatThrownBy(() -> Http3Frames.parseSettings(Hex.buf("33 01 08 01 33 00")))
                .isInstanceOfSatisfying(Http3Exception.class,
                        e -> assertThat(e.errorCode()).isEqualTo(Http3Exception.H3_SETTINGS_ERROR));
    }

    @Test
    void repeatedGreaseSettingsAreIgnored() {
        assertThat(Http3Frames.parseSettings(Hex.buf("21 05 21 06 33 01"))).containsExactly(entry(0x33L, 1L));
    }

    @Test
    void http2OnlySettingsAreASettingsError() {
        assertThatThrownBy(() -> Http3Frames.parseSettings(Hex.buf("02 00")))
                .isInstanceOfSatisfying(Http3Exception.class,
                        e -> assertThat(e.errorCode()).isEqualTo(Http3Exception.H3_SETTINGS_ERROR));
    }

    @Test
    void aSettingsPayloadEndingInsideAVarintIsAFrameError() {
        for (String bad : new String[] {"33", "33 40", "80 ff d2"}) {
            assertThatThrownBy(() -> Http3Frames.parseSettings(Hex.buf(bad)))
                    .as(bad)
                    .isInstanceOfSatisfying(Http3Exception.class,
                            e -> assertThat(e.errorCode()).isEqualTo(Http3Exception.H3_FRAME_ERROR));
        }
    }

    @Test
    void theFrameHeaderReaderWaitsForTheWholeFrameWithoutThrowingOrConsuming() {
        byte[] frame = Hex.bytes("41 00 80 00 00 05 'hello'"); // 2-byte type, 4-byte length
        for (int n = 0; n < frame.length; n++) {
            ByteBuf partial = Unpooled.wrappedBuffer(frame, 0, n);
            assertThat(Http3Frames.readFrameHeader(partial, 100)).as("first %d bytes", n).isNull();
            assertThat(partial.readerIndex()).isZero();
        }
        ByteBuf whole = Unpooled.wrappedBuffer(frame);
        assertThat(Http3Frames.readFrameHeader(whole, 100)).isEqualTo(new Http3Frames.FrameHeader(0x100, 5, 6));
        assertThat(whole.readerIndex()).isEqualTo(6);
        assertThat(whole.readableBytes()).isEqualTo(5);
    }

    @Test
    void aFrameOverTheLimitIsRefusedAsSoonAsItsHeaderIsReadable() {
        ByteBuf onlyHeader = Hex.buf("00 44 00");
        assertThatThrownBy(() -> Http3Frames.readFrameHeader(onlyHeader, 1023))
                .isInstanceOfSatisfying(Http3Exception.class,
                        e -> assertThat(e.errorCode()).isEqualTo(Http3Exception.H3_EXCESSIVE_LOAD));
        assertThat(Http3Frames.readFrameHeader(onlyHeader, 1024)).isNull();
    }

    @Test
    void writeFrameCopiesThePayloadWithoutConsumingIt() {
        ByteBuf payload = Hex.buf("'abc'");
        ByteBuf out = Unpooled.buffer();
        Http3Frames.writeFrame(out, Http3Frames.DATA, payload);
        assertThat(Hex.of(out)).isEqualTo("00 03 61 62 63");
        assertThat(payload.readableBytes()).isEqualTo(3);

        ByteBuf big = Unpooled.buffer();
        Http3Frames.writeFrame(big, Http3Frames.WEBTRANSPORT_STREAM, Unpooled.wrappedBuffer(new byte[64]));
        assertThat(Hex.of(big.slice(0, 4))).isEqualTo("40 41 40 40");
    }

    @Test
    void greaseCodePointsAreRecognised() {
        assertThat(Http3Frames.isGrease(0x21)).isTrue();
        assertThat(Http3Frames.isGrease(0x21 + 0x1f * 1000L)).isTrue();
        assertThat(Http3Frames.isGrease(0x20)).isFalse();
        assertThat(Http3Frames.isGrease(0x41)).isFalse();
        assertThat(Http3Frames.isGrease(0x19a9e6929eL)).as("Chromium GREASE setting id").isTrue();
    }
}
