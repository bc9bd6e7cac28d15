package org.moqrelay.relay.server;

/**
 * The relay's cache limits (relay.md §3): total bytes of cached groups across all tracks
 * ({@code [cache] capacity}) and the longest a non-latest group is kept ({@code [cache] duration}).
 * The latest group of every track is always kept.
 */
public record CacheConfig(long capacityBytes, long durationMillis) {
    /** No byte budget and no age cap beyond each track's latency window (the reference's default). */
    public static final CacheConfig UNLIMITED = new CacheConfig(Long.MAX_VALUE, Long.MAX_VALUE);

    public CacheConfig {
        if (capacityBytes <= 0) throw new IllegalArgumentException("cache.capacity: " + capacityBytes + " (expected: > 0)");
        if (durationMillis < 0) throw new IllegalArgumentException("cache.duration: " + durationMillis + " (expected: >= 0)");
    }
}
