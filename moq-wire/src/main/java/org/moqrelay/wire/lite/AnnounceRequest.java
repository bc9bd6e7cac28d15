package org.moqrelay.wire.lite;

import org.moqrelay.wire.Path;

/** ANNOUNCE_REQUEST: the sender wants to learn broadcasts under {@code prefix} (moq-lite.md §5.1). */
public record AnnounceRequest(Path prefix, long excludeHop) implements LiteMessage {
}
