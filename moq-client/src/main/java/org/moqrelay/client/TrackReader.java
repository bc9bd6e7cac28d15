package org.moqrelay.client;

import io.netty.buffer.ByteBufUtil;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Frame;
import org.moqrelay.model.Group;
import org.moqrelay.model.Subscription;
import org.moqrelay.model.Track;

/**
 * Subscribes to a track and hands every received frame to a blocking queue, copied out of the
 * network buffers: a convenience for tools and tests, not for a relay's hot path.
 */
public final class TrackReader implements AutoCloseable {
    /** One received frame, or the end of the track when {@code end} is true. */
    public record Received(long group, int index, long timestamp, byte[] payload, boolean end) {}

    private final BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
    private final Map<Group, Integer> cursors = new HashMap<>();
    private final Subscription subscription;

    public TrackReader(Track track, Demand demand) {
        Track.Listener listener = new Track.Listener() {
            @Override
            public void onGroup(Track t, Group g) {
                follow(g);
            }

            @Override
            public void onEnd(Track t) {
                queue.add(new Received(-1, -1, 0, null, true));
            }
        };
        subscription = track.subscribe(demand, listener);
        for (Group g : subscription.initialGroups()) follow(g);
        // The subscription's track: another one if the given one was forgotten meanwhile.
        Track joined = subscription.track();
        if (joined.state() != Track.State.LIVE) listener.onEnd(joined);
    }

    private void follow(Group g) {
        Group.Listener l = this::drain;
        g.addListener(l);
        drain(g);
    }

    private synchronized void drain(Group g) {
        int next = cursors.getOrDefault(g, 0);
        Frame f;
        while ((f = g.frame(next)) != null) {
            try {
                queue.add(new Received(g.sequence(), next, f.timestamp(), ByteBufUtil.getBytes(f.payload()), false));
            } finally {
                f.payload().release();
            }
            next++;
        }
        cursors.put(g, next);
    }

    /** The next frame, or null after {@code timeout}. */
    public Received poll(long timeout, TimeUnit unit) throws InterruptedException {
        return queue.poll(timeout, unit);
    }

    @Override
    public void close() {
        subscription.close();
    }
}
