/**
 * JMH micro-benchmarks of the relay's hot paths: codecs ({@link org.moqrelay.bench.VarIntBenchmark},
 * {@link org.moqrelay.bench.LiteCodecBenchmark}, {@link org.moqrelay.bench.FrameHeaderBenchmark},
 * {@link org.moqrelay.bench.PathBenchmark}) and fan-out of one published frame to N subscribers
 * through the model ({@link org.moqrelay.bench.ModelFanoutBenchmark}) and through relay sessions
 * ({@link org.moqrelay.bench.SessionFanoutBenchmark}). Run them with {@code bench/jmh.sh}.
 */
package org.moqrelay.bench;
