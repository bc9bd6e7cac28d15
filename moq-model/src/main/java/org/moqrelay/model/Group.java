package org.moqrelay.model;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.moqrelay.wire.ErrorCode;

/**
 * A group: frames appended in order by one producer and read by any number of readers, each with
 * its own index. Payloads are cached once and shared: readers get retained duplicates.
 * Thread-safe; listeners are called outside the lock, on the producer's thread.
 */
public final class Group {
    /** Bytes a single group may hold, as the reference (also the largest frame). */
    public static final long MAX_BYTES = 32L * 1024 * 1024;

    /** Notified whenever a group gains a frame or ends. Must not block. */
    public interface Listener {
        void onGroupChanged(Group group);

        /**
         * True when, called now, this listener would only queue work for another thread. Such
         * listeners are told first, so other threads start on a frame while this one does its
         * own share.
         */
        default boolean handsOff() {
            return false;
        }
    }

    public enum State { OPEN, FINISHED, ABORTED, EVICTED }

    private final long sequence;
    /** When a frame or the finish last came (the creation until then): what the track's latency window ages the group from. */
    private volatile long lastWriteNanos;
    private final List<Cached> frames = new ArrayList<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Listeners registered under a key ({@link #sharedListener}), also in {@link #listeners}. */
    private final Map<Object, Listener> shared = new ConcurrentHashMap<>();
    private State state = State.OPEN;
    private Track track;
    private CacheBudget budget = CacheBudget.UNLIMITED;
    private ErrorCode error;
    private long bytes;
    /** Wakes queued for readers on other threads that have not run yet ({@link #deliveryQueued}). */
    private final AtomicInteger pendingDeliveries = new AtomicInteger();
    /** The budget skipped this group for a pending delivery: re-check it when the last one is done. */
    private volatile boolean spared;
    /** Filled by a one-shot fetch rather than a live subscription ({@link Track#fetched}). */
    private volatile boolean fetched;

    public Group(long sequence, long createdNanos) {
        this.sequence = sequence;
        this.lastWriteNanos = createdNanos;
    }

    /** Ties the group to its track and the origin's budget (set once, when the track caches it). */
    void cachedBy(Track t, CacheBudget b) {
        track = t;
        budget = b;
        b.register(this);
    }

    void markFetched() {
        fetched = true;
    }

    /** A fetched group still being filled: someone is reading it right now, so the budget spares it. */
    boolean isBeingFetched() {
        return fetched && state() == State.OPEN;
    }

    /**
     * A reader on another thread was told of a change and has not read it yet: the budget spares
     * the group until {@link #deliveryDone}, so that a group the next one overtakes at once is not
     * evicted in the moment before another loop gets to forward it.
     */
    public void deliveryQueued() {
        pendingDeliveries.incrementAndGet();
    }

    /** The delivery {@link #deliveryQueued} announced is under way; a group spared for it may now go. */
    public void deliveryDone() {
        // Read after the decrement, as sparedForDelivery sets before it reads: one side sees the other.
        if (pendingDeliveries.decrementAndGet() == 0 && spared) {
            spared = false;
            budget.check();
        }
    }

    /**
     * Hands {@code task} to another thread through {@code runner} (its executor), with the group
     * spared by the budget until the task has run. Released once whatever happens: the task
     * throws, or the runner refuses it (rethrown).
     */
    public void handOff(Consumer<Runnable> runner, Runnable task) {
        deliveryQueued();
        boolean[] started = new boolean[1];
        try {
            runner.accept(() -> {
                started[0] = true;
                try {
                    task.run();
                } finally {
                    deliveryDone();
                }
            });
        } catch (RuntimeException e) {
            if (!started[0]) deliveryDone();
            throw e;
        }
    }

    /** For the budget: true, and remembered, while a delivery is pending (then {@link #deliveryDone} re-checks). */
    boolean sparedForDelivery() {
        spared = true;
        if (pendingDeliveries.get() > 0) return true;
        spared = false;
        return false;
    }

    boolean isLatestOfTrack() {
        Track t = track;
        return t != null && t.latest() == this;
    }

    /** Evicted for the budget: leave the track's cache and drop the payloads. */
    void evictFromTrack() {
        Track t = track;
        if (t != null) t.forgetGroup(this);
        evict(ErrorCode.EVICTED);
    }

    public long sequence() {
        return sequence;
    }

    /**
     * {@link System#nanoTime()} of the last frame or of the finish (the creation until then). A
     * group is as old as its last write, as the reference's cache counts every write as an
     * access: one still arriving, or just finished, is not aged out by a window shorter than it.
     */
    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    /**
     * One cached frame: {@code data} holds {@code headerLength} bytes of framing in {@code format}
     * (none when {@code format} is {@link #UNFRAMED}), then the payload.
     */
    private record Cached(long timestamp, ByteBuf data, int headerLength, int format, long arrivedNanos) {
        ByteBuf retainedPayload() {
            return headerLength == 0 ? data.retainedDuplicate()
                    : data.retainedSlice(data.readerIndex() + headerLength, data.readableBytes() - headerLength);
        }
    }

    /** The format tag of a frame cached without its framing. */
    public static final int UNFRAMED = -1;

    /** Appends a frame, taking ownership of {@code payload}. Returns false if the group is closed. */
    public boolean append(long timestamp, ByteBuf payload) {
        return append(timestamp, payload, 0, UNFRAMED);
    }

    /**
     * Appends a frame as it arrived on the wire: {@code headerLength} bytes of framing in a
     * producer-chosen {@code format}, then the payload. Readers that speak the same format get
     * these bytes as they are ({@link #framed}), so forwarding costs no encoding and no copy.
     * Takes ownership of {@code framed}. Returns false if the group is closed.
     */
    public boolean append(long timestamp, ByteBuf framed, int headerLength, int format) {
        int n = framed.readableBytes() - headerLength;
        boolean added = false;
        synchronized (this) {
            if (state != State.OPEN) {
                framed.release();
                return false;
            }
            if (bytes + n > MAX_BYTES) {
                framed.release();
                abortLocked(ErrorCode.FRAME_TOO_LARGE);
            } else {
                bytes += n;
                long now = System.nanoTime();
                frames.add(new Cached(timestamp, framed, headerLength, format, now));
                lastWriteNanos = now;
                added = true;
            }
        }
        // Counted before readers hear of it, so whoever has seen the frame also sees it in the budget.
        if (added) budget.added(this, n);
        fire();
        return added;
    }

    /** The producer wrote every frame. */
    public void finish() {
        synchronized (this) {
            if (state != State.OPEN) return;
            state = State.FINISHED;
            lastWriteNanos = System.nanoTime();
        }
        fire();
    }

    /** The group was truncated (reset upstream, or the producer went away). */
    public void abort(ErrorCode code) {
        synchronized (this) {
            if (state != State.OPEN) return;
            abortLocked(code);
        }
        fire();
    }

    /** Drops the cached payloads; readers still behind see {@link State#EVICTED}. */
    public void evict() {
        evict(ErrorCode.OLD);
    }

    /**
     * Drops the payloads; readers still behind see {@link State#EVICTED} with {@code reason}, or
     * with the code the group was aborted with, which says better why it ended.
     */
    void evict(ErrorCode reason) {
        long held;
        synchronized (this) {
            if (state == State.EVICTED) return;
            if (state != State.ABORTED) error = reason;
            state = State.EVICTED;
            held = bytes;
            for (Cached f : frames) f.data().release();
            frames.clear();
        }
        budget.released(this, held);
        fire();
    }

    private void abortLocked(ErrorCode code) {
        state = State.ABORTED;
        error = code;
    }

    /** Frame {@code index} with a retained duplicate payload, or null if not (or no longer) there. */
    public synchronized Frame frame(int index) {
        if (index >= frames.size()) return null;
        Cached f = frames.get(index);
        return new Frame(f.timestamp(), f.retainedPayload(), 0, f.arrivedNanos());
    }

    /**
     * Frame {@code index} as {@link #frame(int)} does, except that a frame cached in
     * {@code format} comes with its framing ({@link Frame#framingLength()} bytes before the payload),
     * ready to forward as it is. Null if not (or no longer) there.
     */
    public synchronized Frame frame(int index, int format) {
        if (index >= frames.size()) return null;
        Cached f = frames.get(index);
        return f.format() == format
                ? new Frame(f.timestamp(), f.data().retainedDuplicate(), f.headerLength(), f.arrivedNanos())
                : new Frame(f.timestamp(), f.retainedPayload(), 0, f.arrivedNanos());
    }

    public synchronized int frameCount() {
        return frames.size();
    }

    public synchronized State state() {
        return state;
    }

    /**
     * True when the group finished cleanly and {@code written} frames are all of it. Read in one
     * step: an eviction between reading the state and the count would show a finished group with
     * no frames, and a writer behind would end its stream as if complete.
     */
    public synchronized boolean finishedAt(int written) {
        return state == State.FINISHED && written >= frames.size();
    }

    /** Why the group ended early; null while open or when finished cleanly. */
    public synchronized ErrorCode error() {
        return error;
    }

    public synchronized long bytes() {
        return bytes;
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    /** Listeners registered now, shared ones counted once. */
    public int listenerCount() {
        return listeners.size();
    }

    /**
     * The listener registered under {@code key}, made by {@code factory} and added if there is
     * none. Lets the many readers of one thread share one registration: the list of listeners
     * stays as short as the number of keys, so a reader joining or leaving costs no copy of a
     * list as long as the number of readers, and a change wakes each key once.
     */
    @SuppressWarnings("unchecked")
    public <L extends Listener> L sharedListener(Object key, Function<Object, L> factory) {
        return (L) shared.computeIfAbsent(key, k -> {
            L l = factory.apply(k);
            listeners.add(l);
            return l;
        });
    }

    /** Removes {@code l} if it is still the listener registered under {@code key}. */
    public void removeSharedListener(Object key, Listener l) {
        if (shared.remove(key, l)) listeners.remove(l);
    }

    private void fire() {
        // Two passes over a short list (one shared listener per loop): wake the others, then work.
        for (Listener l : listeners) {
            if (l.handsOff()) l.onGroupChanged(this);
        }
        for (Listener l : listeners) {
            if (!l.handsOff()) l.onGroupChanged(this);
        }
    }

    @Override
    public String toString() {
        return "Group[" + sequence + "]";
    }
}
