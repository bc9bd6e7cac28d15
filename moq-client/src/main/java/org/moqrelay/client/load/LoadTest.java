package org.moqrelay.client.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.moqrelay.client.MoqClient;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Frame;
import org.moqrelay.model.Group;
import org.moqrelay.model.Subscription;
import org.moqrelay.model.Track;
import org.moqrelay.transport.quic.EventLoops;
import org.moqrelay.transport.quic.QuicConnection;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * A bounded load run against a relay: publishers x subscribers on K tracks at a fixed frame rate.
 * Every payload starts with the publisher's {@code System.nanoTime()} at send (8 bytes) and the
 * track's frame sequence number (8 bytes); publishers and subscribers share this JVM, so the
 * subscriber's clock minus that stamp is the end-to-end latency (publisher client + relay +
 * subscriber client). Only frames sent inside the measured window count: their latency, bytes
 * and losses (sent in the window to a subscribed track, not received by the end of the drain).
 * The relay's CPU time and RSS come from {@code /proc/<relayPid>} at the window's edges.
 *
 * <p>{@link #run} returns the figures as ordered {@code key -> value} pairs.
 */
public final class LoadTest {
    private final LoadOptions o;
    private final PrintStream log;
    private final String runId = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    private final LatencyHistogram latency = new LatencyHistogram();
    private final AtomicLong windowFrames = new AtomicLong();
    private final AtomicLong windowBytes = new AtomicLong();
    private final AtomicLong allFrames = new AtomicLong();
    private final AtomicLong allBytes = new AtomicLong();
    private final AtomicLong shortFrames = new AtomicLong();
    private final AtomicLong slowFrames = new AtomicLong();
    private final LatencyHistogram slowLatency = new LatencyHistogram();
    private final AtomicInteger trackErrors = new AtomicInteger();
    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicLongArray sentInWindow;
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;

    public LoadTest(LoadOptions options, PrintStream log) {
        this.o = options;
        this.log = log;
        this.sentInWindow = new AtomicLongArray(options.tracks());
    }

    private Path broadcastPath(int publisher) {
        return Path.of("load-" + runId + "/p" + publisher);
    }

    private static String trackName(int track) {
        return "t" + track;
    }

    /** Runs the whole load: connect, warm up, measure, drain, disconnect. */
    public Map<String, String> run() throws Exception {
        Map<String, String> r = new LinkedHashMap<>();
        int size = o.effectiveFrameSize();
        r.put("url", o.url().toString());
        r.put("publishers", Integer.toString(o.publishers()));
        r.put("subscribers", Integer.toString(o.subscribers()));
        r.put("tracks", Integer.toString(o.tracks()));
        r.put("frame_bytes", o.idle() ? "0" : Integer.toString(size));
        r.put("frame_interval_ms", Integer.toString(o.frameIntervalMs()));
        r.put("group_frames", Integer.toString(o.groupFrames()));
        r.put("rate_per_subscriber_kBps", fmt(o.idle() ? 0 : size * 1000.0 / o.frameIntervalMs() / 1000));

        EventLoopGroup group = EventLoops.newGroup(o.clientThreads(), "moq-load");
        EventLoopGroup slowGroup = EventLoops.newGroup(1, "moq-load-slow");
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(rn -> {
            Thread t = new Thread(rn, "moq-load-publisher");
            t.setDaemon(true);
            return t;
        });
        ScheduledExecutorService slowTicker = Executors.newSingleThreadScheduledExecutor(rn -> {
            Thread t = new Thread(rn, "moq-load-slow");
            t.setDaemon(true);
            return t;
        });
        List<MoqClient> clients = new ArrayList<>();
        ConcurrentLinkedQueue<MoqClient> subscribed = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Subscription> subscriptions = new ConcurrentLinkedQueue<>();
        Track[] tracks = new Track[o.tracks()];
        try {
            ProcStats relay0 = relayStats();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.connectTimeoutSeconds());

            // Publishers: each publishes one broadcast holding its share of the tracks.
            Broadcast[] broadcasts = new Broadcast[o.publishers()];
            for (int p = 0; p < o.publishers(); p++) {
                MoqClient c = MoqClient.connect(group, o.url(), o.client()).get(remaining(deadline), TimeUnit.NANOSECONDS);
                clients.add(c);
                broadcasts[p] = c.publish(broadcastPath(p));
            }
            for (int k = 0; k < o.tracks(); k++) {
                tracks[k] = broadcasts[k % o.publishers()].createTrack(trackName(k), TrackInfo.DEFAULT);
            }
            Publisher publisher = new Publisher(tracks, size);
            if (!o.idle()) {
                ticker.scheduleAtFixedRate(publisher::tick, 0, o.frameIntervalMs(), TimeUnit.MILLISECONDS);
            }
            awaitAnnounced(group, deadline);

            // Subscribers, a bounded number of handshakes at a time.
            long t0 = System.nanoTime();
            Semaphore inFlight = new Semaphore(o.connectConcurrency());
            AtomicInteger failed = new AtomicInteger();
            List<CompletableFuture<?>> pending = new ArrayList<>();
            for (int j = 0; j < o.subscribers(); j++) {
                if (!inFlight.tryAcquire(remaining(deadline), TimeUnit.NANOSECONDS)) break;
                int k = j % o.tracks();
                CompletableFuture<?> f = MoqClient.connect(group, o.url(), o.client())
                        .orTimeout(Math.max(1, remaining(deadline) / 1_000_000), TimeUnit.MILLISECONDS)
                        .whenComplete((c, err) -> {
                            inFlight.release();
                            if (err != null) {
                                if (failed.getAndIncrement() < 3) log.println("load: subscriber connect failed: " + err);
                                return;
                            }
                            subscribed.add(c);
                            Track t = c.consume(broadcastPath(k % o.publishers())).track(trackName(k));
                            subscriptions.add(new Receiver(k).subscribe(t));
                        });
                pending.add(f);
            }
            try {
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                        .get(remaining(deadline) + 1_000_000, TimeUnit.NANOSECONDS);
            } catch (Exception ignored) {
                // counted below
            }
            clients.addAll(subscribed);
            int connected = subscribed.size();
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            r.put("subscribers_connected", Integer.toString(connected));
            r.put("subscribers_failed", Integer.toString(o.subscribers() - connected));
            r.put("connect_s", fmt(connectSeconds));
            log.printf(Locale.ROOT, "load: %d/%d subscribers connected in %.2f s%n", connected, o.subscribers(), connectSeconds);

            // Their own event loop, so their bursts of catching up do not delay the measured clients.
            List<MoqClient> slow = connectSlow(slowGroup, deadline, slowTicker);
            clients.addAll(slow);
            r.put("slow_subscribers_connected", Integer.toString(slow.size()));

            // Warm-up: every subscriber gets its first frame (bounded), then the set time.
            long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.warmupSeconds());
            if (!o.idle()) {
                long readyBound = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (ready.get() < connected && System.nanoTime() < readyBound) Thread.sleep(20);
            }
            while (System.nanoTime() < warmEnd) Thread.sleep(20);
            r.put("subscribers_receiving", Integer.toString(ready.get()));
            ProcStats relayConnected = relayStats();
            int[] perTrack = new int[o.tracks()];
            for (int j = 0; j < connected; j++) perTrack[j % o.tracks()]++;

            // The measured window.
            ProcStats self0 = ProcStats.read(0);
            RelayForwardDelay forward0 = RelayForwardDelay.scrape(o.relayMetrics());
            ProcStats relay1 = relayStats();
            windowStart = System.nanoTime();
            log.printf("load: measuring for %d s%n", o.seconds());
            Thread.sleep(TimeUnit.SECONDS.toMillis(o.seconds()));
            windowEnd = System.nanoTime();
            ProcStats relay2 = relayStats();
            RelayForwardDelay forward1 = RelayForwardDelay.scrape(o.relayMetrics());
            ProcStats self1 = ProcStats.read(0);
            double window = (windowEnd - windowStart) / 1e9;
            Thread.sleep(o.drainMillis());

            long expected = 0;
            long sent = 0;
            for (int k = 0; k < o.tracks(); k++) {
                expected += sentInWindow.get(k) * perTrack[k];
                sent += sentInWindow.get(k);
            }
            long got = windowFrames.get();
            long bytes = windowBytes.get();
            r.put("window_s", fmt(window));
            r.put("frames_sent", Long.toString(sent));
            r.put("frames_expected", Long.toString(expected));
            r.put("frames_received", Long.toString(got));
            r.put("frames_lost", Long.toString(Math.max(0, expected - got)));
            r.put("loss_pct", fmt(expected == 0 ? 0 : 100.0 * Math.max(0, expected - got) / expected));
            r.put("track_errors", Integer.toString(trackErrors.get()));
            r.put("delivered_bytes", Long.toString(bytes));
            r.put("delivered_MBps", fmt(bytes / window / 1e6));
            r.put("latency_p50_ms", ms(latency.percentileMicros(0.50)));
            r.put("latency_p90_ms", ms(latency.percentileMicros(0.90)));
            r.put("latency_p99_ms", ms(latency.percentileMicros(0.99)));
            r.put("latency_p999_ms", ms(latency.percentileMicros(0.999)));
            r.put("latency_max_ms", ms(latency.maxMicros()));
            r.put("latency_mean_ms", fmt(latency.meanMicros() / 1000));
            if (forward0 != null && forward1 != null) {
                // Coarse (histogram buckets): "p99 <= X ms" of the relay's own arrival-to-hand-off time.
                RelayForwardDelay d = forward1.since(forward0);
                r.put("relay_forward_frames", fmt(d.count()));
                r.put("relay_forward_mean_ms", d.count() == 0 ? "nan" : fmt3(1000 * d.sumSeconds() / d.count()));
                r.put("relay_forward_p50_le_ms", fmt3(1000 * d.quantileBound(0.50)));
                r.put("relay_forward_p99_le_ms", fmt3(1000 * d.quantileBound(0.99)));
                r.put("relay_forward_p999_le_ms", fmt3(1000 * d.quantileBound(0.999)));
            } else if (o.relayMetrics() != null) {
                r.put("relay_forward", "unavailable (no moq_relay_forward_delay_seconds at " + o.relayMetrics() + ")");
            }
            if (relay1 != null && relay2 != null) {
                long cpuMs = relay2.cpuMillis() - relay1.cpuMillis();
                r.put("relay_pid", Long.toString(o.relayPid()));
                r.put("relay_cpu_s", fmt(cpuMs / 1000.0));
                r.put("relay_cpu_pct", fmt(100.0 * cpuMs / 1000.0 / window));
                r.put("relay_cpu_ns_per_byte", bytes == 0 ? "nan" : fmt3(cpuMs * 1e6 / bytes));
                r.put("relay_rss_before_kb", Long.toString(relay0.rssKb()));
                r.put("relay_rss_connected_kb", Long.toString(relayConnected.rssKb()));
                r.put("relay_rss_kb", Long.toString(relay2.rssKb()));
                r.put("relay_rss_peak_kb", Long.toString(relay2.hwmKb()));
                int sessions = connected + o.publishers();
                r.put("relay_rss_per_session_kb", fmt((relayConnected.rssKb() - relay0.rssKb()) / (double) Math.max(1, sessions)));
                r.put("relay_threads", Integer.toString(relay2.threads()));
            } else if (o.relayPid() > 0) {
                r.put("relay_pid", o.relayPid() + " (unreadable)");
            }
            if (self0 != null && self1 != null) {
                r.put("tool_cpu_pct", fmt(100.0 * (self1.cpuMillis() - self0.cpuMillis()) / 1000.0 / window));
            }
            r.put("publisher_late_ticks", Long.toString(publisher.late.get()));
            if (o.slowSubscribers() > 0) {
                r.put("slow_frames_received", Long.toString(slowFrames.get()));
                r.put("slow_latency_p50_ms", ms(slowLatency.percentileMicros(0.50)));
                r.put("slow_latency_max_ms", ms(slowLatency.maxMicros()));
            }
            return r;
        } finally {
            ticker.shutdownNow();
            slowTicker.shutdownNow();
            for (Subscription s : subscriptions) {
                try {
                    s.close();
                } catch (RuntimeException ignored) {
                }
            }
            for (Track t : tracks) if (t != null) t.finish();
            for (MoqClient c : clients) {
                try {
                    c.close();
                } catch (RuntimeException ignored) {
                }
            }
            Thread.sleep(200); // let the closes leave
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3_000);
            slowGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3_000);
        }
    }

    /**
     * The unmeasured slow subscribers: each subscribes to track {@code j % tracks}, then reads its
     * socket (a small kernel buffer, so the rest is dropped) only {@link LoadOptions#SLOW_READ_MILLIS}
     * ms of every {@link LoadOptions#SLOW_PERIOD_MILLIS} ms.
     */
    private List<MoqClient> connectSlow(EventLoopGroup group, long deadline, ScheduledExecutorService slowTicker)
            throws Exception {
        List<MoqClient> slow = new ArrayList<>();
        for (int j = 0; j < o.slowSubscribers(); j++) {
            int k = j % o.tracks();
            MoqClient c = MoqClient.connect(group, o.url(), o.client()).get(remaining(deadline), TimeUnit.NANOSECONDS);
            slow.add(c);
            Track t = c.consume(broadcastPath(k % o.publishers())).track(trackName(k));
            t.subscribe(Demand.LATEST, new Track.Listener() {
                @Override
                public void onGroup(Track track, Group g) {
                    g.addListener(new Group.Listener() {
                        private int next;

                        @Override
                        public synchronized void onGroupChanged(Group gr) {
                            Frame f;
                            while ((f = gr.frame(next)) != null) {
                                next++;
                                slowFrames.incrementAndGet();
                                ByteBuf p = f.payload();
                                if (p.readableBytes() >= 16) slowLatency.record((System.nanoTime() - p.getLong(p.readerIndex())) / 1000);
                                p.release();
                            }
                            if (gr.state() != Group.State.OPEN && next >= gr.frameCount()) gr.removeListener(this);
                        }
                    });
                }

                @Override
                public void onEnd(Track track) {
                }
            });
        }
        if (!slow.isEmpty()) {
            List<QuicConnection> conns = new ArrayList<>();
            for (MoqClient c : slow) {
                if (!(c.connection() instanceof QuicConnection q)) {
                    throw new IllegalArgumentException("--slow-subscribers needs a raw QUIC (moqt://) relay URL");
                }
                q.receiveBuffer(LoadOptions.SLOW_RECEIVE_BUFFER);
                q.pauseReading(true);
                conns.add(q);
            }
            slowTicker.scheduleAtFixedRate(() -> {
                for (QuicConnection q : conns) q.pauseReading(false);
                slowTicker.schedule(() -> {
                    for (QuicConnection q : conns) q.pauseReading(true);
                }, LoadOptions.SLOW_READ_MILLIS, TimeUnit.MILLISECONDS);
            }, LoadOptions.SLOW_PERIOD_MILLIS, LoadOptions.SLOW_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
        return slow;
    }

    private ProcStats relayStats() {
        return o.relayPid() > 0 ? ProcStats.read(o.relayPid()) : null;
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    /** Waits until the relay announces every publisher's broadcast (so subscribers find them). */
    private void awaitAnnounced(EventLoopGroup group, long deadline) throws Exception {
        try (MoqClient probe = MoqClient.connect(group, o.url(), o.client()).get(remaining(deadline), TimeUnit.NANOSECONDS)) {
            probe.announced(Path.of("load-" + runId));
            while (System.nanoTime() < deadline) {
                boolean all = true;
                for (int p = 0; p < o.publishers() && all; p++) all = probe.announced().broadcast(broadcastPath(p)) != null;
                if (all) return;
                Thread.sleep(10);
            }
            throw new IllegalStateException("the relay did not announce the load broadcasts in time");
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String fmt3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }

    /** Appends one frame to every track per tick; a new group every {@code groupFrames} frames. */
    private final class Publisher {
        private final Track[] tracks;
        private final Group[] current;
        private final int size;
        private long seq;
        private long nextDue = System.nanoTime();
        final AtomicLong late = new AtomicLong();

        Publisher(Track[] tracks, int size) {
            this.tracks = tracks;
            this.current = new Group[tracks.length];
            this.size = size;
        }

        void tick() {
            long now = System.nanoTime();
            if (now - nextDue > TimeUnit.MILLISECONDS.toNanos(o.frameIntervalMs())) late.incrementAndGet();
            nextDue += TimeUnit.MILLISECONDS.toNanos(o.frameIntervalMs());
            try {
                for (int k = 0; k < tracks.length; k++) {
                    if (seq % o.groupFrames() == 0) {
                        if (current[k] != null) current[k].finish();
                        current[k] = tracks[k].createGroup(seq / o.groupFrames());
                    }
                    ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(size, size);
                    long sentAt = System.nanoTime();
                    b.writeLong(sentAt).writeLong(seq).writeZero(size - 16);
                    if (sentAt >= windowStart && sentAt < windowEnd) sentInWindow.incrementAndGet(k);
                    current[k].append(seq * o.frameIntervalMs(), b);
                }
                seq++;
            } catch (RuntimeException e) {
                log.println("load: publisher tick failed: " + e);
            }
        }
    }

    /** One subscriber's subscription to one track: reads every frame of every group it is given. */
    private final class Receiver implements Track.Listener {
        private final int track;
        private boolean first = true;

        Receiver(int track) {
            this.track = track;
        }

        Subscription subscribe(Track t) {
            Subscription s = t.subscribe(Demand.LATEST, this);
            for (Group g : s.initialGroups()) onGroup(t, g);
            return s;
        }

        @Override
        public void onGroup(Track t, Group g) {
            Cursor c = new Cursor();
            g.addListener(c);
            c.onGroupChanged(g);
        }

        @Override
        public void onEnd(Track t) {
            if (t.state() == Track.State.ABORTED) trackErrors.incrementAndGet();
        }

        private final class Cursor implements Group.Listener {
            private int next;

            @Override
            public synchronized void onGroupChanged(Group g) {
                Frame f;
                while ((f = g.frame(next)) != null) {
                    next++;
                    ByteBuf p = f.payload();
                    try {
                        received(p);
                    } finally {
                        p.release();
                    }
                }
                if (g.state() != Group.State.OPEN && next >= g.frameCount()) g.removeListener(this);
            }
        }

        private void received(ByteBuf p) {
            long now = System.nanoTime();
            int n = p.readableBytes();
            allFrames.incrementAndGet();
            allBytes.addAndGet(n);
            synchronized (this) {
                if (first) {
                    first = false;
                    ready.incrementAndGet();
                }
            }
            if (n < 16) {
                shortFrames.incrementAndGet();
                return;
            }
            long sentAt = p.getLong(p.readerIndex());
            if (sentAt >= windowStart && sentAt < windowEnd) {
                windowFrames.incrementAndGet();
                windowBytes.addAndGet(n);
                latency.record((now - sentAt) / 1000);
            }
        }
    }
}
