package org.moqrelay.wire.lite;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.moqrelay.wire.DecodeException;
import org.moqrelay.wire.ErrorCode;

/**
 * Coverage-guided fuzzing of the group-stream frame header (run by {@code scripts/fuzz.sh}).
 * Input layout: bit 0 of byte 0 says whether frames carry timestamps (lite-05+), the rest is the stream.
 */
class FramesFuzzTest {

    /**
     * Any bytes give a header, "not yet" (null) or FRAME_TOO_LARGE; peeking consumes nothing, and
     * a header re-encodes to one that peeks the same.
     */
    @FuzzTest
    void peekAnyHeader(byte[] input) {
        if (input.length < 1) return;
        boolean timestamps = (input[0] & 1) != 0;
        ByteBuf in = Unpooled.wrappedBuffer(Arrays.copyOfRange(input, 1, input.length));
        Frames.Header h;
        try {
            h = Frames.peekHeader(in, timestamps);
        } catch (DecodeException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            return;
        } finally {
            assertThat(in.readerIndex()).isZero();
        }
        if (h == null) return;
        assertThat(h.size()).isBetween(0, Frames.MAX_FRAME_SIZE);
        assertThat(h.headerLength()).isBetween(1, in.readableBytes());
        if (!timestamps) assertThat(h.timestampDelta()).isZero();
        ByteBuf out = Unpooled.buffer(16);
        Frames.writeHeader(out, timestamps, h.timestampDelta(), h.size());
        assertThat(out.readableBytes()).isEqualTo(Frames.headerSize(timestamps, h.timestampDelta(), h.size()));
        Frames.Header again = Frames.peekHeader(out, timestamps);
        assertThat(again.timestampDelta()).isEqualTo(h.timestampDelta());
        assertThat(again.size()).isEqualTo(h.size());
        assertThat(again.headerLength()).isEqualTo(out.readableBytes()).isLessThanOrEqualTo(h.headerLength());
    }
}
