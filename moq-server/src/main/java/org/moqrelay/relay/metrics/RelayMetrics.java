package org.moqrelay.relay.metrics;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.moqrelay.session.lite.SessionMetrics;
import org.moqrelay.session.lite.TieredMetrics;

/**
 * One relay's meter registry: the reference relay's traffic, session and accept counters
 * (relay.md §6) plus JVM and process metrics, rendered as Prometheus text by {@link #scrape}.
 *
 * <p>Thread-safe. Sessions count through the {@link SessionMetrics} of their tier, whose counters
 * are looked up once per tier, so the per-frame cost is a counter increment.
 */
public final class RelayMetrics implements TieredMetrics, AutoCloseable {
    /** The tier of sessions no tier was chosen for; empty, as the reference labels its default tier. */
    public static final String DEFAULT_TIER = "";
    /** The content type of {@link #scrape}: the Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentMap<String, TierMetrics> tiers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AcceptHealth> listeners = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** A registry with the JVM and process metrics bound and the default tier's counters at zero. */
    public RelayMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        forTier(DEFAULT_TIER);
    }

    /** The session hooks counting under {@code tier} (labels are created on first use, then reused). */
    @Override
    public SessionMetrics forTier(String tier) {
        Objects.requireNonNull(tier, "tier");
        return tiers.computeIfAbsent(tier, t -> new TierMetrics(registry, t));
    }

    /**
     * The accept health of the listener named {@code listener} ({@code web}, {@code internal},
     * {@code tcp} or {@code unix}); register only listeners that run, so no series reads as a
     * healthy socket that was never opened.
     */
    public AcceptHealth acceptHealth(String listener) {
        Objects.requireNonNull(listener, "listener");
        return listeners.computeIfAbsent(listener, l -> new AcceptHealth(registry, l));
    }

    /** Every meter as Prometheus text ({@link #CONTENT_TYPE}). Reads /proc for process metrics. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
