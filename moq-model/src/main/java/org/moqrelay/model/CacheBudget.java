package org.moqrelay.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A byte budget shared by every track of an origin ({@code [cache] capacity}). When the cached
 * payloads exceed it, the oldest groups are evicted first, except the latest group of each track,
 * which is always kept (relay.md §3). Eviction happens as tracks write; there is no reaper thread.
 * Thread-safe.
 */
public final class CacheBudget {
    /** No limit: groups leave the cache only by age. */
    public static final CacheBudget UNLIMITED = new CacheBudget(Long.MAX_VALUE);

    private final long capacity;
    private final ArrayDeque<Group> groups = new ArrayDeque<>();
    private long used;

    public CacheBudget(long capacityBytes) {
        if (capacityBytes <= 0) throw new IllegalArgumentException("capacity: " + capacityBytes + " (expected: > 0)");
        this.capacity = capacityBytes;
    }

    public long capacity() {
        return capacity;
    }

    /** Bytes currently held by groups that are still cached. */
    public synchronized long used() {
        return used;
    }

    synchronized void register(Group g) {
        if (capacity != Long.MAX_VALUE) groups.addLast(g);
    }

    /** {@code n} more bytes were cached in {@code g}; evicts old groups if that went over budget. */
    void added(Group g, long n) {
        if (capacity == Long.MAX_VALUE) return;
        List<Group> candidates;
        synchronized (this) {
            used += n;
            if (used <= capacity) return;
            candidates = new ArrayList<>(groups);
        }
        // Outside our lock: evicting takes the track's and the group's locks, which are taken
        // in the other order when a track caches a new group.
        for (Group old : candidates) {
            if (used() <= capacity) break;
            if (old.state() == Group.State.EVICTED || old.isLatestOfTrack()) continue;
            old.evictFromTrack();
        }
    }

    /** {@code g} left the cache for another reason (age, track gone): forget its bytes. */
    void released(Group g, long bytes) {
        if (capacity == Long.MAX_VALUE) return;
        synchronized (this) {
            if (groups.remove(g)) used -= bytes;
        }
    }
}
