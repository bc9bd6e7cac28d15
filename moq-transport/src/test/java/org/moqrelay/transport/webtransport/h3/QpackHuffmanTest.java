package org.moqrelay.transport.webtransport.h3;

import org.moqrelay.transport.Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QpackHuffmanTest {

    private static String decode(String hex) {
        ByteBuf in = Hex.buf(hex);
        return new String(QpackHuffman.decode(in, 0, in.readableBytes(), 1 << 16), StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "{0} decodes to \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            // RFC 7541 C.4 (requests) and C.6 (responses)
            "f1e3 c2e5 f23a 6ba0 ab90 f4ff                                 | www.example.com",
            "a8eb 1064 9cbf                                                 | no-cache",
            "25a8 49e9 5ba9 7d7f                                            | custom-key",
            "25a8 49e9 5bb8 e8b4 bf                                         | custom-value",
            "6402                                                           | 302",
            "aec3 771a 4b                                                   | private",
            "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff         | 'Mon, 21 Oct 2013 20:13:21 GMT'",
            "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3                     | https://www.example.com",
    })
    void rfc7541AppendixCExamplesDecode(String hex, String expected) {
        String text = expected.startsWith("'") ? expected.substring(1, expected.length() - 1) : expected;
        assertThat(decode(hex)).isEqualTo(text);
        assertThat(Hex.of(QpackHuffman.encode(text.getBytes(StandardCharsets.ISO_8859_1)))).isEqualTo(Hex.normalize(hex));
    }

    @Test
    void derivedCanonicalCodesMatchSpotChecksFromTheRfcTable() {
        assertThat(QpackHuffman.code(0)).isEqualTo(0x1ff8);
        assertThat(QpackHuffman.length(0)).isEqualTo(13);
        assertThat(QpackHuffman.code('0')).isEqualTo(0x0);
        assertThat(QpackHuffman.code('a')).isEqualTo(0x3);
        assertThat(QpackHuffman.code(' ')).isEqualTo(0x14);
        assertThat(QpackHuffman.length(' ')).isEqualTo(6);
        assertThat(QpackHuffman.code('!')).isEqualTo(0x3f8);
        assertThat(QpackHuffman.code('"')).isEqualTo(0x3f9);
        assertThat(QpackHuffman.code(10)).isEqualTo(0x3ffffffc);
        assertThat(QpackHuffman.code(127)).isEqualTo(0xffffffc);
        assertThat(QpackHuffman.code(0xfe)).isEqualTo(0x7fffff0);
        assertThat(QpackHuffman.code(0xff)).isEqualTo(0x3ffffee);
        assertThat(QpackHuffman.code(QpackHuffman.EOS)).isEqualTo(0x3fffffff);
        assertThat(QpackHuffman.length(QpackHuffman.EOS)).isEqualTo(30);
    }

    @Test
    void codeLengthsFormACompletePrefixCode() {
        // Kraft equality: every bit string is covered exactly once, so decoding never gets stuck.
        double sum = 0;
        for (int s = 0; s <= QpackHuffman.EOS; s++) sum += Math.pow(2, -QpackHuffman.length(s));
        assertThat(sum).isEqualTo(1.0);
    }

    @Test
    void anEmptyStringDecodesToNothing() {
        assertThat(decode("")).isEmpty();
    }

    @Test
    void theEosSymbolInsideAStringIsRejected() {
        // 30 ones (EOS) followed by two padding ones.
        assertThatThrownBy(() -> decode("ff ff ff ff")).isInstanceOf(QpackException.class).hasMessageContaining("EOS");
    }

    @Test
    void paddingOfEightOrMoreBitsIsRejected() {
        // 'a' (00011) + 3 padding ones, then a whole byte of padding.
        assertThat(decode("1f")).isEqualTo("a");
        assertThatThrownBy(() -> decode("1f ff")).isInstanceOf(QpackException.class).hasMessageContaining("longer than 7");
    }

    @Test
    void paddingThatIsNotAllOnesIsRejected() {
        assertThatThrownBy(() -> decode("18")).isInstanceOf(QpackException.class).hasMessageContaining("prefix of EOS");
    }

    @Test
    void outputLongerThanTheLimitIsRejected() {
        ByteBuf in = Unpooled.wrappedBuffer(QpackHuffman.encode("0123456789".getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> QpackHuffman.decode(in, 0, in.readableBytes(), 9))
                .isInstanceOf(QpackException.class);
        assertThat(QpackHuffman.decode(in, 0, in.readableBytes(), 10)).hasSize(10);
    }

    @Property
    void everyByteStringRoundTrips(@ForAll byte[] data) {
        byte[] encoded = QpackHuffman.encode(data);
        ByteBuf in = Unpooled.wrappedBuffer(encoded);
        assertThat(QpackHuffman.decode(in, 0, encoded.length, Integer.MAX_VALUE - 8)).isEqualTo(data);
    }
}
