package org.moqrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.moqrelay.client.MoqClient;
import org.moqrelay.client.TestStream;
import org.moqrelay.client.TrackReader;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Origin;
import org.moqrelay.model.Track;
import org.moqrelay.relay.server.RelayConfig;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/** Starting relays on loopback and waiting on them without sleeps. */
final class Relays {
    private Relays() {}

    /**
     * Event-loop threads (and QUIC sockets) of the test relays: two, whatever the machine, so
     * every end-to-end test also runs sessions on several loops.
     */
    static final int THREADS = 2;

    /** A development relay on 127.0.0.1 with free ports, everything public. */
    static RelayServer startDev() throws Exception {
        return startDev(c -> c);
    }

    /** As {@link #startDev()}, with the development config changed by {@code customize}. */
    static RelayServer startDev(UnaryOperator<RelayConfig> customize) throws Exception {
        return RelayServer.start(customize.apply(RelayConfig.development(new InetSocketAddress("127.0.0.1", 0),
                new InetSocketAddress("127.0.0.1", 0)).withQuicThreads(THREADS)));
    }

    /** As {@link #startDev(UnaryOperator)}, without the HTTP listener: QUIC (and what {@code customize} adds) only. */
    static RelayServer startQuicOnly(UnaryOperator<RelayConfig> customize) throws Exception {
        return RelayServer.start(customize.apply(RelayConfig.development(new InetSocketAddress("127.0.0.1", 0), null)
                .withQuicThreads(THREADS)));
    }

    /**
     * A development relay whose QUIC (UDP) and HTTP (TCP) listeners share one port number, as
     * browser clients expect: they fetch http://host:port/certificate.sha256, then dial UDP port.
     */
    static RelayServer startDevSamePort() throws Exception {
        return startSamePort(c -> c);
    }

