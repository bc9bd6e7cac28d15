package org.moqrelay.wire.lite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.moqrelay.wire.DecodeException;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Hex;
import org.moqrelay.wire.VarInts;

class FramesTest {

    private static final int MIB = 1024 * 1024;

    @Test
    void theFrameCapIsThirtyTwoMebibytes() {
        assertThat(Frames.MAX_FRAME_SIZE).isEqualTo(32 * MIB);
    }

    @Test
    void aLite05HeaderIsTheZigzagDeltaThenTheSize() {
        ByteBuf out = Unpooled.buffer();
        Frames.writeHeader(out, true, 1000, 2);
        assertThat(Hex.of(out)).isEqualTo(Hex.normalize(
                "47 d0",  // zigzag(1000) = 2000
                "02"      // payload length 2
        ));
        assertThat(Frames.headerSize(true, 1000, 2)).isEqualTo(3);
        assertThat(Frames.peekHeader(out, true)).isEqualTo(new Frames.Header(1000, 2, 3));
        assertThat(out.readerIndex()).as("peek consumes nothing").isZero();
    }

    @Test
    void aPreLite05HeaderIsOnlyTheSize() {
        ByteBuf out = Unpooled.buffer();
        Frames.writeHeader(out, false, 1000, 300);
        assertThat(Hex.of(out)).isEqualTo(Hex.normalize(
                "41 2c"   // payload length 300; the delta is not written
        ));
        assertThat(Frames.headerSize(false, 1000, 300)).isEqualTo(2);
        assertThat(Frames.peekHeader(out, false)).isEqualTo(new Frames.Header(0, 300, 2));
    }

    @Test
    void aHeaderIsReadableBeforeItsPayloadArrives() {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes("80 10 00 00"));  // size 1 MiB, no payload yet
        assertThat(Frames.peekHeader(in, false)).isEqualTo(new Frames.Header(0, MIB, 4));
    }

    @Test
    void anEmptyOrPartialHeaderIsNotThereYet() {
        for (String hex : new String[] {"", "47", "47 d0", "47 d0 80 00"}) {
            ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes(hex));
            assertThat(Frames.peekHeader(in, true)).as("[%s]", hex).isNull();
            assertThat(in.readerIndex()).isZero();
        }
        for (String hex : new String[] {"", "40", "80 00 00", "c0 00 00 00 00 00 00"}) {
            ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes(hex));
            assertThat(Frames.peekHeader(in, false)).as("[%s]", hex).isNull();
            assertThat(in.readerIndex()).isZero();
        }
    }

    @Test
    void aFrameOfExactlyThirtyTwoMebibytesIsAccepted() {
        ByteBuf in = Unpooled.buffer();
        Frames.writeHeader(in, true, -5, Frames.MAX_FRAME_SIZE);
        assertThat(Frames.peekHeader(in, true)).isEqualTo(new Frames.Header(-5, Frames.MAX_FRAME_SIZE, 5));
    }

    @Test
    void aFrameOneByteOverThirtyTwoMebibytesIsFrameTooLarge() {
        ByteBuf in = Unpooled.buffer();
        VarInts.write(in, VarInts.zigzag(0));
        VarInts.write(in, Frames.MAX_FRAME_SIZE + 1L);
        assertThatThrownBy(() -> Frames.peekHeader(in, true))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE));
    }

    @Test
    void aHugeDeclaredSizeIsRejectedWithoutAnyPayload() {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes("ff ff ff ff ff ff ff ff"));  // size 2^62 - 1
        assertThatThrownBy(() -> Frames.peekHeader(in, false))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE));
    }

    @Test
    void aHeaderIsReadAtTheReaderIndex() {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes("02 68 69 | 03 | 02 79 6f"));  // "hi", then delta -2, "yo"
        in.skipBytes(3);
        assertThat(Frames.peekHeader(in, true)).isEqualTo(new Frames.Header(-2, 2, 2));
        assertThat(in.readerIndex()).isEqualTo(3);
    }

    // ---------------------------------------------------------------- properties

    @Provide
    Arbitrary<Long> deltas() {
        // Any delta whose zigzag form still fits a varint.
        return Arbitraries.longs().between(-(1L << 61), (1L << 61) - 1);
    }

    @Property
    void everyHeaderRoundTrips(@ForAll boolean timestamps, @ForAll("deltas") long delta,
                               @ForAll @IntRange(min = 0, max = 32 * 1024 * 1024) int size) {
        ByteBuf out = Unpooled.buffer();
        Frames.writeHeader(out, timestamps, delta, size);
        assertThat(out.readableBytes()).isEqualTo(Frames.headerSize(timestamps, delta, size));
        Frames.Header h = Frames.peekHeader(out, timestamps);
        assertThat(h).isEqualTo(new Frames.Header(timestamps ? delta : 0, size, out.readableBytes()));
        for (int n = 0; n < out.readableBytes(); n++) {
            assertThat(Frames.peekHeader(out.slice(0, n), timestamps)).as("prefix %d", n).isNull();
        }
    }

    @Property
    void everyDeclaredSizeAboveTheCapIsFrameTooLarge(@ForAll boolean timestamps, @ForAll("deltas") long delta,
                                                     @ForAll @LongRange(min = 32 * 1024 * 1024 + 1, max = VarInts.MAX) long size) {
        ByteBuf in = Unpooled.buffer();
        if (timestamps) VarInts.write(in, VarInts.zigzag(delta));
        VarInts.write(in, size);
        assertThatThrownBy(() -> Frames.peekHeader(in, timestamps))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE));
    }

    @Property
    void arbitraryBytesGiveAHeaderNullOrFrameTooLarge(@ForAll boolean timestamps, @ForAll @Size(max = 20) byte[] bytes) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            Frames.Header h = Frames.peekHeader(in, timestamps);
            if (h != null) {
                assertThat(h.headerLength()).isBetween(1, 16).isLessThanOrEqualTo(bytes.length);
                assertThat(h.size()).isBetween(0, Frames.MAX_FRAME_SIZE);
            }
        } catch (DecodeException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        }
        assertThat(in.readerIndex()).isZero();
    }
}
