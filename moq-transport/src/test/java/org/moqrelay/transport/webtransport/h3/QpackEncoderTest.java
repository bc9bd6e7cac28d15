package org.moqrelay.transport.webtransport.h3;

import org.moqrelay.transport.Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

class QpackEncoderTest {

    @Test
    void theWebTransportResponseEncodesToTheExact71Bytes() {
        ByteBuf frame = QpackEncoder.headersFrame(List.of(
                new HeaderField(":status", "200"),
                new HeaderField("sec-webtransport-http3-draft", "draft02"),
                new HeaderField("wt-protocol", "\"moq-lite-05\"")));

        assertThat(frame.readableBytes()).isEqualTo(71);
        assertThat(Hex.of(frame)).isEqualTo(Hex.normalize(ChromiumCaptures.RESPONSE_HEADERS_FRAME));
    }

    @Test
    void theResponseWithoutTheDraftHeaderMatchesTheCapturedVariant() {
        ByteBuf frame = QpackEncoder.headersFrame(List.of(
                new HeaderField(":status", "200"), new HeaderField("wt-protocol", "\"moq-lite-05\"")));
        assertThat(Hex.of(frame)).isEqualTo(Hex.normalize("01 1e 00 00 d9 27 04 'wt-protocol' 0d '\"moq-lite-05\"'"));
    }

    @Test
    void statusesInTheStaticTableAreIndexedLines() {
        ByteBuf out = Unpooled.buffer();
        QpackEncoder.encode(out, List.of(
                new HeaderField(":status", "404"), new HeaderField(":status", "400"), new HeaderField(":status", "500")));
        assertThat(Hex.of(out)).isEqualTo("00 00 db ff 04 ff 08"); // 27, 67, 71
    }

    @Test
    void otherStatusesUseAStaticNameReference() {
        ByteBuf out = Unpooled.buffer();
        QpackEncoder.encode(out, List.of(new HeaderField(":status", "401")));
        assertThat(Hex.of(out)).isEqualTo(Hex.normalize("00 00 5f 09 03 '401'")); // name of index 24
    }

    @Test
    void longLiteralNamesUseTheThreeBitPrefixContinuation() {
        ByteBuf out = Unpooled.buffer();
        QpackEncoder.encode(out, List.of(new HeaderField("x".repeat(200), "")));
        // 0x27 = literal name, length 7 + 193 continued as c1 01
        assertThat(Hex.of(out.slice(0, 5))).isEqualTo("00 00 27 c1 01");
        assertThat(QpackDecoder.decode(out)).containsExactly(new HeaderField("x".repeat(200), ""));
    }

    @Test
    void upperCaseOrEmptyNamesAndWideCharsAreRefused() {
        ByteBuf out = Unpooled.buffer();
        assertThatThrownBy(() -> QpackEncoder.encode(out, List.of(new HeaderField("Wt-Protocol", "x"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QpackEncoder.encode(out, List.of(new HeaderField("", "x"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QpackEncoder.encode(out, List.of(new HeaderField("x", "\u20ac"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
