/**
 * The relay's counters and its internal ops listener (relay.md §6, the reference's
 * {@code internal.rs}): Prometheus text at {@code /metrics}, liveness at {@code /health}.
 *
 * <p>Starting points: {@link org.moqrelay.relay.metrics.RelayMetrics},
 * {@link org.moqrelay.relay.metrics.InternalListener}, {@link org.moqrelay.relay.metrics.AcceptHealth}.
 */
package org.moqrelay.relay.metrics;
