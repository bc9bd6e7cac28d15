package org.moqrelay.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Coverage-guided fuzzing of {@link VarInts} (run by {@code scripts/fuzz.sh}). */
class VarIntsFuzzTest {

    /**
     * Any bytes read as one varint (or a {@link DecodeException} when short); the value is in
     * range, peeking agrees with reading, and the minimal encoding reads back the same.
     */
    @FuzzTest
    void readAnyVarint(byte[] input) {
        ByteBuf in = Unpooled.wrappedBuffer(input);
        long peeked = VarInts.peek(in);
        long v;
        try {
            v = VarInts.read(in);
        } catch (DecodeException e) {
            assertThat(peeked).isEqualTo(-1);
            assertThat(in.readerIndex()).isZero();
            assertThat(e.code()).isEqualTo(ErrorCode.DECODE);
            return;
        }
        assertThat(v).isEqualTo(peeked).isBetween(0L, VarInts.MAX);
        assertThat(in.readerIndex()).isEqualTo(VarInts.lengthAt(Unpooled.wrappedBuffer(input), 0));
        ByteBuf out = Unpooled.buffer(8);
        VarInts.write(out, v);
        assertThat(out.readableBytes()).isEqualTo(VarInts.size(v)).isLessThanOrEqualTo(in.readerIndex());
        assertThat(VarInts.read(out)).isEqualTo(v);
        assertThat(VarInts.unzigzag(VarInts.zigzag(v))).isEqualTo(v);
        assertThat(VarInts.zigzag(VarInts.unzigzag(v))).isEqualTo(v);
    }
}
