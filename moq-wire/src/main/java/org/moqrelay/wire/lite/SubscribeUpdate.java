package org.moqrelay.wire.lite;

/** SUBSCRIBE_UPDATE (lite-03+): new demand for an existing subscription. */
public record SubscribeUpdate(int priority, boolean ordered, long maxLatencyMillis, Long startGroup, Long endGroup)
        implements LiteMessage {
}
