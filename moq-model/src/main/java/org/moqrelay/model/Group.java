package org.moqrelay.model;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
    }

    public enum State { OPEN, FINISHED, ABORTED, EVICTED }

    private final long sequence;
    private final long createdNanos;
    private final List<Frame> frames = new ArrayList<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private State state = State.OPEN;
    private Track track;
    private CacheBudget budget = CacheBudget.UNLIMITED;
    private ErrorCode error;
    private long bytes;

    public Group(long sequence, long createdNanos) {
        this.sequence = sequence;
        this.createdNanos = createdNanos;
    }

    /** Ties the group to its track and the origin's budget (set once, when the track caches it). */
    void cachedBy(Track t, CacheBudget b) {
        track = t;
        budget = b;
        b.register(this);
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

    public long createdNanos() {
        return createdNanos;
    }

    /** Appends a frame, taking ownership of {@code payload}. Returns false if the group is closed. */
    public boolean append(long timestamp, ByteBuf payload) {
        int n = payload.readableBytes();
        boolean added = false;
        synchronized (this) {
            if (state != State.OPEN) {
                payload.release();
                return false;
            }
            if (bytes + n > MAX_BYTES) {
                payload.release();
                abortLocked(ErrorCode.FRAME_TOO_LARGE);
            } else {
                bytes += n;
                frames.add(new Frame(timestamp, payload));
                added = true;
            }
        }
        fire();
        if (added) budget.added(this, n);
        return added;
    }

    /** The producer wrote every frame. */
    public void finish() {
        synchronized (this) {
            if (state != State.OPEN) return;
            state = State.FINISHED;
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

    /** Drops the payloads; readers still behind see {@link State#EVICTED} with {@code reason}. */
    void evict(ErrorCode reason) {
        long held;
        synchronized (this) {
            if (state == State.EVICTED) return;
            error = reason;
            state = State.EVICTED;
            held = bytes;
            for (Frame f : frames) f.payload().release();
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
        Frame f = frames.get(index);
        return new Frame(f.timestamp(), f.payload().retainedDuplicate());
    }

    public synchronized int frameCount() {
        return frames.size();
    }

    public synchronized State state() {
        return state;
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

    private void fire() {
        for (Listener l : listeners) {
            l.onGroupChanged(this);
        }
    }

    @Override
    public String toString() {
        return "Group[" + sequence + "]";
    }
}
