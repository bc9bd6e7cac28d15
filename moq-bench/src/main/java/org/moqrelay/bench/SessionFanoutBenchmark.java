package org.moqrelay.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.CacheBudget;
import org.moqrelay.model.Origin;
import org.moqrelay.model.Track;
import org.moqrelay.session.lite.Authorizer;
import org.moqrelay.session.lite.LiteSession;
import org.moqrelay.session.lite.SessionConfig;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.VarInts;
import org.moqrelay.wire.lite.LiteCodec;
import org.moqrelay.wire.lite.StreamType;
import org.moqrelay.wire.lite.Subscribe;
import org.moqrelay.wire.lite.TrackInfo;
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
 * One published frame delivered to N subscriber sessions by the relay's session layer: N
 * {@link LiteSession}s (lite-05, one per subscriber, as the relay runs them), each with one
 * SUBSCRIBE to the same track, so every frame goes through each session's group writer: frame
 * header, payload duplicate, write to its stream. Streams are {@link SinkStream}s, so no transport
 * cost is included. Score: time per published frame, all N writes included; a new group (a new
 * stream per subscriber, GROUP header) every {@value FramePublisher#FRAMES_PER_GROUP} frames.
 *
 * <p>Everything runs on the benchmark thread: an {@link EmbeddedChannel}'s event loop counts
 * every thread as its own, so the sessions take their in-loop paths directly.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SessionFanoutBenchmark {
    @Param({"1", "10", "200"})
    public int subscribers;

    @Param({"100", "5000"})
    public int payloadBytes;

    private static final LiteVersion VERSION = LiteVersion.LITE_05;
    private static final long RELAY_ID = 1000;

    private EmbeddedChannel channel;
    private Origin origin;
    private FramePublisher publisher;
    private final List<LiteSession> sessions = new ArrayList<>();
    /** Bytes every subscriber stream together was given; the benchmark returns it. */
    final SinkStream.Counter written = new SinkStream.Counter();

    @Setup
    public void setup() {
        channel = new EmbeddedChannel();
        EventLoop loop = channel.eventLoop();
        origin = new Origin(loop, 0, CacheBudget.UNLIMITED, 0);
        Broadcast broadcast = Broadcast.local(Path.of("bench/fanout"));
        Track track = broadcast.createTrack("video", TrackInfo.DEFAULT);
        origin.publish(broadcast);
        SessionConfig config = new SessionConfig(true, RELAY_ID, origin, null, false, null, Authorizer.ALLOW_ALL);
        for (int i = 0; i < subscribers; i++) {
            SinkConnection conn = new SinkConnection(loop, written);
            sessions.add(LiteSession.start(conn, VERSION, config, "bench-" + i));
            SinkStream subscribe = new SinkStream(written);
            conn.handler().onBidiStream(subscribe);
            subscribe.receive(subscribeStream(Path.of("bench/fanout"), "video"));
        }
        channel.runPendingTasks();
        if (track.subscriberCount() != subscribers) {
            throw new IllegalStateException(track.subscriberCount() + " of " + subscribers + " sessions subscribed");
        }
        publisher = new FramePublisher(track, payloadBytes);
    }

    private static ByteBuf subscribeStream(Path broadcast, String track) {
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer();
        VarInts.write(b, StreamType.BIDI_SUBSCRIBE);
        LiteCodec.encode(b, new Subscribe(0, broadcast, track, 0, false, 0, null, null), VERSION);
        return b;
    }

    @TearDown
    public void tearDown() {
        for (LiteSession s : sessions) s.close(0, "benchmark over");
        sessions.clear();
        origin.closeAll();
        channel.runPendingTasks();
        channel.finishAndReleaseAll();
        publisher.close();
    }

    @Benchmark
    public long publishFrame() {
        publisher.publish();
        return written.bytes;
    }
}
