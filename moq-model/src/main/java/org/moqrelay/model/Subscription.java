package org.moqrelay.model;

import java.util.List;

/**
 * One subscriber's registration on a shared {@link Track}. Closing it withdraws its demand; the
 * last one to close cancels the upstream subscription.
 */
public final class Subscription implements AutoCloseable {
    private final Track track;
    private final Track.Listener listener;
    private final List<Group> initialGroups;

    Subscription(Track track, Track.Listener listener, List<Group> initialGroups) {
        this.track = track;
        this.listener = listener;
        this.initialGroups = List.copyOf(initialGroups);
    }

    public Track track() {
        return track;
    }

    Track.Listener listener() {
        return listener;
    }

    /** Cached groups to deliver before any group the listener hears about. */
    public List<Group> initialGroups() {
        return initialGroups;
    }

    public void update(Demand demand) {
        track.update(this, demand);
    }

    @Override
    public void close() {
        track.unsubscribe(this);
    }
}
