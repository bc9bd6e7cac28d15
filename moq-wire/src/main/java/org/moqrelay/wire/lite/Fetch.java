package org.moqrelay.wire.lite;

import org.moqrelay.wire.Path;

/** FETCH (served on lite-05+): one whole group of a track. */
public record Fetch(Path broadcast, String track, int priority, long group) implements LiteMessage {
}
