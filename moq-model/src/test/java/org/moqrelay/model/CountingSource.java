package org.moqrelay.model;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Track.Source} that does nothing but record what the shared track asked of it, in order. */
final class CountingSource implements Track.Source {
    /** One call: {@code kind} is requestInfo, subscribe, update or unsubscribe. */
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

    long count(String kind) {
        return calls.stream().filter(c -> c.kind().equals(kind)).count();
    }

    List<Call> of(String kind) {
        return calls.stream().filter(c -> c.kind().equals(kind)).toList();
    }
}
