package org.moqrelay.model;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Track.Source} that does nothing but record what the shared track asked of it, in order. */
final class CountingSource implements Track.Source {
    /** One call: {@code kind} is requestInfo, subscribe, update, unsubscribe or fetch. */
    record Call(String kind, String track, Demand demand) {}

    final List<Call> calls = new CopyOnWriteArrayList<>();

    @Override
    public void requestInfo(Track track) {
        calls.add(new Call("requestInfo", track.name(), null));
    }

    @Override
    public void subscribe(Track track, Demand demand) {
        calls.add(new Call("subscribe", track.name(), demand));
    }

    @Override
    public void update(Track track, Demand demand) {
        calls.add(new Call("update", track.name(), demand));
    }

    @Override
    public void unsubscribe(Track track) {
        calls.add(new Call("unsubscribe", track.name(), null));
    }

    /** Groups asked for with {@link Track.Source#fetch}, in order; left unanswered. */
    final List<Long> fetches = new CopyOnWriteArrayList<>();

    @Override
    public void fetch(Track track, long sequence, int priority) {
        calls.add(new Call("fetch", track.name(), null));
        fetches.add(sequence);
    }

    long count(String kind) {
        return calls.stream().filter(c -> c.kind().equals(kind)).count();
    }

    List<Call> of(String kind) {
        return calls.stream().filter(c -> c.kind().equals(kind)).toList();
    }
}
