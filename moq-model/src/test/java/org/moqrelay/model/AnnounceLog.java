package org.moqrelay.model;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link Origin.AnnounceListener} that records events ({@code +path} / {@code -path}) in order. */
final class AnnounceLog implements Origin.AnnounceListener {
    /** One event: announced or not, and which broadcast. */
    record Event(boolean announced, Broadcast broadcast) {
        @Override
        public String toString() {
            return (announced ? "+" : "-") + broadcast.path();
        }
    }

    final List<Event> events = new CopyOnWriteArrayList<>();
    /** Completes with the first broadcast unannounced. */
    final CompletableFuture<Broadcast> firstUnannounce = new CompletableFuture<>();

    @Override
    public void onAnnounce(Broadcast broadcast) {
        events.add(new Event(true, broadcast));
    }

    @Override
    public void onUnannounce(Broadcast broadcast) {
        events.add(new Event(false, broadcast));
        firstUnannounce.complete(broadcast);
    }

    /** Events as {@code +path} / {@code -path} strings. */
    List<String> lines() {
        return events.stream().map(Event::toString).toList();
    }
}
