package org.moqrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.moqrelay.wire.lite.MessageKind;

/**
 * Runs each benchmark body a few times without JMH, so a change in the code they measure that
 * breaks them (or makes them leak: tear-down checks every payload came back) fails the build
 * rather than the next benchmark run. Nothing is timed.
 */
class BenchmarksSmokeTest {
    /** Two groups and a bit: group rollover (new streams, eviction) is exercised too. */
    private static final int FRAMES = 2 * FramePublisher.FRAMES_PER_GROUP + 3;

    @ParameterizedTest
    @CsvSource({"1, 100", "10, 5000"})
    void modelFanoutDeliversEveryFrameToEverySubscriber(int subscribers, int payloadBytes) {
        ModelFanoutBenchmark b = new ModelFanoutBenchmark();
        b.subscribers = subscribers;
        b.payloadBytes = payloadBytes;
        b.setup();
        long delivered = 0;
        for (int i = 0; i < FRAMES; i++) delivered = b.publishFrame();
        b.tearDown();
        assertThat(delivered).isEqualTo((long) FRAMES * subscribers * payloadBytes);
    }

    @ParameterizedTest
    @CsvSource({"1, 100", "10, 5000"})
    void sessionFanoutWritesEveryFrameToEverySubscriber(int subscribers, int payloadBytes) {
        SessionFanoutBenchmark b = new SessionFanoutBenchmark();
        b.subscribers = subscribers;
        b.payloadBytes = payloadBytes;
        b.setup();
        long before = b.written.bytes;
        long written = 0;
        for (int i = 0; i < FRAMES; i++) written = b.publishFrame();
        b.tearDown();
        // Payloads plus, per frame, a 2-3 byte header, plus GROUP headers and SUBSCRIBE_START.
        long payloads = (long) FRAMES * subscribers * payloadBytes;
        assertThat(written - before).isGreaterThan(payloads).isLessThan(payloads + (long) FRAMES * subscribers * 8 + 1000L * subscribers);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void varIntRoundTrips(int bytes) {
        VarIntBenchmark b = new VarIntBenchmark();
        b.bytes = bytes;
        b.setup();
        assertThat(b.encode()).isEqualTo(bytes);
        long v = b.decode();
        assertThat(b.decode()).isEqualTo(v).isPositive();
        b.tearDown();
    }

    @ParameterizedTest
    @EnumSource(value = MessageKind.class, names = {"SUBSCRIBE", "GROUP", "ANNOUNCE"})
    void liteCodecRoundTrips(MessageKind kind) {
        LiteCodecBenchmark b = new LiteCodecBenchmark();
        b.message = kind;
        b.setup();
        assertThat(b.encode()).isPositive();
        assertThat(b.decode()).isEqualTo(b.decode()).isNotNull();
        b.tearDown();
    }

    @Test
    void frameHeaderBenchmarksAgree() {
        FrameHeaderBenchmark b = new FrameHeaderBenchmark();
        b.payloadBytes = 5000;
        b.setup();
        int headerLength = b.writeHeader();
        assertThat(b.peekHeader().size()).isEqualTo(5000);
        assertThat(b.peekHeader().headerLength()).isEqualTo(headerLength);
        assertThat(b.headerPlusSharedPayload()).isEqualTo(headerLength + 5000);
        b.tearDown();
    }

    @ParameterizedTest
    @ValueSource(strings = {"anon/demo/camera-1", "/anon//demo/camera-1/"})
    void pathBenchmarksNormalize(String raw) {
        PathBenchmark b = new PathBenchmark();
        b.raw = raw;
        b.setup();
        assertThat(b.parse()).hasToString("anon/demo/camera-1");
        assertThat(b.stripPrefix()).hasToString("camera-1");
        assertThat(b.join()).hasToString("anon/demo/anon/demo/camera-1");
    }
}
