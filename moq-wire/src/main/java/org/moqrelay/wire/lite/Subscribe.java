package org.moqrelay.wire.lite;

import org.moqrelay.wire.Path;

/**
 * SUBSCRIBE (moq-lite.md §6.2). {@code startGroup}/{@code endGroup} are null when absent (the
 * wire's +1 encoding is the codec's business). Priority is a u8, higher is more important.
 */
public record Subscribe(long id, Path broadcast, String track, int priority, boolean ordered,
                        long maxLatencyMillis, Long startGroup, Long endGroup) implements LiteMessage {
}
