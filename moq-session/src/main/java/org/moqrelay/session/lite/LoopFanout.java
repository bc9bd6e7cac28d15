package org.moqrelay.session.lite;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.moqrelay.model.Group;

/**
 * The writers of one group on one event loop, registered with the group as one listener. A new
 * frame wakes each loop once, whatever its number of subscribers (one task per frame per loop,
 * not one per subscriber), and a writer joins or leaves in constant time: with one listener per
 * writer, the group's copy-on-write list cost a copy of every subscriber per join and per leave.
 * Everything but {@link #onGroupChanged} and {@link #handsOff} (the producer's thread) runs on the loop.
 */
final class LoopFanout implements Group.Listener {
    private final Group group;
    private final EventLoop loop;
    /** Loop-confined; a writer leaving while the list is being walked leaves a null, swept after. */
    private final ArrayList<GroupWriter> writers = new ArrayList<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable scheduledPump = this::runScheduled;
    private int walking;
    private boolean holes;

    private LoopFanout(Group group, EventLoop loop) {
        this.group = group;
        this.loop = loop;
    }

    /** Adds {@code w} to the group's writers on {@code loop}; call on that loop. */
    static LoopFanout join(Group group, EventLoop loop, GroupWriter w) {
        LoopFanout f = group.sharedListener(loop, k -> new LoopFanout(group, loop));
        w.slot = f.writers.size();
        f.writers.add(w);
        return f;
    }

    /** Removes {@code w}; the last writer to leave unregisters the loop from the group. */
    void leave(GroupWriter w) {
        int i = w.slot;
        if (i < 0 || i >= writers.size() || writers.get(i) != w) return;
        w.slot = -1;
        if (walking > 0) {
            writers.set(i, null);
            holes = true;
            return;
        }
        GroupWriter last = writers.remove(writers.size() - 1);
        if (last != w) {
            writers.set(i, last);
            last.slot = i;
        }
        if (writers.isEmpty()) group.removeSharedListener(loop, this);
    }

    @Override
    public boolean handsOff() {
        return !loop.inEventLoop();
    }

    @Override
    public void onGroupChanged(Group g) {
        if (loop.inEventLoop()) {
            pumpAll();
        } else if (scheduled.compareAndSet(false, true)) {
            // Until the loop has run it, the group is spared by the cache budget.
            try {
                group.handOff(loop::execute, scheduledPump);
            } catch (RejectedExecutionException e) { // the loop is shutting down: nobody to deliver to
            }
        }
    }

    private void runScheduled() {
        scheduled.set(false);
        pumpAll();
    }

    private void pumpAll() {
        walking++;
        try {
            // By index: a writer may join (appended, pumped here too) or leave while we walk.
            for (int i = 0; i < writers.size(); i++) {
                GroupWriter w = writers.get(i);
                if (w != null) w.pump();
            }
        } finally {
            walking--;
            if (walking == 0 && holes) sweep();
        }
    }

    private void sweep() {
        holes = false;
        int n = 0;
        for (int i = 0; i < writers.size(); i++) {
            GroupWriter w = writers.get(i);
            if (w == null) continue;
            w.slot = n;
            writers.set(n++, w);
        }
        writers.subList(n, writers.size()).clear();
        if (writers.isEmpty()) group.removeSharedListener(loop, this);
    }
}
