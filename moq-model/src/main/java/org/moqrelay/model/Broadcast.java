package org.moqrelay.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * A named collection of tracks published at one path. Local broadcasts create their tracks up
 * front; remote ones (fed by a publisher session, the {@link Track.Source}) create a track the
 * first time somebody asks for it. {@code hops} is the chain of relay/publisher ids the
 * announcement travelled; its first entry identifies the publisher.
 *
 * <p>It owns which {@link Track} answers for a name. A track forgotten as idle leaves the map under
 * its own lock and comes back through {@link #reclaim}; one that ended leaves it for good once
 * nobody watches it. The track's lock is taken first, then this one, never the other way round.
 */
public final class Broadcast {
    private final Path path;
    private final List<Long> hops;
    private final Track.Source source;
    private final Map<String, Track> tracks = new HashMap<>();
    private volatile Origin origin;
    private boolean closed;
    /** What {@link #close} ended the tracks with (null: cleanly). */
    private ErrorCode closeCode;

    /**
     * A broadcast whose tracks are created locally with {@link #createTrack}. Its hop list is
     * empty: whoever receives its announcement appends our id (lite-05 semantics).
     */
    public static Broadcast local(Path path) {
        return new Broadcast(path, List.of(), null);
    }

    /** A broadcast whose tracks are fetched on demand from {@code source}. */
    public static Broadcast remote(Path path, List<Long> hops, Track.Source source) {
        return new Broadcast(path, hops, source);
    }

    private Broadcast(Path path, List<Long> hops, Track.Source source) {
        this.path = path;
        this.hops = List.copyOf(hops);
        this.source = source;
    }

    public Path path() {
        return path;
    }

    /** Hop ids, oldest first (the publisher's id first). */
    public List<Long> hops() {
        return hops;
    }

    /** The first hop (the publisher's identity), or 0 when unknown. */
    public long publisherId() {
        return hops.isEmpty() ? 0 : hops.get(0);
    }

    void attach(Origin o) {
        origin = o;
    }

    /** The byte budget of the origin this broadcast is in (unlimited outside any origin). */
    CacheBudget budget() {
        Origin o = origin;
        return o == null ? CacheBudget.UNLIMITED : o.budget();
    }

    /** The longest a non-latest group may stay cached ({@code [cache] duration}). */
    long maxCacheMillis() {
        Origin o = origin;
        return o == null ? Long.MAX_VALUE : o.maxCacheMillis();
    }

    /** Creates a local track with known info; replaces nothing (returns the existing one). */
    public synchronized Track createTrack(String name, TrackInfo info) {
        return tracks.computeIfAbsent(name, n -> new Track(this, n, null, info));
    }

    /**
     * The shared track {@code name}: an existing one, a new remote one (whose info is then fetched
     * from the source; forgotten after the idle linger unless someone watches it), or null when a
     * local broadcast has no such track or the broadcast closed.
     */
    public synchronized Track track(String name) {
        if (closed) return null;
        Track t = tracks.get(name);
        if (t == null && source != null) {
            t = new Track(this, name, source, null);
            tracks.put(name, t);
            t.idleFromCreation();
        }
        return t;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    public synchronized List<Track> tracks() {
        return new ArrayList<>(tracks.values());
    }

    /** Ends every track: cleanly when {@code code} is null, else aborted with it. */
    public void close(ErrorCode code) {
        List<Track> all;
        synchronized (this) {
            if (closed) return;
            closed = true;
            closeCode = code;
            all = new ArrayList<>(tracks.values());
        }
        for (Track t : all) {
            if (code == null) t.finish();
            else t.abort(code);
        }
    }

    /** Drops idle {@code t}; called under its lock. */
    synchronized void forget(Track t) {
        tracks.remove(t.name(), t);
    }

    /**
     * Someone reached forgotten track {@code t} (called under its lock): puts it back under its
     * name and returns it, or returns the track that took the name meanwhile, or null once closed.
     */
    synchronized Track reclaim(Track t) {
        if (closed) return null;
        return tracks.computeIfAbsent(t.name(), n -> t);
    }

    /** The code {@link #close} ended the tracks with (null: cleanly or not closed). */
    synchronized ErrorCode closeCode() {
        return closeCode;
    }

    /**
     * Checks {@code t} for idleness: after the linger period, or at once when the broadcast is in
     * no origin (a client's consume(): nothing can come back for it).
     */
    void scheduleIdleCheck(Track t, long generation) {
        if (origin == null) t.idleCheck(generation);
        else checkIdleLater(t, generation);
    }

    /** Checks {@code t} for idleness after the linger period; without an origin (no timer) it stays until the broadcast closes. */
    void checkIdleLater(Track t, long generation) {
        Origin o = origin;
        if (o != null) o.timer().schedule(() -> t.idleCheck(generation), Track.IDLE_LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public String toString() {
        return "Broadcast[" + path + " hops=" + hops + "]";
    }
}
