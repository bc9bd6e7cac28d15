package org.moqrelay.transport.qmux;

import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The clocks of one qmux session: the peer's transport parameters must arrive within the
 * handshake timeout, and from then on the peer must be heard from within the idle timeout, the
 * smaller of both sides' {@code max_idle_timeout} (RFC 9000 §10.1). A keep-alive QX_PING goes out
 * whenever either side has been quiet for a third of it, so a live peer always has something to
 * answer and hears from us in time. Confined to the link's event loop.
 */
final class QmuxTimers {
    /** What the timers ask of their session. */
    interface Events {
        /** No transport parameters within the handshake timeout. */
        void handshakeTimedOut();

        /** Nothing received for the idle timeout. */
        void idleTimedOut();

        /** Time for a QX_PING request. */
        void keepAlive();
    }

    /** The shortest idle timeout we run, whatever the peer asks (RFC 9000 §10.1 sets a floor too): no timer spins. */
    static final long MIN_IDLE_MILLIS = 1_000;

    private final QmuxLink link;
    private final Events events;
    private ScheduledFuture<?> handshake;
    private ScheduledFuture<?> idle;
    /** The idle timeout in nanoseconds; 0 until established, or when neither side has one. */
    private long idleNanos;
    private long lastReceived;
    private long lastSent;
    private long lastPing;
    private boolean stopped;

    QmuxTimers(QmuxLink link, Events events) {
        this.link = link;
        this.events = events;
    }

    /** The idle timeout both sides run: the smaller of the two, a zero meaning none on that side. */
    static long negotiatedIdleMillis(long ours, long peer) {
        long t = ours == 0 ? peer : peer == 0 ? ours : Math.min(ours, peer);
        return t == 0 ? 0 : Math.max(t, MIN_IDLE_MILLIS);
    }

    /** Starts waiting for the peer's transport parameters; {@code millis} 0 waits for ever. */
    void awaitHandshake(long millis) {
        if (stopped || millis <= 0 || handshake != null) return;
        handshake = link.eventLoop().schedule(() -> {
            if (!stopped) events.handshakeTimedOut();
        }, millis, TimeUnit.MILLISECONDS);
    }

    /** The peer's parameters arrived: the handshake clock stops, the idle clock starts ({@code idleMillis} 0: none). */
    void established(long idleMillis) {
        if (handshake != null) handshake.cancel(false);
        if (stopped || idleMillis <= 0) return;
        idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
        long now = System.nanoTime();
        lastReceived = lastSent = lastPing = now;
        schedule(idleNanos / 3);
    }

    /** Something arrived from the peer. */
    void received() {
        if (idleNanos != 0) lastReceived = System.nanoTime();
    }

    /** We sent something. */
    void sent() {
        if (idleNanos != 0) lastSent = System.nanoTime();
    }

    /** The session is over. */
    void stop() {
        stopped = true;
        if (handshake != null) handshake.cancel(false);
        if (idle != null) idle.cancel(false);
    }

    private void schedule(long delayNanos) {
        idle = link.eventLoop().schedule(this::tick, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void tick() {
        if (stopped) return;
        long now = System.nanoTime();
        if (now - lastReceived >= idleNanos) {
            stop();
            events.idleTimedOut();
            return;
        }
        long third = idleNanos / 3;
        // Only receipts keep the session open; the ping makes a live peer send one, and lets a
        // peer that only sends hear from us within its own timeout.
        long quietSince = Math.max(lastPing, Math.min(lastSent, lastReceived));
        if (now - quietSince >= third) {
            lastPing = quietSince = now;
            events.keepAlive();
            if (stopped) return;
        }
        schedule(Math.max(0, Math.min(lastReceived + idleNanos, quietSince + third) - now));
    }
}
