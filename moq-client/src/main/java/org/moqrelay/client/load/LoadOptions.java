package org.moqrelay.client.load;

import java.net.URI;
import org.moqrelay.client.ClientOptions;

/**
 * What {@link LoadTest} runs: {@code publishers} clients publish {@code tracks} tracks between
 * them (track {@code k} by publisher {@code k % publishers}), each at {@code rateKBps} (1000-byte
 * kilobytes per second) as one frame every {@code frameIntervalMs}, {@code groupFrames} frames per
 * group; {@code subscribers} clients subscribe, subscriber {@code j} to track {@code j % tracks}.
 * A rate of 0 publishes nothing (idle sessions, for memory per session).
 *
 * @param frameSize          bytes per frame; 0 derives it from the rate and interval (at least 16)
 * @param seconds            length of the measured window
 * @param warmupSeconds      time between the last subscription and the window
 * @param drainMillis        time after the window for in-flight frames to arrive
 * @param relayPid           the relay's process id for /proc figures, or 0 for none
 * @param clientThreads      event-loop threads shared by all the tool's clients
 * @param connectConcurrency handshakes in flight at once
 * @param connectTimeoutSeconds bound on connecting (and subscribing) everyone
 * @param slowSubscribers    extra subscribers (raw QUIC only) that read from the network only
 *                           {@link #SLOW_READ_MILLIS} ms of every {@link #SLOW_PERIOD_MILLIS} ms
 *                           through a {@link #SLOW_RECEIVE_BUFFER}-byte socket buffer:
 *                           they are not measured; they show whether a slow peer hurts the others
 * @param relayMetrics       the relay's internal {@code /metrics} URL, for its own forward delay; or null
 */
public record LoadOptions(URI url, ClientOptions client, int publishers, int subscribers, int tracks,
                          int rateKBps, int frameIntervalMs, int frameSize, int groupFrames, int seconds,
                          int warmupSeconds, int drainMillis, long relayPid, int clientThreads,
                          int connectConcurrency, int connectTimeoutSeconds, int slowSubscribers, URI relayMetrics) {
    public static final int SLOW_READ_MILLIS = 10;
    public static final int SLOW_PERIOD_MILLIS = 200;
    /** Kernel receive buffer of a slow subscriber's socket: what arrives beyond it while paused is dropped. */
    public static final int SLOW_RECEIVE_BUFFER = 16 * 1024;

    public LoadOptions {
        if (slowSubscribers < 0) throw new IllegalArgumentException("--slow-subscribers must be >= 0");
        if (publishers < 1) throw new IllegalArgumentException("--publishers must be >= 1");
        if (tracks < 1) throw new IllegalArgumentException("--tracks must be >= 1");
        if (subscribers < 0) throw new IllegalArgumentException("--subscribers must be >= 0");
        if (frameIntervalMs < 1) throw new IllegalArgumentException("--frame-interval-ms must be >= 1");
        if (groupFrames < 1) throw new IllegalArgumentException("--group-frames must be >= 1");
        if (seconds < 1) throw new IllegalArgumentException("--seconds must be >= 1");
        if (clientThreads < 1) throw new IllegalArgumentException("--client-threads must be >= 1");
        if (connectConcurrency < 1) throw new IllegalArgumentException("--connect-concurrency must be >= 1");
    }

    /** Payload bytes per frame (the first 16 carry the send time and the sequence number). */
    public int effectiveFrameSize() {
        if (frameSize > 0) return Math.max(16, frameSize);
        return Math.max(16, (int) ((long) rateKBps * 1000 * frameIntervalMs / 1000));
    }

    public boolean idle() {
        return rateKBps <= 0 && frameSize <= 0;
    }
}
