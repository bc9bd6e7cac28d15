package org.moqrelay.transport.webtransport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.moqrelay.transport.webtransport.h3.Http3Exception;

/** Coverage-guided fuzzing of the peer's HTTP/3 control stream as {@link ControlStreamReader} reads it (run by {@code scripts/fuzz.sh}). */
class ControlStreamFuzzTest {

    /**
     * Any control stream, in pieces of a size its first byte picks, then its end: the SETTINGS
     * promise ends either with settings or with an {@link Http3Exception}, and every piece is released.
     */
    @FuzzTest
    void readAnyControlStream(byte[] input) {
        Promise<Map<Long, Long>> settings = ImmediateEventExecutor.INSTANCE.newPromise();
        ControlStreamReader reader = new ControlStreamReader(settings);
        int step = input.length == 0 ? 1 : 1 + (input[0] & 0x1f);
        List<ByteBuf> pieces = new ArrayList<>();
        for (int at = 0; at < input.length; at += step) {
            ByteBuf piece = Unpooled.directBuffer(step).writeBytes(input, at, Math.min(step, input.length - at));
            pieces.add(piece);
            reader.onData(piece);
        }
        reader.onFin();
        assertThat(settings.isDone()).isTrue();
        if (!settings.isSuccess()) assertThat(settings.cause()).isInstanceOf(Http3Exception.class);
        for (ByteBuf piece : pieces) assertThat(piece.refCnt()).as("a piece left unreleased").isZero();
    }
}
