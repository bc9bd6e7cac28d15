package org.moqrelay.transport.quic;

import java.time.Duration;

/**
 * QUIC transport knobs, with the reference relay's defaults: 10,000 concurrent streams each way,
 * 30 s idle timeout, datagrams on, GSO on where the kernel supports it.
 */
public record QuicTransportConfig(Duration idleTimeout, long maxStreams, long maxData, long maxStreamData,
                                  boolean gso) {
    public static final QuicTransportConfig DEFAULT =
            new QuicTransportConfig(Duration.ofSeconds(30), 10_000, 16L * 1024 * 1024, 2L * 1024 * 1024, true);

    public QuicTransportConfig withGso(boolean on) {
        return new QuicTransportConfig(idleTimeout, maxStreams, maxData, maxStreamData, on);
    }
}