    /** As {@link #startDevSamePort()}, with the development config changed by {@code customize}. */
    static RelayServer startSamePort(UnaryOperator<RelayConfig> customize) throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            try {
                return RelayServer.start(customize.apply(RelayConfig.development(new InetSocketAddress("127.0.0.1", port),
                        new InetSocketAddress("127.0.0.1", port)).withQuicThreads(THREADS)));
            } catch (Exception e) {
                last = e; // the port was taken in between: try another
            }
        }
        throw last;
    }

    /** Completes when a broadcast at {@code path} is active in {@code origin}. */
    static Broadcast awaitAnnounced(Origin origin, Path path, long seconds) throws Exception {
        return awaitAnnounced(origin, path, Duration.ofSeconds(seconds));
    }

    /** Completes when a broadcast at {@code path} is active in {@code origin}; fails after {@code timeout}. */
    static Broadcast awaitAnnounced(Origin origin, Path path, Duration timeout) throws Exception {
        return firstAnnounce(origin, path, new CompletableFuture<>(), timeout);
    }

    /**
     * True once a broadcast at {@code path} is active in {@code origin}, false once {@code closed}
     * completes first (the relay refused the session); fails after {@code seconds}.
     */
    static boolean announcedOrClosed(Origin origin, Path path, CompletableFuture<?> closed, long seconds) throws Exception {
        return firstAnnounce(origin, path, closed, Duration.ofSeconds(seconds)) != null;
    }

    /** The broadcast at {@code path} once it is active, or null if {@code stop} completes first; fails after {@code timeout}. */
    private static Broadcast firstAnnounce(Origin origin, Path path, CompletableFuture<?> stop, Duration timeout) throws Exception {
        CompletableFuture<Broadcast> f = new CompletableFuture<>();
        stop.whenComplete((v, e) -> f.complete(null));
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

    /** Completes when no broadcast is active at {@code path} in {@code origin}. */
    static void awaitUnannounced(Origin origin, Path path, long seconds) throws Exception {
        awaitUnannounced(origin, path, Duration.ofSeconds(seconds));
    }

    /**
     * Completes when no broadcast is active at {@code path} in {@code origin}, and returns when
     * that happened ({@link System#nanoTime()}); fails after {@code timeout}.
     */
    static long awaitUnannounced(Origin origin, Path path, Duration timeout) throws Exception {
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

    /** Publishes one frame at {@code ROOT/cam} through {@code pub} and reads it back through {@code sub}. */
    static void relayOneFrame(RelayServer relay, MoqClient pub, MoqClient sub, String root) throws Exception {
        relayOneFrame(relay, pub, sub, root, "cam");
    }

    /** Publishes one frame at {@code ROOT/BROADCAST} through {@code pub} and reads it back through {@code sub}. */
    static void relayOneFrame(RelayServer relay, MoqClient pub, MoqClient sub, String root, String broadcast) throws Exception {
        Track t = pub.publish(Path.of(broadcast)).createTrack("video", TrackInfo.DEFAULT);
        awaitAnnounced(relay.origin(), Path.of(root).join(Path.of(broadcast)), 10);
        Group g = t.createGroup(0);
        g.append(0, Unpooled.wrappedBuffer(TestStream.payload(0, 0, 10)));
        try (TrackReader r = new TrackReader(sub.consume(Path.of(broadcast)).track("video"), Demand.LATEST)) {
            TrackReader.Received got = r.poll(10, TimeUnit.SECONDS);
            assertThat(got).isNotNull();
            assertThat(TestStream.verify(0, 0, got.payload())).isTrue();
        }
        g.finish();
    }

    /** Publishes group {@code sequence} of three 300-byte {@link TestStream} frames and finishes it. */
    static void publishGroup(Track track, long sequence) {
        Group g = track.createGroup(sequence);
        for (int f = 0; f < 3; f++) g.append(f, Unpooled.wrappedBuffer(TestStream.payload(sequence, f, 300)));
        g.finish();
    }

    /** Reads until all three frames of group {@code sequence} arrived intact (older groups may come first; 10 s per frame). */
    static void awaitGroup(TrackReader reader, long sequence) throws InterruptedException {
        int next = 0;
        while (next < 3) {
            TrackReader.Received r = reader.poll(10, TimeUnit.SECONDS);
            assertThat(r).as("frame %d of group %d", next, sequence).isNotNull();
            if (r.group() != sequence) continue;
            assertThat(r.index()).isEqualTo(next);
            assertThat(TestStream.verify(r.group(), r.index(), r.payload())).isTrue();
            next++;
        }
    }

    /**
     * {@code pub} publishes track "frames" of broadcast {@code path} (under "anon/"); each of
     * {@code subs} receives its one group intact: a 40 kB frame (larger than one qmux record or
     * WebSocket message, so split and joined again) and a 10-byte one.
     */
    static void twoFramesReachEach(RelayServer relay, MoqClient pub, String path, MoqClient... subs) throws Exception {
        Track t = pub.publish(Path.of(path)).createTrack("frames", TrackInfo.DEFAULT);
        awaitAnnounced(relay.origin(), Path.of("anon/" + path), 10);
        java.util.List<TrackReader> readers = new java.util.ArrayList<>();
        try {
            for (MoqClient s : subs) readers.add(new TrackReader(s.consume(Path.of(path)).track("frames"), Demand.LATEST));
            Group g = t.createGroup(0);
            g.append(0, Unpooled.wrappedBuffer(TestStream.payload(0, 0, 40_000)));
            g.append(20, Unpooled.wrappedBuffer(TestStream.payload(0, 1, 10)));
            g.finish();
            for (TrackReader r : readers) {
                for (int i = 0; i < 2; i++) {
                    TrackReader.Received got = r.poll(10, TimeUnit.SECONDS);
                    assertThat(got).as("frame %d", i).isNotNull();
                    assertThat(got.index()).isEqualTo(i);
                    assertThat(TestStream.verify(0, i, got.payload())).isTrue();
                }
            }
        } finally {
            for (TrackReader r : readers) r.close();
        }
    }
}
