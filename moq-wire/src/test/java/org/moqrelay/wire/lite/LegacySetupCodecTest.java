package org.moqrelay.wire.lite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.moqrelay.wire.DecodeException;

class LegacySetupCodecTest {
    /** spec/moq-lite.md §12.2, byte-identical to what @moq/net sends (chromium-captures §4), after the 0x20 type. */
    static final String JS_CLIENT_SETUP = "0031"                    // u16 length 49
            + "03" + "c0000000ff0dad02" + "c0000000ff0dad01" + "c0000000ff00000e" // lite-02, lite-01, draft-14
            + "03" + "028000a455"                                    // MaxRequestId (even: varint) = 42069
            + "80040b5a01"                                           // Solicit 0x40b5a = 1
            + "070b" + "6d6f712d6c6974652d6a73";                     // Implementation (odd: bytes) "moq-lite-js"

    @Test
    void theJavaScriptClientSetupDecodesToItsVersionsAndParameters() {
        ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(JS_CLIENT_SETUP));
        ClientSetup s = LegacySetupCodec.decodeClientSetup(in);
        assertThat(s).isNotNull();
        assertThat(s.versions()).containsExactly(0xff0dad02L, 0xff0dad01L, 0xff00000eL);
        assertThat(new String(s.parameters().get(7L), StandardCharsets.UTF_8)).isEqualTo("moq-lite-js");
        assertThat(s.parameters()).containsKeys(2L, 0x40b5aL);
        assertThat(in.isReadable()).isFalse();
    }

    @Test
    void anIncompleteClientSetupConsumesNothing() {
        byte[] all = ByteBufUtil.decodeHexDump(JS_CLIENT_SETUP);
        for (int n = 0; n < all.length; n++) {
            ByteBuf in = Unpooled.wrappedBuffer(all, 0, n);
            assertThat(LegacySetupCodec.decodeClientSetup(in)).isNull();
            assertThat(in.readerIndex()).isZero();
        }
    }

    @Test
    void trailingBytesInsideTheLengthAreADecodeError() {
        ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("0004" + "00" + "00" + "0000"));
        assertThatThrownBy(() -> LegacySetupCodec.decodeClientSetup(in)).isInstanceOf(DecodeException.class);
    }

    @Test
    void serverSetupSelectingLite02MatchesTheReference() {
        ByteBuf out = Unpooled.buffer();
        LegacySetupCodec.encodeServerSetup(out, 0xff0dad02L);
        // 0x21 | u16 len 9 | c0 00 00 00 ff 0d ad 02 | 0 params
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("210009c0000000ff0dad0200");
    }

    @Test
    void aClientSetupWeWriteDecodesAndServerSetupRoundTrips() {
        ByteBuf out = Unpooled.buffer();
        LegacySetupCodec.encodeClientSetup(out, java.util.List.of(0xff0dad02L, 0xff0dad01L));
        assertThat(out.readByte()).isEqualTo((byte) 0x20);
        assertThat(LegacySetupCodec.decodeClientSetup(out).versions()).containsExactly(0xff0dad02L, 0xff0dad01L);
        ByteBuf server = Unpooled.buffer();
        LegacySetupCodec.encodeServerSetup(server, 0xff0dad01L);
        server.skipBytes(1);
        assertThat(LegacySetupCodec.decodeServerSetup(server)).isEqualTo(0xff0dad01L);
        assertThat(LegacySetupCodec.decodeServerSetup(Unpooled.wrappedBuffer(new byte[] {0, 9, 1}))).isEqualTo(-1);
    }

    @Test
    void aBytesParameterLongerThanWhatFollowsItsLengthIsADecodeError() {
        // The length (02) fits in the bytes left before it was read, but only one byte follows it.
        ByteBuf client = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("0005" + "00" + "01" + "07" + "02" + "41"));
        assertThatThrownBy(() -> LegacySetupCodec.decodeClientSetup(client))
                .isInstanceOf(DecodeException.class).hasMessageContaining("CLIENT_SETUP parameter length 2");
        ByteBuf server = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("0005" + "02" + "01" + "07" + "02" + "41"));
        assertThatThrownBy(() -> LegacySetupCodec.decodeServerSetup(server))
                .isInstanceOf(DecodeException.class).hasMessageContaining("SERVER_SETUP parameter length 2");
    }
}
