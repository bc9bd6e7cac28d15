package org.moqrelay.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Path;

/**
 * The relay's one tree of active broadcasts, keyed by absolute path. Sessions see it through
 * their root. The newest publisher of a path wins; a publisher lost abruptly lingers before its
 * broadcast ends. Thread-safe.
 *
 * <p>Announce listeners are called while the origin's lock is held, so every listener sees events
 * in the same order. They must only hand the event to their own thread: never block, never call
 * back into this origin synchronously.
 */
public final class Origin {
    /** Hears broadcasts appear and disappear under a prefix. */
    public interface AnnounceListener {
        void onAnnounce(Broadcast broadcast);

        void onUnannounce(Broadcast broadcast);
    }

    /** A registered listener and the broadcasts that were active when it registered. */
    public final class Watch implements AutoCloseable {
        private final Path prefix;
        private final AnnounceListener listener;
        private final List<Broadcast> initial;

        private Watch(Path prefix, AnnounceListener listener, List<Broadcast> initial) {
            this.prefix = prefix;
            this.listener = listener;
            this.initial = initial;
        }

        public List<Broadcast> initial() {
            return initial;
        }

        public Path prefix() {
            return prefix;
        }

        @Override
        public void close() {
            synchronized (Origin.this) {
                watches.remove(this);
            }
        }
    }

    private final TreeMap<Path, Broadcast> active = new TreeMap<>();
    private final List<Watch> watches = new ArrayList<>();
    private final Map<Broadcast, ScheduledFuture<?>> lingering = new java.util.IdentityHashMap<>();
    private final ScheduledExecutorService timer;
    private final long lingerMillis;
    private final CacheBudget budget;
    private final long maxCacheMillis;

    public Origin(ScheduledExecutorService timer, long lingerMillis) {
        this(timer, lingerMillis, CacheBudget.UNLIMITED, Long.MAX_VALUE);
    }

    /**
     * @param budget         bytes all tracks together may cache ({@code [cache] capacity})
     * @param maxCacheMillis the longest a non-latest group stays cached ({@code [cache] duration})
     */
    public Origin(ScheduledExecutorService timer, long lingerMillis, CacheBudget budget, long maxCacheMillis) {
        this.timer = timer;
        this.lingerMillis = lingerMillis;
        this.budget = budget;
        this.maxCacheMillis = maxCacheMillis;
    }

    public CacheBudget budget() {
        return budget;
    }

    long maxCacheMillis() {
        return maxCacheMillis;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    public long lingerMillis() {
        return lingerMillis;
    }

    /** The active broadcast at {@code path}, or null. */
    public synchronized Broadcast broadcast(Path path) {
        return active.get(path);
    }

    /** Active broadcasts under {@code prefix}, sorted by path. */
    public synchronized List<Broadcast> announced(Path prefix) {
        List<Broadcast> out = new ArrayList<>();
        for (Broadcast b : active.values()) {
            if (b.path().hasPrefix(prefix)) out.add(b);
        }
        return out;
    }

    /**
     * Makes {@code b} the broadcast at its path. An incumbent is replaced (newest wins): it is
     * unannounced and closed, then {@code b} is announced.
     */
    public void publish(Broadcast b) {
        Broadcast old;
        synchronized (this) {
            b.attach(this);
            old = active.put(b.path(), b);
            if (old != null) {
                cancelLinger(old);
                fire(old, false);
            }
            fire(b, true);
        }
        if (old != null) old.close(ErrorCode.CANCEL);
    }

    /** Removes {@code b} at once (clean unannounce). No-op if it was already replaced. */
    public void unpublish(Broadcast b) {
        unpublish(b, null);
    }

    /** Removes {@code b} and ends its tracks with {@code code} (null = cleanly). */
    public void unpublish(Broadcast b, ErrorCode code) {
        synchronized (this) {
            cancelLinger(b);
            if (active.get(b.path()) == b) {
                active.remove(b.path());
                fire(b, false);
            }
        }
        b.close(code);
    }

    /**
     * The publisher of {@code b} vanished without saying goodbye: keep it announced for the
     * linger period, then remove it. A newer publisher of the same path replaces it sooner.
     */
    public void linger(Broadcast b) {
        if (lingerMillis <= 0) {
            unpublish(b, ErrorCode.CANCEL);
            return;
        }
        synchronized (this) {
            if (active.get(b.path()) != b || lingering.containsKey(b)) return;
            lingering.put(b, timer.schedule(() -> unpublish(b, ErrorCode.CANCEL), lingerMillis, TimeUnit.MILLISECONDS));
        }
    }

    private void cancelLinger(Broadcast b) {
        ScheduledFuture<?> f = lingering.remove(b);
        if (f != null) f.cancel(false);
    }

    /** Ends every broadcast (relay shutdown): tracks abort and their caches are released. */
    public void closeAll() {
        List<Broadcast> all;
        synchronized (this) {
            all = new ArrayList<>(active.values());
            for (ScheduledFuture<?> f : lingering.values()) f.cancel(false);
            lingering.clear();
        }
        for (Broadcast b : all) unpublish(b, ErrorCode.CANCEL);
        for (Broadcast b : all) {
            for (Track t : b.tracks()) t.releaseCache();
        }
    }

    /** Registers {@code listener} for broadcasts under {@code prefix}; returns the current ones too. */
    public synchronized Watch watch(Path prefix, AnnounceListener listener) {
        Watch w = new Watch(prefix, listener, announced(prefix));
        watches.add(w);
        return w;
    }

    /** How many announce listeners are registered (each costs every announcement a check). */
    public synchronized int watchCount() {
        return watches.size();
    }

    private void fire(Broadcast b, boolean announce) {
        for (Watch w : watches) {
            if (!b.path().hasPrefix(w.prefix)) continue;
            if (announce) w.listener.onAnnounce(b);
            else w.listener.onUnannounce(b);
        }
    }
}
