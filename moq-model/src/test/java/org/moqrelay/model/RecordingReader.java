package org.moqrelay.model;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A subscriber as a session would be one: it follows the subscription's initial groups and every
 * group it hears about, reads each frame as soon as it appears (copying the bytes, keeping the
 * identity of the shared buffer behind the duplicate) and releases every duplicate it got.
 */
final class RecordingReader implements Track.Listener, AutoCloseable {
    /** One frame as read: where it came from, its text and the cached buffer it duplicated. */
    record Received(long group, int index, long timestamp, String text, Object sharedBuffer, byte[] backingArray) {}

    final List<Received> frames = new CopyOnWriteArrayList<>();
    final List<Long> groupsSeen = new CopyOnWriteArrayList<>();
    final CompletableFuture<Track> ended = new CompletableFuture<>();
    private final Map<Group, Integer> cursors = new HashMap<>();
    private final Map<Group, Group.Listener> following = new HashMap<>();
    private Subscription subscription;

    static RecordingReader subscribe(Track track, Demand demand) {
        RecordingReader r = new RecordingReader();
        r.subscription = track.subscribe(demand, r);
        for (Group g : r.subscription.initialGroups()) r.follow(g);
        return r;
    }

    Subscription subscription() {
        return subscription;
    }

    @Override
    public void onGroup(Track track, Group group) {
        follow(group);
    }

    @Override
    public void onEnd(Track track) {
        ended.complete(track);
    }

    private void follow(Group g) {
        Group.Listener l = this::drain;
        synchronized (this) {
            if (following.containsKey(g)) return;
            following.put(g, l);
            groupsSeen.add(g.sequence());
        }
        g.addListener(l);
        drain(g);
    }

    private synchronized void drain(Group g) {
        int next = cursors.getOrDefault(g, 0);
        Frame f;
        while ((f = g.frame(next)) != null) {
            ByteBuf p = f.payload();
            try {
                frames.add(new Received(g.sequence(), next, f.timestamp(),
                        new String(ByteBufUtil.getBytes(p), StandardCharsets.US_ASCII),
                        p.unwrap(), p.hasArray() ? p.array() : null));
            } finally {
                p.release();
            }
            next++;
        }
        cursors.put(g, next);
    }

    /** The frames' texts in the order they were read. */
    List<String> texts() {
        List<String> out = new ArrayList<>();
        for (Received r : frames) out.add(r.text());
        return out;
    }

    @Override
    public void close() {
        Map<Group, Group.Listener> copy;
        synchronized (this) {
            copy = new HashMap<>(following);
            following.clear();
        }
        copy.forEach(Group::removeListener);
        subscription.close();
    }
}
