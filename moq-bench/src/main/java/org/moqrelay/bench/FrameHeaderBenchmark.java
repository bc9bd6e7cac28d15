package org.moqrelay.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import org.moqrelay.wire.lite.Frames;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The lite-05 frame header (zigzag timestamp delta, size) written before every frame on every
 * subscriber's group stream, and read once per frame from the publisher's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameHeaderBenchmark {
    @Param({"100", "5000"})
    public int payloadBytes;

    /** 33 ms between frames (30 fps) in the default millisecond timescale. */
    private long delta = 33;
    private ByteBuf out;
    private ByteBuf encoded;
    private ByteBuf payload;

    @Setup
    public void setup() {
        out = ByteBufAllocator.DEFAULT.directBuffer(16);
        encoded = ByteBufAllocator.DEFAULT.directBuffer(16);
        Frames.writeHeader(encoded, true, delta, payloadBytes);
        payload = ByteBufAllocator.DEFAULT.directBuffer(payloadBytes);
        payload.writeZero(payloadBytes);
    }

    @TearDown
    public void tearDown() {
        out.release();
        encoded.release();
        payload.release();
    }

    /** The header alone, into a reused buffer. */
    @Benchmark
    public int writeHeader() {
        out.clear();
        Frames.writeHeader(out, true, delta, payloadBytes);
        return out.writerIndex();
    }

    @Benchmark
    public Frames.Header peekHeader() {
        return Frames.peekHeader(encoded, true);
    }

    /**
     * What one subscriber's write of one frame costs in buffers, done the way {@code GroupWriter}
     * does it when this was written: a pooled header buffer, a retained duplicate of the cached
     * payload and a composite of the two, released here as the transport would once sent.
     */
    @Benchmark
    public int headerPlusSharedPayload() {
        ByteBuf header = ByteBufAllocator.DEFAULT.buffer(Frames.headerSize(true, delta, payloadBytes));
        Frames.writeHeader(header, true, delta, payloadBytes);
        ByteBuf frame = Unpooled.wrappedBuffer(header, payload.retainedDuplicate());
        int n = frame.readableBytes();
        frame.release();
        return n;
    }
}
