package org.moqrelay.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A byte budget shared by every track of an origin ({@code [cache] capacity}, and the target the
 * headroom governor sets). When the cached payloads exceed it, the oldest groups are evicted
 * first, except the latest group of each track, which is always kept (relay.md §3), a fetched
 * group while it is being filled (its fetchers are reading it), and a group another thread was
 * woken to forward and has not yet ({@link Group#deliveryQueued}). Eviction
 * happens as tracks write and when the budget shrinks; there is no reaper thread. Thread-safe.
 */
public final class CacheBudget {
    /** No limit and no accounting: groups leave the cache only by age. Cannot be resized. */
    public static final CacheBudget UNLIMITED = new CacheBudget(Long.MAX_VALUE, false);

    /** Whether groups and bytes are counted (every budget but {@link #UNLIMITED}). */
    private final boolean tracking;
    /** Cached groups, oldest first. */
    private final ArrayDeque<Group> groups = new ArrayDeque<>();
    private long capacity;
    private long used;

    public CacheBudget(long capacityBytes) {
        this(capacityBytes, true);
        if (capacityBytes <= 0) throw new IllegalArgumentException("capacity: " + capacityBytes + " (expected: > 0)");
    }

    private CacheBudget(long capacityBytes, boolean tracking) {
        this.capacity = capacityBytes;
        this.tracking = tracking;
    }

    /** A budget that counts what is cached but has no limit until {@link #resize} gives it one. */
    public static CacheBudget resizable() {
        return new CacheBudget(Long.MAX_VALUE, true);
    }

    /** The current target in bytes; {@link Long#MAX_VALUE} when unlimited. */
    public synchronized long capacity() {
        return capacity;
    }

    /** Bytes currently held by groups that are still cached. */
    public synchronized long used() {
        return used;
    }

    /**
     * Sets a new target. A target below what is cached evicts the oldest groups now, on the
     * caller's thread, until the cache fits or only the latest group of each track is left.
     */
    public void resize(long capacityBytes) {
        if (!tracking) throw new UnsupportedOperationException("the UNLIMITED budget cannot be resized");
        if (capacityBytes < 0) throw new IllegalArgumentException("capacity: " + capacityBytes + " (expected: >= 0)");
        synchronized (this) {
            capacity = capacityBytes;
        }
        shrink();
    }

    synchronized void register(Group g) {
        if (tracking) groups.addLast(g);
    }

    /** {@code n} more bytes were cached in {@code g}; evicts old groups if that went over budget. */
    void added(Group g, long n) {
        if (!tracking) return;
        synchronized (this) {
            used += n;
            if (used <= capacity) return;
        }
        shrink();
    }

    /** Evicts old groups if the cache is over budget (a group spared before may be free to go now). */
    void check() {
        if (!tracking) return;
        synchronized (this) {
            if (used <= capacity) return;
        }
        shrink();
    }

    /** {@code g} left the cache (evicted, aged out, track gone): forget its bytes. */
    void released(Group g, long bytes) {
        if (!tracking) return;
        synchronized (this) {
            if (groups.remove(g)) used -= bytes;
        }
    }

    /**
     * Evicts the oldest groups until the cache fits. Victims are picked under our lock (looking
     * at their track's latest group takes the track's lock: neither a track nor a group ever calls
     * in here while holding its own lock, so the order is safe) and evicted outside it, since
     * evicting calls back into {@link #released}.
     */
    private void shrink() {
        while (true) {
            List<Group> victims = new ArrayList<>();
            synchronized (this) {
                long excess = used - capacity;
                for (Group g : groups) {
                    if (excess <= 0) break;
                    // Spared: a track's live edge, a fetched group its fetchers are still receiving,
                    // and a group another loop has been woken to forward and has not yet.
                    if (g.state() == Group.State.EVICTED || g.isLatestOfTrack() || g.isBeingFetched()
                            || g.sparedForDelivery()) continue;
                    victims.add(g);
                    excess -= g.bytes();
                }
            }
            if (victims.isEmpty()) return;
            for (Group g : victims) g.evictFromTrack();
        }
    }
}
