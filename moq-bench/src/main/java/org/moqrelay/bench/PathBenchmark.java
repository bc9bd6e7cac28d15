package org.moqrelay.bench;

import java.util.concurrent.TimeUnit;
import org.moqrelay.wire.Path;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link Path} parsing (every SUBSCRIBE, ANNOUNCE and FETCH carries one) and the prefix checks
 * done per announcement and per authorization.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PathBenchmark {
    /** A normalized path, and one with the stray slashes normalization has to remove. */
    @Param({"anon/demo/camera-1", "/anon//demo/camera-1/"})
    public String raw;

    private Path path;
    private Path prefix;

    @Setup
    public void setup() {
        path = Path.of(raw);
        prefix = Path.of("anon/demo");
    }

    @Benchmark
    public Path parse() {
        return Path.of(raw);
    }

    @Benchmark
    public Path stripPrefix() {
        return path.stripPrefix(prefix);
    }

    @Benchmark
    public Path join() {
        return prefix.join(path);
    }
}
