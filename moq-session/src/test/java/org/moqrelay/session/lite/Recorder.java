package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Frame;
import org.moqrelay.model.Group;
import org.moqrelay.model.Subscription;
import org.moqrelay.model.Track;

/** A local subscriber: reads every frame of every group it hears about, copying and releasing it. */
final class Recorder implements Track.Listener, AutoCloseable {
    record Received(long group, long timestamp, String text) {}

    final List<Received> frames = new CopyOnWriteArrayList<>();
    final CompletableFuture<Track> ended = new CompletableFuture<>();
    private final Map<Group, Integer> cursors = new IdentityHashMap<>();
    private final Map<Group, Group.Listener> following = new IdentityHashMap<>();
    private Subscription subscription;

    static Recorder subscribe(Track track) {
        Recorder r = new Recorder();
        r.subscription = track.subscribe(Demand.LATEST, r);
        for (Group g : r.subscription.initialGroups()) r.follow(g);
        return r;
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
                frames.add(new Received(g.sequence(), f.timestamp(), p.toString(StandardCharsets.UTF_8)));
            } finally {
                p.release();
            }
            next++;
        }
        cursors.put(g, next);
    }

    List<String> texts() {
        List<String> out = new ArrayList<>();
        for (Received r : frames) out.add(r.text());
        return out;
    }

    @Override
    public void close() {
        Map<Group, Group.Listener> copy;
        synchronized (this) {
            copy = new IdentityHashMap<>(following);
            following.clear();
        }
        copy.forEach(Group::removeListener);
        subscription.close();
    }
}
