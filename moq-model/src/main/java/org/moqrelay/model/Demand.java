package org.moqrelay.model;

import java.util.Collection;

/**
 * What a subscriber wants from a track: priority (u8, higher first), ordered delivery, max latency
 * in ms, and optional start / end groups (null = latest / unbounded; end is inclusive).
 */
public record Demand(int priority, boolean ordered, long maxLatencyMillis, Long startGroup, Long endGroup) {
    public static final Demand LATEST = new Demand(0, false, 0, null, null);

    /**
     * The demand an upstream subscription must satisfy for all of {@code demands} (relay.md §2):
     * max priority, ordered only if all are, max latency, earliest explicit start, and an end only
     * if every subscriber has one.
     */
    public static Demand aggregate(Collection<Demand> demands) {
        if (demands.isEmpty()) return LATEST;
        int prio = 0;
        boolean ordered = true;
        long latency = 0;
        Long start = null;
        Long end = null;
        boolean unbounded = false;
        for (Demand d : demands) {
            prio = Math.max(prio, d.priority);
            ordered &= d.ordered;
            latency = Math.max(latency, d.maxLatencyMillis);
            if (d.startGroup != null) start = start == null ? d.startGroup : Math.min(start, d.startGroup);
            if (d.endGroup == null) unbounded = true;
            else end = end == null ? d.endGroup : Math.max(end, d.endGroup);
        }
        return new Demand(prio, ordered, latency, start, unbounded ? null : end);
    }
}
