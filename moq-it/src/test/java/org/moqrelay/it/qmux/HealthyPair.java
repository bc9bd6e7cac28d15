package org.moqrelay.it.qmux;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.client.TestStream;
import org.moqrelay.client.TrackReader;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Origin;
import org.moqrelay.model.Track;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * A healthy Java publisher over plain TCP qmux (the relay's {@code --server-tcp-bind} listener,
 * moq-lite-05) appending a verifiable frame every 10 ms (5 frames a group), and a healthy Java
 * subscriber over raw QUIC reading them, both under {@code /anon}. {@link #assertFlowing()} checks
 * that fresh frames keep arriving with exactly the payload made for them.
 */
public final class HealthyPair implements AutoCloseable {
    static final int FRAMES_PER_GROUP = 5;
    private static final AtomicInteger names = new AtomicInteger();

    public final String name = "healthy-qmux-" + names.incrementAndGet();
    private final RelayServer relay;
    private final EventLoopGroup clients;
    private final Duration wait;
    private final AtomicReference<Throwable> pumpFailure = new AtomicReference<>();
    private MoqClient pub;
    private MoqClient sub;
    private Track track;
    private Track received;
    private TrackReader reader;
    private ScheduledExecutorService pump;
    private Group current;
    private long group = -1;
    private int frame;
    private long framesVerified;

    private HealthyPair(RelayServer relay, EventLoopGroup clients, Duration wait) {
        this.relay = relay;
        this.clients = clients;
        this.wait = wait;
    }

    /** Starts publishing and subscribing; {@code wait} bounds every later wait. */
    public static HealthyPair start(RelayServer relay, EventLoopGroup clients, Duration wait) throws Exception {
        HealthyPair h = new HealthyPair(relay, clients, wait);
        try {
            h.open();
        } catch (Exception | AssertionError e) {
            h.close();
            throw e;
        }
        return h;
    }

    private void open() throws Exception {
        pub = MoqClient.connect(clients, URI.create("tcp://127.0.0.1:" + relay.tcpAddress().getPort() + "/anon"),
                ClientOptions.pinned(relay.certificateSha256())).get(10, TimeUnit.SECONDS);
        sub = MoqClient.connect(clients, URI.create("moqt://127.0.0.1:" + relay.quicAddress().getPort() + "/anon"),
                ClientOptions.pinned(relay.certificateSha256())).get(10, TimeUnit.SECONDS);
        track = pub.publish(Path.of(name)).createTrack("frames", TrackInfo.DEFAULT);
        pump = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "healthy-qmux-pump");
            t.setDaemon(true);
            return t;
        });
        // Paces the publisher only (a frame every 10 ms); nothing waits on it.
        pump.scheduleAtFixedRate(this::tick, 0, 10, TimeUnit.MILLISECONDS);
        awaitAnnounced(relay.origin(), Path.of("anon/" + name), wait);
        received = sub.consume(Path.of(name)).track("frames");
        reader = new TrackReader(received, Demand.LATEST);
    }

    private synchronized void tick() {
        try {
            if (current == null || frame == FRAMES_PER_GROUP) {
                if (current != null) current.finish();
                group++;
                frame = 0;
                current = track.createGroup(group);
            }
            current.append(group * 1000 + frame, Unpooled.wrappedBuffer(TestStream.payload(group, frame, 64)));
            frame++;
        } catch (RuntimeException e) {
            pumpFailure.compareAndSet(null, e);
            throw e;
        }
    }

    private synchronized long publishedGroup() {
        return group;
    }

    /** Frames verified so far by {@link #assertFlowing()}. */
    public long framesVerified() {
        return framesVerified;
    }

    /**
     * Asserts the subscriber receives two groups' worth of frames from groups published after
     * this call, every frame received meanwhile carrying exactly the payload made for it.
     */
    public void assertFlowing() throws Exception {
        long mark = publishedGroup();
        long deadline = System.nanoTime() + wait.toNanos();
        int fresh = 0;
        while (fresh < 2 * FRAMES_PER_GROUP) {
            assertThat(pumpFailure.get()).as("publisher pump").isNull();
            long left = deadline - System.nanoTime();
            TrackReader.Received r = left > 0 ? reader.poll(left, TimeUnit.NANOSECONDS) : null;
            assertThat(r).as("healthy subscriber got %d fresh frames after group %d, then stalled", fresh, mark).isNotNull();
            assertThat(r.end()).as("healthy track ended").isFalse();
            assertThat(TestStream.verify(r.group(), r.index(), r.payload()))
                    .as("payload of group %d frame %d", r.group(), r.index()).isTrue();
            framesVerified++;
            if (r.group() > mark) fresh++;
        }
    }

    @Override
    public void close() {
        if (pump != null) pump.shutdownNow();
        if (reader != null) reader.close();
        // MoqClient.consume() broadcasts belong to no origin: end the track ourselves (as BadInputTest).
        if (received != null) received.finish();
        if (sub != null) sub.close();
        if (pub != null) pub.close();
    }

    /** Completes when a broadcast at {@code path} is active in {@code origin} (bounded). */
    public static Broadcast awaitAnnounced(Origin origin, Path path, Duration timeout) throws Exception {
        CompletableFuture<Broadcast> f = new CompletableFuture<>();
        try (Origin.Watch w = origin.watch(path, new Origin.AnnounceListener() {
            @Override
            public void onAnnounce(Broadcast b) {
                if (b.path().equals(path)) f.complete(b);
            }

            @Override
            public void onUnannounce(Broadcast b) {}
        })) {
            for (Broadcast b : w.initial()) if (b.path().equals(path)) f.complete(b);
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Completes when no broadcast is active at {@code path} (bounded); returns when that happened (nanoTime). */
    public static long awaitUnannounced(Origin origin, Path path, Duration timeout) throws Exception {
        CompletableFuture<Long> f = new CompletableFuture<>();
        try (Origin.Watch w = origin.watch(path, new Origin.AnnounceListener() {
            @Override
            public void onAnnounce(Broadcast b) {}

            @Override
            public void onUnannounce(Broadcast b) {
                if (b.path().equals(path)) f.complete(System.nanoTime());
            }
        })) {
            if (origin.broadcast(path) == null) return System.nanoTime();
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
