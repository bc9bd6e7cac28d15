package org.moqrelay.relay.server;

/**
 * The relay's cache limits (relay.md §3): total bytes of cached groups across all tracks
 * ({@code [cache] capacity}), memory to keep available ({@code [cache] headroom}: the budget then
 * follows free memory, see {@link org.moqrelay.relay.cache.CacheGovernor}), and the longest a
 * non-latest group is kept ({@code [cache] duration}). The latest group of every track is always kept.
 *
 * @param capacityBytes  {@link Long#MAX_VALUE} for no cap
 * @param durationMillis {@link Long#MAX_VALUE} for each track's own latency window
 * @param headroomBytes  0 for no headroom governor
 */
public record CacheConfig(long capacityBytes, long durationMillis, long headroomBytes) {
    /** No byte budget and no age cap beyond each track's latency window (the reference's default). */
    public static final CacheConfig UNLIMITED = new CacheConfig(Long.MAX_VALUE, Long.MAX_VALUE, 0);

    public CacheConfig {
        if (capacityBytes <= 0) throw new IllegalArgumentException("cache.capacity: " + capacityBytes + " (expected: > 0)");
        if (durationMillis < 0) throw new IllegalArgumentException("cache.duration: " + durationMillis + " (expected: >= 0)");
        if (headroomBytes < 0) throw new IllegalArgumentException("cache.headroom: " + headroomBytes + " (expected: >= 0)");
    }

    /** Limits without a headroom governor. */
    public CacheConfig(long capacityBytes, long durationMillis) {
        this(capacityBytes, durationMillis, 0);
    }
}
