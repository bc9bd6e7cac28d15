package org.moqrelay.transport.webtransport.h3;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Optional;

/**
 * Coverage-guided fuzzing of {@link Capsules.Reader}, the reader of an established session's
 * CONNECT stream (run by {@code scripts/fuzz.sh}). Byte 0 of an input sets the read size, so
 * frames and capsules split across reads at every point; the rest is the stream.
 */
class CapsulesFuzzTest {

    /**
     * Any stream gives at most one close capsule or an {@link Http3Exception}; bytes after the
     * close are refused; and the reader takes nothing it is not given.
     */
    @FuzzTest
    void readAnyCapsuleStream(byte[] input) {
        if (input.length < 1) return;
        int chunk = 1 + (input[0] & 0xff);
        Capsules.Reader reader = new Capsules.Reader();
        int closes = 0;
        try {
            for (int i = 1; i < input.length; i += chunk) {
                ByteBuf read = Unpooled.wrappedBuffer(input, i, Math.min(chunk, input.length - i));
                Optional<Capsules.Close> close = reader.feed(read);
                assertThat(read.refCnt()).isEqualTo(1);
                if (close.isPresent()) {
                    closes++;
                    assertThat(close.get().code()).isBetween(0L, 0xffff_ffffL);
                    assertThat(close.get().reason().length()).isLessThanOrEqualTo(Capsules.MAX_CLOSE_REASON_BYTES);
                }
            }
            Capsules.Close end = reader.finish();
            assertThat(end).isEqualTo(reader.close().orElse(new Capsules.Close(0, "")));
        } catch (Http3Exception e) {
            assertThat(e.errorCode()).isIn(Http3Exception.H3_MESSAGE_ERROR, Http3Exception.H3_FRAME_ERROR);
        }
        assertThat(closes).isLessThanOrEqualTo(1);
    }
}
