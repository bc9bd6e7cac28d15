package org.moqrelay.relay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accept-loop health of one TCP listener: {@code moq_relay_accept_failures_total{listener,class}}
 * and {@code moq_relay_accept_stalled_seconds{listener}}, how long it has been unable to accept
 * for lack of resources (0 while it serves). Every class is at zero from the start, so a rate over
 * it is zero on a healthy node rather than empty. Thread-safe.
 */
public final class AcceptHealth {
    private static final Logger log = LoggerFactory.getLogger(AcceptHealth.class);

    private final String listener;
    private final Map<AcceptFailure, Counter> failures = new EnumMap<>(AcceptFailure.class);
    /** {@link System#nanoTime} when resource exhaustion first stopped the listener, or 0 while it serves. */
    private volatile long stalledSince;

    AcceptHealth(MeterRegistry registry, String listener) {
        this.listener = listener;
        for (AcceptFailure f : AcceptFailure.values()) {
            failures.put(f, Counter.builder("moq_relay_accept_failures_total")
                    .description("Failed accept() calls on a listener, by class.")
                    .tag("listener", listener).tag("class", f.label()).register(registry));
        }
        Gauge.builder("moq_relay_accept_stalled_seconds", this, AcceptHealth::stalledSeconds)
                .description("How long a listener has been unable to accept a connection; 0 when it is serving.")
                .tag("listener", listener).strongReference(true).register(registry);
    }

    /** The {@code listener} label value. */
    public String listener() {
        return listener;
    }

    /** A connection was accepted: the listener serves again. */
    public void accepted() {
        if (stalledSince != 0) {
            stalledSince = 0;
            log.info("{} listener is accepting again", listener);
        }
    }

    /** An accept failed with {@code cause}; counts it and returns its class. */
    public AcceptFailure failed(Throwable cause) {
        AcceptFailure f = AcceptFailure.classify(cause);
        failures.get(f).increment();
        if (f == AcceptFailure.CONNECTION) {
            log.debug("{} listener dropped a connection before accepting it: {}", listener, cause.toString());
            return f;
        }
        if (f == AcceptFailure.EXHAUSTED && stalledSince == 0) {
            stalledSince = Math.max(1, System.nanoTime());
        }
        log.warn("{} listener: accept failed ({}); not serving new connections for now: {}", listener, f.label(), String.valueOf(cause));
        return f;
    }

    /** Seconds since exhaustion stopped the listener, or 0 while it serves. */
    public double stalledSeconds() {
        long since = stalledSince;
        return since == 0 ? 0 : (System.nanoTime() - since) / 1e9;
    }

    /** How many accepts failed with {@code failure} so far. */
    public long failures(AcceptFailure failure) {
        return (long) failures.get(failure).count();
    }
}
