package org.moqrelay.session.lite;

/**
 * Traffic hooks a session calls as media, subscriptions and fetches move, so a relay can count
 * them (relay.md §6, {@code /metrics}). "Received" is ingress from a peer that publishes to us;
 * "sent" is egress to a peer that subscribes from us. Byte counts are frame payloads only.
 *
 * <p>Called on the session's event loop, on the hot path (once per frame): an implementation must
 * be thread-safe, since sessions on several loops share one, and cost no more than a counter
 * increment (no lookups, no locks, no I/O). Every method defaults to doing nothing.
 */
public interface SessionMetrics {
    /** Counts nothing. */
    SessionMetrics NOOP = new SessionMetrics() {};

    /** A group stream from the peer started filling a cached group. */
    default void groupReceived() {}

    /** A frame of {@code bytes} payload bytes arrived on a group stream from the peer. */
    default void frameReceived(int bytes) {}

    /** A one-frame group of {@code bytes} payload bytes arrived as a datagram (also a group and a frame). */
    default void datagramReceived(int bytes) {}

    /** A group started going out to the peer, on a subscription's uni stream or a FETCH stream. */
    default void groupSent() {}

    /** A frame of {@code bytes} payload bytes was written towards the peer. */
    default void frameSent(int bytes) {}

    /**
     * A frame was handed to the peer's stream {@code nanos} after it arrived in the relay's cache
     * (for the relay's own share of the end-to-end latency).
     */
    default void frameForwarded(long nanos) {}

    /** We subscribed to a track of the peer's. */
    default void upstreamSubscriptionOpened() {}

    /** A subscription counted by {@link #upstreamSubscriptionOpened} ended. */
    default void upstreamSubscriptionClosed() {}

    /** The peer subscribed to one of our tracks. */
    default void downstreamSubscriptionOpened() {}

    /** A subscription counted by {@link #downstreamSubscriptionOpened} ended. */
    default void downstreamSubscriptionClosed() {}

    /** The peer's first open subscription to a broadcast: it became a viewer of that broadcast. */
    default void viewerOpened() {}

    /** The peer's last open subscription to a broadcast ended. */
    default void viewerClosed() {}

    /** The peer asked to FETCH a group (counted when asked, found or not). */
    default void fetchServed() {}

    /** We FETCHed a group from the peer (once per uncached group, however many local fetchers wanted it). */
    default void upstreamFetchOpened() {}

    /** A session was authorized and is serving. */
    default void sessionOpened() {}

    /** A session counted by {@link #sessionOpened} closed. */
    default void sessionClosed() {}
}
