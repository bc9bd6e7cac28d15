package org.moqrelay.bench;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.CacheBudget;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Frame;
import org.moqrelay.model.Group;
import org.moqrelay.model.Origin;
import org.moqrelay.model.Subscription;
import org.moqrelay.model.Track;
import org.moqrelay.wire.Path;
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
 * One published frame read by N subscribers through the model alone: {@link Origin},
 * {@link Broadcast}, {@link Track#subscribe}, {@link Group.Listener} and {@link Group#frame}. Each
 * subscriber reads every new frame as soon as it is appended (as a writer whose stream is always
 * writable would) and releases the payload duplicate it was handed. Score: time per published
 * frame, all N deliveries included; a new group every {@value FramePublisher#FRAMES_PER_GROUP}
 * frames.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ModelFanoutBenchmark {
    @Param({"1", "10", "200"})
    public int subscribers;

    @Param({"100", "5000"})
    public int payloadBytes;

    private ScheduledExecutorService timer;
    private Origin origin;
    private FramePublisher publisher;
    private final List<Subscription> subscriptions = new ArrayList<>();
    /** Payload bytes every subscriber together read; the benchmark returns it. */
    long delivered;

    @Setup
    public void setup() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-timer");
            t.setDaemon(true);
            return t;
        });
        // No cache beyond each track's latest group: memory stays flat however long it runs.
        origin = new Origin(timer, 0, CacheBudget.UNLIMITED, 0);
        Broadcast broadcast = Broadcast.local(Path.of("bench/fanout"));
        Track track = broadcast.createTrack("video", TrackInfo.DEFAULT);
        origin.publish(broadcast);
        for (int i = 0; i < subscribers; i++) {
            subscriptions.add(track.subscribe(Demand.LATEST, new Reader()));
        }
        publisher = new FramePublisher(track, payloadBytes);
    }

    @TearDown
    public void tearDown() {
        subscriptions.forEach(Subscription::close);
        subscriptions.clear();
        origin.closeAll();
        timer.shutdownNow();
        publisher.close();
    }

    @Benchmark
    public long publishFrame() {
        publisher.publish();
        return delivered;
    }

    /** One subscriber: follows the newest group and reads each frame once. */
    private final class Reader implements Track.Listener, Group.Listener {
        private Group current;
        private int next;

        @Override
        public void onGroup(Track track, Group group) {
            if (current != null) current.removeListener(this);
            current = group;
            next = 0;
            group.addListener(this);
            onGroupChanged(group);
        }

        @Override
        public void onEnd(Track track) {
            if (current != null) current.removeListener(this);
        }

        @Override
        public void onGroupChanged(Group group) {
            if (group != current) return;
            Frame f;
            while ((f = group.frame(next)) != null) {
                next++;
                ByteBuf payload = f.payload();
                delivered += payload.readableBytes();
                payload.release();
            }
            if (group.state() != Group.State.OPEN) group.removeListener(this);
        }
    }
}
