package org.moqrelay.relay.cache;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.moqrelay.model.CacheBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code [cache] headroom}: re-sizes the cache budget every few seconds so that at least
 * {@code headroom} bytes of memory stay available (relay.md §3, the reference's cache governor).
 * The cache grows into memory nobody else uses and is the first thing given back when the rest of
 * the machine needs it: the target is what the cache holds now plus what is available beyond the
 * headroom (less than it holds when memory is short), capped by {@code [cache] capacity} if set.
 * The latest group of every track is always kept, so the cache never shrinks below those.
 */
public final class CacheGovernor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CacheGovernor.class);
    /** How often memory is sampled (the reference's interval). */
    public static final long INTERVAL_MILLIS = 5_000;

    private final CacheBudget budget;
    private final long capacity;
    private final long headroom;
    private final LongSupplier available;
    private ScheduledFuture<?> task;

    /**
     * @param capacity  the most the cache may ever hold ({@link Long#MAX_VALUE}: no cap)
     * @param headroom  bytes of memory to keep available, &gt; 0
     * @param available bytes of memory available now ({@link AvailableMemory} in the relay)
     */
    public CacheGovernor(CacheBudget budget, long capacity, long headroom, LongSupplier available) {
        if (headroom <= 0) throw new IllegalArgumentException("headroom: " + headroom + " (expected: > 0)");
        this.budget = budget;
        this.capacity = capacity;
        this.headroom = headroom;
        this.available = available;
    }

    /** Samples memory now and then every {@link #INTERVAL_MILLIS} on {@code timer}. */
    public CacheGovernor start(ScheduledExecutorService timer) {
        task = timer.scheduleWithFixedDelay(this::safeTick, 0, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One sample: sets the budget's target and returns it. */
    public long tick() {
        long used = budget.used();
        long free = Math.max(0, available.getAsLong());
        long total = used > Long.MAX_VALUE - free ? Long.MAX_VALUE : used + free;
        long target = Math.min(Math.max(0, total - headroom), capacity);
        log.trace("cache governor: used {} available {} target {}", used, free, target);
        budget.resize(target);
        return target;
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            // A failed sample must not end the periodic task.
            log.warn("cache governor tick failed", e);
        }
    }

    @Override
    public void close() {
        if (task != null) task.cancel(false);
    }
}
