package org.moqrelay.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * One logical track of a broadcast, shared by every subscriber: its info, a cache of groups (the
 * latest always, older ones within the track's latency window), and the aggregated demand that
 * drives ONE upstream subscription. Thread-safe; listeners run outside the lock.
 */
public final class Track {
    /**
     * How long an unwatched remote track (unsubscribed, or never subscribed: looked up for a TRACK
     * request or a fetch) keeps its cache for a returning viewer before it is forgotten
     * (reference: 30 s).
     */
    public static final long IDLE_LINGER_MILLIS = 30_000;

    /** Receives a track's new groups and its end. Must not block. */
    public interface Listener {
        void onGroup(Track track, Group group);

        /** The track ended ({@link #state()} says how); no more groups will come. */
        void onEnd(Track track);
    }

    /** Where a track's content comes from: a publisher session, asked on demand. */
    public interface Source {
        /** Resolve {@link #info()} (e.g. an upstream TRACK), or {@link #abort} the track. */
        void requestInfo(Track track);

        /** Start feeding the track for this aggregated demand. */
        void subscribe(Track track, Demand demand);

        void update(Track track, Demand demand);

        /** Nobody is watching: cancel the upstream subscription. */
        void unsubscribe(Track track);

        /**
         * Fetch group {@code sequence}, which is not cached, from upstream: called once per group
         * however many fetchers wait for it. Answer with {@link Track#fetched} when its data starts
         * to arrive, or {@link Track#fetchFailed}. A source that cannot fetch says NotFound.
         */
        default void fetch(Track track, long sequence, int priority) {
            track.fetchFailed(sequence, ErrorCode.NOT_FOUND);
        }
    }

    public enum State { LIVE, ENDED, ABORTED }

    private final Broadcast broadcast;
    private final String name;
    private final Source source;
    private final CompletableFuture<TrackInfo> info = new CompletableFuture<>();
    private final TreeMap<Long, Group> cache = new TreeMap<>();
    private final Map<Subscription, Demand> subscribers = new IdentityHashMap<>();
    private final List<Listener> listeners = new ArrayList<>();
    private Group latest;
    private State state = State.LIVE;
    private ErrorCode error;
    private long endGroup = -1;
    private boolean upstream;
    private Demand upstreamDemand;
    private boolean infoRequested;
    private long idleGeneration;
    /**
     * Dropped from its broadcast as idle (or as ended and unwatched); both change together under
     * this lock. Groups still arriving are refused, and a subscriber or fetcher that still holds
     * this instance goes through {@link #home()}, so one name never has two live tracks in a
     * broadcast.
     */
    private boolean forgotten;
    /**
     * Source calls decided under the lock, made outside it in that same order (a subscriber
     * leaving on one thread and one arriving on another must not reach the source as subscribe
     * then unsubscribe).
     */
    private final ArrayDeque<Runnable> sourceCalls = new ArrayDeque<>();
    private boolean callingSource;
    /** Upstream fetches in flight, by group: every fetcher of a group shares one. */
    private final Map<Long, CompletableFuture<Group>> fetching = new HashMap<>();
    /** Fetched groups still being filled; the track is not forgotten while there are any. */
    private final List<Group> filling = new ArrayList<>();

    Track(Broadcast broadcast, String name, Source source, TrackInfo knownInfo) {
        this.broadcast = broadcast;
        this.name = name;
        this.source = source;
        if (knownInfo != null) info.complete(knownInfo);
    }

    public String name() {
        return name;
    }

    public Broadcast broadcast() {
        return broadcast;
    }

    /** Completes with the publisher's TRACK_INFO; fails with {@link TrackException} if refused. */
    public CompletableFuture<TrackInfo> info() {
        boolean ask;
        synchronized (this) {
            ask = !info.isDone() && !infoRequested && source != null;
            infoRequested |= ask;
        }
        if (ask) source.requestInfo(this);
        return info;
    }

    /** Sets the info learnt from upstream (first one wins). */
    public void setInfo(TrackInfo i) {
        info.complete(i);
    }

    public synchronized State state() {
        return state;
    }

    public synchronized ErrorCode error() {
        return error;
    }

    /** First group sequence that will never arrive (exclusive end), once ended; else -1. */
    public synchronized long endGroup() {
        return endGroup;
    }

    public synchronized Group latest() {
        return latest;
    }

    /** A cached group, or null. */
    public synchronized Group group(long sequence) {
        return cache.get(sequence);
    }

    public synchronized int cachedGroups() {
        return cache.size();
    }

    public synchronized int subscriberCount() {
        return subscribers.size();
    }

    /** Whether an upstream subscription is currently wanted (for tests and metrics). */
    public synchronized boolean upstreamActive() {
        return upstream;
    }

    // ------------------------------------------------------------ producer side

    /**
     * Starts group {@code sequence}. Returns null if the track is over or the group already exists
     * (a duplicate from upstream). Older groups outside the latency window are evicted.
     */
    public Group createGroup(long sequence) {
        Group g;
        List<Listener> targets;
        List<Group> evicted = new ArrayList<>();
        synchronized (this) {
            if (state != State.LIVE || forgotten || cache.containsKey(sequence)) return null;
            g = new Group(sequence, System.nanoTime());
            cache.put(sequence, g);
            if (latest == null || sequence > latest.sequence()) latest = g;
            long windowNanos = TimeUnit.MILLISECONDS.toNanos(latencyWindowMillis());
            long now = System.nanoTime();
            var it = cache.values().iterator();
            while (it.hasNext()) {
                Group old = it.next();
                if (old == latest) continue;
                if (now - old.lastWriteNanos() > windowNanos) {
                    evicted.add(old);
                    it.remove();
                }
            }
            targets = new ArrayList<>(listeners);
        }
        g.cachedBy(this, broadcast.budget());
        for (Group old : evicted) {
            old.abort(ErrorCode.OLD);
            old.evict();
        }
        for (Listener l : targets) l.onGroup(this, g);
        return g;
    }

    private long latencyWindowMillis() {
        TrackInfo i = info.getNow(null);
        long window = i == null ? TrackInfo.DEFAULT.maxLatencyMillis() : Math.max(i.maxLatencyMillis(), 0);
        return Math.min(window, broadcast.maxCacheMillis());
    }

    /** The publisher finished the track cleanly; an upstream track's groups still arriving complete on their own. */
    public void finish() {
        end(State.ENDED, null);
    }

    /** The track failed or its source went away. Open groups are truncated with the same code. */
    public void abort(ErrorCode code) {
        end(State.ABORTED, code);
        info.completeExceptionally(new TrackException(code));
    }

    private void end(State newState, ErrorCode code) {
        List<Listener> targets;
        List<Group> open = new ArrayList<>();
        List<CompletableFuture<Group>> fetches;
        boolean release;
        synchronized (this) {
            if (state != State.LIVE) return;
            state = newState;
            error = code;
            endGroup = latest == null ? 0 : cache.lastKey() + 1;
            for (Group g : cache.values()) open.add(g);
            targets = new ArrayList<>(listeners);
            release = subscribers.isEmpty();
            if (release) dropEnded();
            fetches = new ArrayList<>(fetching.values());
            fetching.clear();
        }
        TrackException failure = new TrackException(code == null ? ErrorCode.NOT_FOUND : code);
        for (CompletableFuture<Group> f : fetches) f.completeExceptionally(failure);
        // A failure truncates open groups. A clean end from upstream leaves them to their own
        // streams: the publisher's last group may still be arriving (its stream and the track's
        // end travel apart), and finishing it here would hand subscribers a truncated group as if
        // whole; the reference, too, only records where the track ends. A local producer's end
        // closes what it left open.
        for (Group g : open) {
            if (code != null) g.abort(code);
            else if (source == null) g.finish();
        }
        for (Listener l : targets) l.onEnd(this);
        if (release) releaseCache();
    }

    /** Removes {@code g} from the cache (evicted for the byte budget); never the latest group. */
    void forgetGroup(Group g) {
        synchronized (this) {
            if (g == latest) return;
            cache.remove(g.sequence(), g);
        }
    }

    /** Drops every cached group (the track is gone for good). */
    void releaseCache() {
        List<Group> all;
        synchronized (this) {
            all = takeCache();
        }
        for (Group g : all) g.evict();
    }

    /** Under the lock: empties the cache; the caller evicts the groups outside it. */
    private List<Group> takeCache() {
        List<Group> all = new ArrayList<>(cache.values());
        cache.clear();
        filling.clear();
        latest = null;
        return all;
    }

    // ------------------------------------------------------------ one-shot fetches

    /**
     * Group {@code sequence} for a one-shot FETCH: the cached group, or else one fetched through
     * the source (the publisher's session), shared by every concurrent fetcher of that group. The
     * fetched group joins the cache (and its budget) but is not announced to live subscribers.
     * Fails with a {@link TrackException} (possibly wrapped: see {@link TrackException#codeOf}):
     * NotFound when the group does not exist (or this track has no source to ask), else the
     * source's or the ended track's code.
     */
    public CompletableFuture<Group> fetchGroup(long sequence, int priority) {
        CompletableFuture<Group> f = null;
        long generation = -1;
        Track home;
        synchronized (this) {
            home = home();
            if (home == this) {
                Group g = cache.get(sequence);
                if (g != null && (source == null ? g.state() != Group.State.EVICTED : servable(g))) {
                    return CompletableFuture.completedFuture(g);
                }
                f = fetching.get(sequence);
                // A copy: a fetcher cancelling its future must not fail the others.
                if (f != null) return f.copy();
                if (state != State.LIVE || source == null) {
                    return CompletableFuture.failedFuture(new TrackException(error == null ? ErrorCode.NOT_FOUND : error));
                }
                f = new CompletableFuture<>();
                fetching.put(sequence, f);
                // Unwatched: forget the track some time after the fetch, as after a last unsubscribe.
                if (subscribers.isEmpty()) generation = ++idleGeneration;
            }
        }
        if (home != this) return insteadOfForgotten(home).fetchGroup(sequence, priority);
        try {
            source.fetch(this, sequence, priority);
        } catch (RuntimeException e) {
            fetchFailed(sequence, ErrorCode.CANCEL);
        }
        if (generation >= 0) broadcast.checkIdleLater(this, generation);
        return f.copy();
    }

    /** A cached group a fetch can be served from: aborted or evicted ones are fetched again. */
    private static boolean servable(Group g) {
        Group.State s = g.state();
        return s == Group.State.OPEN || s == Group.State.FINISHED;
    }

    /**
     * Source side: the data of fetched group {@code sequence} started to arrive. Caches a group for
     * it (replacing an aborted one) and hands it to the waiting fetchers; the source then appends
     * the frames and finishes or aborts it. Returns null when nobody waits for it any more (the
     * track ended, or the group arrived live meanwhile): the source should stop.
     */
    public Group fetched(long sequence) {
        CompletableFuture<Group> f;
        Group g;
        Group replaced = null;
        boolean arrivedLive = false;
        synchronized (this) {
            f = fetching.remove(sequence);
            if (f == null) return null;
            g = cache.get(sequence);
            if (g != null && servable(g)) {
                arrivedLive = true;
            } else {
                replaced = g;
                g = new Group(sequence, System.nanoTime());
                cache.put(sequence, g);
                if (latest == null || sequence >= latest.sequence()) latest = g;
                filling.removeIf(x -> x.state() != Group.State.OPEN);
                filling.add(g);
            }
        }
        if (arrivedLive) {
            f.complete(g);
            return null;
        }
        if (replaced != null) replaced.evict();
        g.markFetched();
        g.cachedBy(this, broadcast.budget());
        f.complete(g);
        return g;
    }

    /** Source side: the upstream fetch of {@code sequence} failed before any data; fails its fetchers. */
    public void fetchFailed(long sequence, ErrorCode code) {
        CompletableFuture<Group> f;
        synchronized (this) {
            f = fetching.remove(sequence);
        }
        if (f != null) f.completeExceptionally(new TrackException(code));
    }

    // ------------------------------------------------------------ consumer side

    /**
     * Registers a subscriber. The returned subscription lists the cached groups to deliver first
     * (the latest one for a live-edge subscriber, or every cached group from the start group), then
     * the listener receives newer groups. If this track was forgotten as idle and another one took
     * its name meanwhile, the subscriber joins that one: {@link Subscription#track()} says which.
     */
    public Subscription subscribe(Demand demand, Listener listener) {
        Subscription sub = null;
        Demand startUp = null;
        Demand updateUp = null;
        Track home;
        synchronized (this) {
            home = home();
            if (home == this) {
                sub = register(demand, listener);
                if (state == State.LIVE && source != null) {
                    Demand agg = Demand.aggregate(subscribers.values());
                    if (!upstream) {
                        upstream = true;
                        upstreamDemand = agg;
                        startUp = agg;
                    } else if (!agg.equals(upstreamDemand)) {
                        upstreamDemand = agg;
                        updateUp = agg;
                    }
                }
                Demand s = startUp, u = updateUp;
                if (s != null) sourceCalls.add(() -> source.subscribe(this, s));
                if (u != null) sourceCalls.add(() -> source.update(this, u));
            }
        }
        if (home != this) return insteadOfForgotten(home).subscribe(demand, listener);
        callSource();
        return sub;
    }

    /** Under the lock: adds the subscriber with the cached groups it starts from. */
    private Subscription register(Demand demand, Listener listener) {
        List<Group> initial = new ArrayList<>();
        if (demand.startGroup() == null) {
            if (latest != null) initial.add(latest);
        } else {
            initial.addAll(cache.tailMap(demand.startGroup(), true).values());
        }
        Subscription sub = new Subscription(this, listener, initial);
        subscribers.put(sub, demand);
        listeners.add(listener);
        idleGeneration++;
        return sub;
    }

    /**
     * Under the lock: the track that serves whoever reaches this one. This one, unless it was
     * forgotten while still live (the reference was taken before the idle check): then it goes back
     * under its name in the broadcast, or the track that took the name meanwhile serves instead;
     * null once the broadcast has closed. Takes the broadcast's lock inside this one.
     */
    private Track home() {
        if (!forgotten || state != State.LIVE) return this;
        Track home = broadcast.reclaim(this);
        if (home == this) forgotten = false;
        return home;
    }

    /** Outside the lock: where to go when {@link #home()} said {@code home} instead of this track. */
    private Track insteadOfForgotten(Track home) {
        if (home != null) return home;
        // Its broadcast closed while it was forgotten: end it as the broadcast ended the others.
        ErrorCode code = broadcast.closeCode();
        if (code == null) finish();
        else abort(code);
        return this;
    }

    void update(Subscription sub, Demand demand) {
        Demand updateUp = null;
        synchronized (this) {
            if (!subscribers.containsKey(sub)) return;
            subscribers.put(sub, demand);
            if (upstream) {
                Demand agg = Demand.aggregate(subscribers.values());
                if (!agg.equals(upstreamDemand)) {
                    upstreamDemand = agg;
                    updateUp = agg;
                }
            }
            Demand u = updateUp;
            if (u != null) sourceCalls.add(() -> source.update(this, u));
        }
        callSource();
    }

    void unsubscribe(Subscription sub) {
        boolean stopUp = false;
        Demand updateUp = null;
        boolean releaseNow = false;
        long generation;
        synchronized (this) {
            if (subscribers.remove(sub) == null) return;
            listeners.remove(sub.listener());
            generation = ++idleGeneration;
            if (subscribers.isEmpty()) {
                if (upstream) {
                    upstream = false;
                    upstreamDemand = null;
                    stopUp = state == State.LIVE;
                }
                releaseNow = state != State.LIVE;
                if (releaseNow) dropEnded();
            } else if (upstream) {
                Demand agg = Demand.aggregate(subscribers.values());
                if (!agg.equals(upstreamDemand)) {
                    upstreamDemand = agg;
                    updateUp = agg;
                }
            }
            Demand u = updateUp;
            if (stopUp) sourceCalls.add(() -> source.unsubscribe(this));
            if (u != null) sourceCalls.add(() -> source.update(this, u));
        }
        callSource();
        if (releaseNow) {
            releaseCache();
        } else if (subscribers.isEmpty() && source != null) {
            broadcast.scheduleIdleCheck(this, generation);
        }
    }

    /**
     * Makes the queued source calls, outside the lock and in queue order. One thread at a time:
     * a thread that finds another one calling leaves its calls to that thread.
     */
    private void callSource() {
        synchronized (this) {
            if (callingSource || sourceCalls.isEmpty()) return;
            callingSource = true;
        }
        while (true) {
            Runnable call;
            synchronized (this) {
                call = sourceCalls.poll();
                if (call == null) {
                    callingSource = false;
                    return;
                }
            }
            try {
                call.run();
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    callingSource = false;
                }
                throw e;
            }
        }
    }

    /**
     * Under the lock, once this track has ended and nobody watches it: a remote one leaves its
     * broadcast at once (its cache goes now too), so the next request for the name asks the
     * publisher afresh instead of meeting this end, and a name the publisher refused (NotFound)
     * costs nothing once answered (the reference's lookup, too, replaces closed entries).
     */
    private void dropEnded() {
        if (source == null || forgotten) return;
        forgotten = true;
        broadcast.forget(this);
    }

    /**
     * A remote track just made by a lookup: unwatched from the start (a TRACK request never
     * subscribes), so its idle linger starts now. Called under the broadcast's lock, so only
     * ever later ({@link Broadcast#checkIdleLater}); outside an origin it stays until its broadcast
     * closes.
     */
    void idleFromCreation() {
        broadcast.checkIdleLater(this, 0); // nobody has it yet: idleGeneration is still 0
    }

    /** Called by the broadcast's timer: forget a track nobody watched for {@link #IDLE_LINGER_MILLIS}. */
    void idleCheck(long generation) {
        List<Group> released;
        synchronized (this) {
            if (forgotten || generation != idleGeneration || !subscribers.isEmpty()) return;
            filling.removeIf(g -> g.state() != Group.State.OPEN);
            boolean busy = !fetching.isEmpty() || !filling.isEmpty();
            // Marked, dropped from the broadcast and emptied in one step under the same lock as
            // the check: whoever reaches the track later goes through home() and never sees it half
            // forgotten. A group still in flight from the source (told to stop a moment ago) is
            // refused rather than cached where nothing would ever release it.
            if (busy) {
                released = null;
            } else {
                forgotten = true;
                broadcast.forget(this);
                released = takeCache();
            }
        }
        if (released == null) {
            // A fetch is still in flight or filling its group: look again later.
            broadcast.checkIdleLater(this, generation);
            return;
        }
        for (Group g : released) g.evict();
    }

    @Override
    public String toString() {
        return "Track[" + broadcast.path() + " " + name + "]";
    }
}
