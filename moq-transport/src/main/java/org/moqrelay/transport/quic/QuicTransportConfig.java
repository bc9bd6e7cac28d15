package org.moqrelay.transport.quic;

import java.time.Duration;
import java.util.Locale;

/**
 * QUIC transport knobs, with the reference relay's defaults: 10,000 concurrent streams each way,
 * 30 s idle timeout, datagrams on, delay-based congestion control (BBR), path MTU discovery off
 * (1200-byte packets), and GSO on where the kernel supports it.
 */
public record QuicTransportConfig(Duration idleTimeout, long maxStreams, long maxData, long maxStreamData,
                                  boolean gso, CongestionControl congestionControl, boolean mtuDiscovery) {
    public static final QuicTransportConfig DEFAULT = new QuicTransportConfig(Duration.ofSeconds(30), 10_000,
            16L * 1024 * 1024, 2L * 1024 * 1024, true, CongestionControl.DELAY, false);

    /** Largest UDP payload path MTU discovery probes for (a 1500-byte Ethernet MTU less IPv6 and UDP headers). */
    public static final int MAX_UDP_PAYLOAD = 1452;

    /** The reference's two congestion-control families ({@code server.quic.congestion_control}). */
    public enum CongestionControl {
        /** CUBIC: grows until packets drop. */
        LOSS,
        /** BBR: follows the measured delivery rate and RTT, so the send rate stays steady. */
        DELAY;

        /** {@code loss} or {@code delay}, any case. */
        public static CongestionControl parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "loss" -> LOSS;
                case "delay" -> DELAY;
                default -> throw new IllegalArgumentException("'" + s + "' (expected: loss or delay)");
            };
        }
    }

    public QuicTransportConfig {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle timeout: " + idleTimeout + " (expected: > 0)");
        }
        if (maxStreams < 1) throw new IllegalArgumentException("max streams: " + maxStreams + " (expected: >= 1)");
    }

    public QuicTransportConfig withGso(boolean on) {
        return new QuicTransportConfig(idleTimeout, maxStreams, maxData, maxStreamData, on, congestionControl, mtuDiscovery);
    }

    public QuicTransportConfig withMtuDiscovery(boolean on) {
        return new QuicTransportConfig(idleTimeout, maxStreams, maxData, maxStreamData, gso, congestionControl, on);
    }

    public QuicTransportConfig withCongestionControl(CongestionControl cc) {
        return new QuicTransportConfig(idleTimeout, maxStreams, maxData, maxStreamData, gso, cc, mtuDiscovery);
    }

    public QuicTransportConfig withMaxStreams(long n) {
        return new QuicTransportConfig(idleTimeout, n, maxData, maxStreamData, gso, congestionControl, mtuDiscovery);
    }

    public QuicTransportConfig withIdleTimeout(Duration d) {
        return new QuicTransportConfig(d, maxStreams, maxData, maxStreamData, gso, congestionControl, mtuDiscovery);
    }
}
