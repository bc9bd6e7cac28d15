package org.moqrelay.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.moqrelay.wire.VarInts;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** QUIC varints: write and read one value of each encoded length (1, 2, 4, 8 bytes). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class VarIntBenchmark {
    /** Encoded length in bytes; the value is RFC 9000's example of that length. */
    @Param({"1", "2", "4", "8"})
    public int bytes;

    private long value;
    private ByteBuf out;
    private ByteBuf encoded;

    @Setup
    public void setup() {
        value = switch (bytes) {
            case 1 -> 37;
            case 2 -> 15_293;
            case 4 -> 494_878_333;
            case 8 -> 151_288_809_941_952_652L;
            default -> throw new IllegalArgumentException("bytes: " + bytes + " (expected: 1, 2, 4 or 8)");
        };
        out = ByteBufAllocator.DEFAULT.directBuffer(16);
        encoded = ByteBufAllocator.DEFAULT.directBuffer(16);
        VarInts.write(encoded, value);
        if (encoded.readableBytes() != bytes) throw new IllegalStateException(value + " took " + encoded.readableBytes() + " bytes");
    }

    @TearDown
    public void tearDown() {
        out.release();
        encoded.release();
    }

    @Benchmark
    public int encode() {
        out.clear();
        VarInts.write(out, value);
        return out.writerIndex();
    }

    @Benchmark
    public long decode() {
        encoded.readerIndex(0);
        return VarInts.read(encoded);
    }
}
