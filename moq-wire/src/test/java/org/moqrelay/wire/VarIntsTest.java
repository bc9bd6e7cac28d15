package org.moqrelay.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VarIntsTest {

    // ---------------------------------------------------------------- length boundaries

    @ParameterizedTest(name = "{0} encodes as [{1}]")
    @CsvSource({
            "0,                   00",
            "37,                  25",                        // RFC 9000 §A.1 example
            "63,                  3f",                        // largest 1-byte value
            "64,                  40 40",                     // smallest 2-byte value
            "15293,               7b bd",                     // RFC 9000 §A.1 example
            "16383,               7f ff",                     // largest 2-byte value
            "16384,               80 00 40 00",               // smallest 4-byte value
            "494878333,           9d 7f 3e 7d",               // RFC 9000 §A.1 example
            "1073741823,          bf ff ff ff",               // 2^30 - 1, largest 4-byte value
            "1073741824,          c0 00 00 00 40 00 00 00",   // 2^30, smallest 8-byte value
            "151288809941952652,  c2 19 7c 5e ff 14 e8 8c",   // RFC 9000 §A.1 example
            "4611686018427387903, ff ff ff ff ff ff ff ff",   // 2^62 - 1 = VarInts.MAX
    })
    void minimalEncodingAtEveryLengthBoundaryRoundTrips(long value, String hex) {
        byte[] wire = Hex.bytes(hex);
        assertThat(VarInts.size(value)).isEqualTo(wire.length);

        ByteBuf out = Unpooled.buffer();
        VarInts.write(out, value);
        assertThat(Hex.of(out)).isEqualTo(Hex.normalize(hex));

        assertThat(VarInts.peekLength(out)).isEqualTo(wire.length);
        assertThat(VarInts.peek(out)).isEqualTo(value);
        assertThat(out.readerIndex()).as("peek consumes nothing").isZero();
        assertThat(VarInts.read(out)).isEqualTo(value);
        assertThat(out.isReadable()).isFalse();
        assertThat(VarInts.toBytes(value)).isEqualTo(wire);
    }

    @Test
    void maxIsTwoToTheSixtyTwoMinusOne() {
        assertThat(VarInts.MAX).isEqualTo((1L << 62) - 1);
    }

    @Test
    void valuesOutsideTheVarintRangeAreRejectedOnEncode() {
        ByteBuf out = Unpooled.buffer();
        assertThatThrownBy(() -> VarInts.write(out, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VarInts.write(out, 1L << 62)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VarInts.write(out, Long.MIN_VALUE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VarInts.size(Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
        assertThat(out.writerIndex()).as("nothing written").isZero();
    }

    // ---------------------------------------------------------------- non-minimal encodings

    @ParameterizedTest(name = "[{0}] decodes to {1}")
    @CsvSource({
            "40 00,                   0",
            "40 25,                   37",      // RFC 9000 §A.1: two-byte 37
            "80 00 00 00,             0",
            "80 00 00 3f,             63",
            "80 00 3f ff,             16383",
            "c0 00 00 00 00 00 00 00, 0",
            "c0 00 00 00 00 00 00 25, 37",
            "c0 00 00 00 3f ff ff ff, 1073741823",
    })
    void nonMinimalEncodingsAreAcceptedOnDecode(String hex, long value) {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes(hex));
        assertThat(VarInts.peek(in)).isEqualTo(value);
        assertThat(VarInts.read(in)).isEqualTo(value);
        assertThat(in.isReadable()).isFalse();
    }

    // ---------------------------------------------------------------- short buffers

    @ParameterizedTest(name = "[{0}] is incomplete")
    @CsvSource({
            "''",
            "40",
            "80",
            "80 00 00",
            "c0",
            "c0 00 00 00 00 00 00",
            "ff ff ff ff ff ff ff",
    })
    void peekOnAShortBufferReturnsMinusOneWithoutConsuming(String hex) {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes(hex));
        int readable = in.readableBytes();
        assertThat(VarInts.peekLength(in)).isEqualTo(-1);
        assertThat(VarInts.peek(in)).isEqualTo(-1);
        assertThat(in.readerIndex()).isZero();
        assertThat(in.readableBytes()).isEqualTo(readable);
    }

    @Test
    void readOnAShortBufferThrowsDecodeWithoutConsuming() {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes("80 00 01"));
        assertThatThrownBy(() -> VarInts.read(in))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DECODE));
        assertThat(in.readerIndex()).isZero();
    }

    @Test
    void peekLooksOnlyAtTheReaderIndex() {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes("ff 40 40 01"));
        in.skipBytes(1);
        assertThat(VarInts.peek(in)).isEqualTo(64);
        assertThat(VarInts.lengthAt(in, 3)).isEqualTo(1);
        assertThat(VarInts.getAt(in, 3)).isEqualTo(1);
        assertThat(in.readerIndex()).isEqualTo(1);
    }

    @Test
    void readIntRejectsValuesAboveTheLimit() {
        ByteBuf ok = Unpooled.wrappedBuffer(Hex.bytes("40 40"));
        assertThat(VarInts.readInt(ok, 64, "count")).isEqualTo(64);

        ByteBuf big = Unpooled.wrappedBuffer(Hex.bytes("40 41"));
        assertThatThrownBy(() -> VarInts.readInt(big, 64, "count"))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DECODE))
                .hasMessageContaining("count");

        ByteBuf huge = Unpooled.wrappedBuffer(Hex.bytes("ff ff ff ff ff ff ff ff"));
        assertThatThrownBy(() -> VarInts.readInt(huge, Integer.MAX_VALUE, "length"))
                .isInstanceOf(DecodeException.class);
    }

    // ---------------------------------------------------------------- zigzag

    @ParameterizedTest(name = "zigzag({0}) = {1}")
    @CsvSource({
            "0,    0",
            "-1,   1",
            "1,    2",
            "-2,   3",
            "2,    4",
            "1000, 2000",   // moq-lite.md §12.8: first frame at ts 1000
            "33,   66",     // moq-lite.md §12.8: +33 ms
            "1029, 2058",   // chromium-captures.md §3: +1029 ms
            "9223372036854775807, -2",                // Long.MAX_VALUE maps to the all-ones-but-last pattern
            "-9223372036854775808, -1",               // Long.MIN_VALUE maps to all ones
    })
    void zigzagMapsSmallMagnitudesToSmallValues(long signed, long unsigned) {
        assertThat(VarInts.zigzag(signed)).isEqualTo(unsigned);
        assertThat(VarInts.unzigzag(unsigned)).isEqualTo(signed);
    }

    // ---------------------------------------------------------------- properties

    @Provide
    Arbitrary<Long> varints() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, VarInts.MAX),
                Arbitraries.of(0L, 63L, 64L, 16383L, 16384L, (1L << 30) - 1, 1L << 30, VarInts.MAX));
    }

    @Property
    void everyVarintRoundTripsThroughItsMinimalEncoding(@ForAll("varints") long value) {
        ByteBuf out = Unpooled.buffer(8);
        VarInts.write(out, value);
        assertThat(out.readableBytes()).isEqualTo(VarInts.size(value));
        assertThat(VarInts.lengthAt(out, 0)).isEqualTo(VarInts.size(value));
        assertThat(VarInts.peek(out)).isEqualTo(value);
        assertThat(VarInts.read(out)).isEqualTo(value);
        assertThat(out.isReadable()).isFalse();
    }

    @Property
    void everyVarintDecodesFromEveryWiderEncoding(@ForAll("varints") long value) {
        for (int len : new int[] {1, 2, 4, 8}) {
            if (len < VarInts.size(value)) continue;
            ByteBuf in = Unpooled.buffer(8);
            switch (len) {
                case 1 -> in.writeByte((int) value);
                case 2 -> in.writeShort((int) (value | 0x4000));
                case 4 -> in.writeInt((int) (value | 0x8000_0000L));
                default -> in.writeLong(value | 0xC000_0000_0000_0000L);
            }
            assertThat(VarInts.read(in)).as("%d in %d bytes", value, len).isEqualTo(value);
        }
    }

    @Property
    void everyStrictPrefixOfAVarintPeeksAsIncomplete(@ForAll("varints") long value) {
        ByteBuf out = Unpooled.buffer(8);
        VarInts.write(out, value);
        for (int n = 0; n < out.readableBytes(); n++) {
            ByteBuf prefix = out.slice(0, n);
            assertThat(VarInts.peek(prefix)).isEqualTo(-1);
            assertThat(prefix.readerIndex()).isZero();
        }
    }

    @Property
    void zigzagRoundTripsEverySignedValue(@ForAll long signed) {
        long u = VarInts.zigzag(signed);
        assertThat(VarInts.unzigzag(u)).isEqualTo(signed);
        assertThat(u).isEqualTo(signed >= 0 ? 2 * signed : -2 * signed - 1);
    }

    @Property
    void zigzagOfAnyDeltaWithinHalfTheRangeIsAVarint(@ForAll("varints") long unsigned) {
        long signed = VarInts.unzigzag(unsigned);
        assertThat(VarInts.zigzag(signed)).isEqualTo(unsigned);
        assertThat(Math.abs(signed)).isLessThanOrEqualTo(1L << 61);
    }
}
