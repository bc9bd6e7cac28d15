package org.moqrelay.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.Announce;
import org.moqrelay.wire.lite.GroupHeader;
import org.moqrelay.wire.lite.LiteCodec;
import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.MessageKind;
import org.moqrelay.wire.lite.Subscribe;
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
 * moq-lite-05 control messages through {@link LiteCodec}: encode one (size prefix included) and
 * decode it back. GROUP is the header every subscriber's group stream starts with.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LiteCodecBenchmark {
    @Param({"SUBSCRIBE", "GROUP", "ANNOUNCE"})
    public MessageKind message;

    private static final LiteVersion VERSION = LiteVersion.LITE_05;

    private LiteMessage value;
    private ByteBuf out;
    private ByteBuf encoded;

    @Setup
    public void setup() {
        value = switch (message) {
            case SUBSCRIBE -> new Subscribe(7, Path.of("anon/demo"), "video", 128, false, 5000, null, null);
            case GROUP -> new GroupHeader(7, 123_456);
            case ANNOUNCE -> new Announce(Announce.Status.ACTIVE, Path.of("demo/camera-1"), List.of(1000L, 2000L));
            default -> throw new IllegalArgumentException("message: " + message + " (expected: SUBSCRIBE, GROUP or ANNOUNCE)");
        };
        out = ByteBufAllocator.DEFAULT.directBuffer(256);
        encoded = ByteBufAllocator.DEFAULT.directBuffer(256);
        LiteCodec.encode(encoded, value, VERSION);
        LiteMessage back = LiteCodec.decode(encoded.duplicate(), message, VERSION);
        if (!value.equals(back)) throw new IllegalStateException(value + " decoded as " + back);
    }

    @TearDown
    public void tearDown() {
        out.release();
        encoded.release();
    }

    @Benchmark
    public int encode() {
        out.clear();
        LiteCodec.encode(out, value, VERSION);
        return out.writerIndex();
    }

    @Benchmark
    public LiteMessage decode() {
        encoded.readerIndex(0);
        return LiteCodec.decode(encoded, message, VERSION);
    }
}
