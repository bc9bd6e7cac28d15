package org.moqrelay.transport.webtransport.h3;

import org.moqrelay.transport.Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class QpackDecoderTest {

    @Test
    void decodesTheChromiumConnectHeadersFrameIntoItsEightFields() {
        ByteBuf frame = Hex.buf(ChromiumCaptures.CONNECT_HEADERS_FRAME);
        assertThat(frame.readableBytes()).isEqualTo(205);

        Http3Frames.FrameHeader header = Http3Frames.readFrameHeader(frame, 16384);
        assertThat(header).isEqualTo(new Http3Frames.FrameHeader(Http3Frames.HEADERS, 202, 3));
        List<HeaderField> fields = QpackDecoder.decode(frame.readSlice((int) header.length()));

        assertThat(fields).containsExactlyElementsOf(ChromiumCaptures.CONNECT_FIELDS);
        assertThat(frame.isReadable()).isFalse();
    }

    @Test
    void decodingConsumesTheSectionOnlyOnSuccess() {
        ByteBuf ok = Hex.buf("00 00 d9");
        assertThat(QpackDecoder.decode(ok)).containsExactly(new HeaderField(":status", "200"));
        assertThat(ok.isReadable()).isFalse();

        ByteBuf bad = Hex.buf("00 00 d9 3f");
        assertThatThrownBy(() -> QpackDecoder.decode(bad)).isInstanceOf(QpackException.class);
        assertThat(bad.readerIndex()).isZero();
    }

    @Test
    void anEmptyFieldSectionIsJustThePrefix() {
        assertThat(QpackDecoder.decode(Hex.buf("00 00"))).isEmpty();
    }

    @Test
    void aMissingPrefixIsTruncated() {
        assertThatThrownBy(() -> QpackDecoder.decode(Hex.buf(""))).isInstanceOf(QpackException.class);
        assertThatThrownBy(() -> QpackDecoder.decode(Hex.buf("00"))).isInstanceOf(QpackException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void aNonZeroRequiredInsertCountOrBaseIsRejected() {
        assertThatThrownBy(() -> QpackDecoder.decode(Hex.buf("02 00 d9"))).isInstanceOf(QpackException.class)
                .hasMessageContaining("Required Insert Count");
        assertThatThrownBy(() -> QpackDecoder.decode(Hex.buf("00 01 d9"))).isInstanceOf(QpackException.class)
                .hasMessageContaining("Base");
        assertThatThrownBy(() -> QpackDecoder.decode(Hex.buf("00 80 d9"))).isInstanceOf(QpackException.class)
                .hasMessageContaining("Base");
    }

    @Test
    void everyDynamicTableReferenceIsRejected() {
        // indexed dynamic (10xxxxxx), name reference dynamic (01N0xxxx), post-base indexed (0001xxxx),
        // post-base name reference (0000Nxxx)
        for (String line : List.of("80", "40 00", "10", "00 00")) {
            assertThatThrownBy(() -> QpackDecoder.decode(Hex.buf("00 00 " + line)))
                    .as(line).isInstanceOf(QpackException.class).hasMessageContaining("dynamic");
        }
    }

    @Test
    void staticIndicesPastTheTableAreRejected() {
        assertThat(QpackDecoder.decode(Hex.buf("00 00 ff 23"))).containsExactly(new HeaderField("x-frame-options", "sameorigin"));
        assertThatThrownBy(() -> QpackDecoder.decode(Hex.buf("00 00 ff 24"))).isInstanceOf(QpackException.class)
                .hasMessageContaining("99");
    }

    @Test
    void literalsWithStaticNameReferenceAndWithLiteralNameDecode() {
        // :status (name ref 24, via a 2-byte prefix integer) = "401"; then N=1 literal name "x-a" = "b".
        List<HeaderField> fields = QpackDecoder.decode(Hex.buf("00 00 5f 09 03 '401' 33 'x-a' 01 'b'"));
        assertThat(fields).containsExactly(new HeaderField(":status", "401"), new HeaderField("x-a", "b"));
    }

    @Test
    void aStringLongerThanTheRemainingBytesIsTruncated() {
        assertThatThrownBy(() -> QpackDecoder.decode(Hex.buf("00 00 51 05 'abc'"))).isInstanceOf(QpackException.class)
                .hasMessageContaining("left");
    }

    @Test
    void anOverlongPrefixIntegerIsRejected() {
        assertThatThrownBy(() -> QpackDecoder.decode(Hex.buf("00 00 ff ff ff ff ff ff ff 7f")))
                .isInstanceOf(QpackException.class).hasMessageContaining("too large");
    }

    @Test
    void fieldSectionsOverTheSizeLimitAreRejected() {
        // One field of 40 + 32 = 72 bytes by the RFC 9114 measure.
        String value = "v".repeat(39);
        ByteBuf out = Unpooled.buffer();
        QpackEncoder.encode(out, List.of(new HeaderField("n", value)));
        assertThat(QpackDecoder.decode(out.duplicate(), 72)).hasSize(1);
        assertThatThrownBy(() -> QpackDecoder.decode(out.duplicate(), 71)).isInstanceOf(QpackException.class)
                .hasMessageContaining("71");
    }

    @Test
    void manySmallFieldsAddUpToTheLimitToo() {
        List<HeaderField> fields = new ArrayList<>();
        for (int i = 0; i < 2000; i++) fields.add(new HeaderField("age", "0")); // indexed, 36 bytes each
        ByteBuf out = Unpooled.buffer();
        QpackEncoder.encode(out, fields);
        assertThatThrownBy(() -> QpackDecoder.decode(out)).isInstanceOf(QpackException.class)
                .hasMessageContaining("65536");
    }

    @Test
    void aHugeDeclaredStringLengthIsRejectedBeforeAllocating() {
        // literal name with a length of about 2^28 but only a few bytes present
        assertThatThrownBy(() -> QpackDecoder.decode(Hex.buf("00 00 27 ff ff ff 7f 'abc'")))
                .isInstanceOf(QpackException.class);
        // a big Huffman string that is all there but decodes past the limit
        byte[] big = QpackHuffman.encode("a".repeat(70_000).getBytes(StandardCharsets.US_ASCII));
        ByteBuf section = Unpooled.buffer();
        section.writeBytes(Hex.bytes("00 00 51"));
        section.writeByte(0xff); // H=1, 7-bit prefix full
        long rest = big.length - 127;
        while (rest >= 0x80) {
            section.writeByte((int) (rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        section.writeByte((int) rest);
        section.writeBytes(big);
        assertThatThrownBy(() -> QpackDecoder.decode(section)).isInstanceOf(QpackException.class);
    }

    @Property
    void arbitraryBytesDecodeOrThrowQpackExceptionOnly(@ForAll byte[] bytes) {
        try {
            QpackDecoder.decode(Unpooled.wrappedBuffer(bytes));
        } catch (QpackException expected) {
            // the only failure allowed
        }
    }

    @Property
    void arbitraryBytesAfterAValidPrefixDecodeOrThrowQpackExceptionOnly(@ForAll byte[] bytes) {
        ByteBuf in = Unpooled.buffer();
        in.writeShort(0);
        in.writeBytes(bytes);
        try {
            QpackDecoder.decode(in, 4096);
        } catch (QpackException expected) {
            // the only failure allowed
        }
    }

    @Property
    void whatTheEncoderWritesDecodesToTheSameFields(@ForAll("fieldLists") List<HeaderField> fields) {
        ByteBuf out = Unpooled.buffer();
        QpackEncoder.encode(out, fields);
        assertThat(QpackDecoder.decode(out)).isEqualTo(fields);
    }

    @Provide
    Arbitrary<List<HeaderField>> fieldLists() {
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.of(":status", ":path", "origin", "content-type", "wt-protocol"),
                Arbitraries.strings().withCharRange('a', 'z').withChars('-', ':').ofMinLength(1).ofMaxLength(40));
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.of("200", "404", "/", "", "text/plain", "sameorigin"),
                Arbitraries.strings().withCharRange((char) 0, (char) 0xff).ofMaxLength(300));
        return Combinators.combine(names, values).as(HeaderField::new).list().ofMaxSize(20);
    }
}
