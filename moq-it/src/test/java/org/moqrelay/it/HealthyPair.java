package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.moqrelay.client.ClientOptions;
import org.moqrelay.client.MoqClient;
import org.moqrelay.client.TestStream;
import org.moqrelay.client.TrackReader;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * A healthy Java publisher appending a verifiable frame every 10 ms (5 frames a group) and a
 * healthy Java subscriber over raw QUIC reading them, both under {@code /anon}, while a bad-input
 * test attacks the same relay. {@link #assertFlowing()} checks that fresh frames keep arriving
 * with exactly the payload made for them.
 */
final class HealthyPair implements AutoCloseable {
    static final int FRAMES_PER_GROUP = 5;
    private static final AtomicInteger names = new AtomicInteger();

    final String name;
    private final RelayServer relay;
    private final EventLoopGroup clients;
    private final Duration wait;
    private final boolean publishOverTcp;
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

    private HealthyPair(RelayServer relay, EventLoopGroup clients, Duration wait, boolean publishOverTcp) {
        this.relay = relay;
        this.clients = clients;
        this.wait = wait;
        this.publishOverTcp = publishOverTcp;
        this.name = (publishOverTcp ? "healthy-qmux-" : "healthy-") + names.incrementAndGet();
    }

    /** A publisher over raw QUIC too; {@code wait} bounds every later wait. */
    static HealthyPair overQuic(RelayServer relay, EventLoopGroup clients, Duration wait) throws Exception {
        return start(new HealthyPair(relay, clients, wait, false));
    }

    /**
     * A publisher over plain TCP qmux (the relay's {@code --server-tcp-bind} listener, moq-lite-05);
     * {@code wait} bounds every later wait.
     */
    static HealthyPair overTcp(RelayServer relay, EventLoopGroup clients, Duration wait) throws Exception {
        return start(new HealthyPair(relay, clients, wait, true));
    }

    private static HealthyPair start(HealthyPair h) throws Exception {
        try {
            h.open();
        } catch (Exception | AssertionError e) {
            h.close();
            throw e;
        }
        return h;
    }

    private void open() throws Exception {
        pub = connect(publishOverTcp ? "tcp://127.0.0.1:" + relay.tcpAddress().getPort() : quic());
        sub = connect(quic());
        track = pub.publish(Path.of(name)).createTrack("frames", TrackInfo.DEFAULT);
        pump = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-pump");
            t.setDaemon(true);
            return t;
        });
        // Paces the publisher only (a frame every 10 ms); nothing waits on it.
        pump.scheduleAtFixedRate(this::tick, 0, 10, TimeUnit.MILLISECONDS);
        Relays.awaitAnnounced(relay.origin(), Path.of("anon/" + name), wait);
        received = sub.consume(Path.of(name)).track("frames");
        reader = new TrackReader(received, Demand.LATEST);
    }

    private String quic() {
        return "moqt://127.0.0.1:" + relay.quicAddress().getPort();
    }

    private MoqClient connect(String server) throws Exception {
        return MoqClient.connect(clients, URI.create(server + "/anon"), ClientOptions.pinned(relay.certificateSha256()))
                .get(10, TimeUnit.SECONDS);
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
    long framesVerified() {
        return framesVerified;
    }

    /**
     * Asserts the subscriber receives two groups' worth of frames from groups published after
     * this call, every frame received meanwhile carrying exactly the payload made for it.
     */
    void assertFlowing() throws Exception {
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
        // MoqClient.consume() broadcasts belong to no origin, so nothing ever releases their
        // tracks' cached groups (leak reports under paranoid detection): end it ourselves.
        if (received != null) received.finish();
        if (sub != null) sub.close();
        if (pub != null) pub.close();
    }
}
