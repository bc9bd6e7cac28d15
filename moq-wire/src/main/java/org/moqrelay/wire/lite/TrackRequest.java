package org.moqrelay.wire.lite;

import org.moqrelay.wire.Path;

/** lite-05 TRACK: asks for a track's TRACK_INFO (moq-lite.md §6.1). */
public record TrackRequest(Path broadcast, String track) implements LiteMessage {
}
