package org.moqrelay.wire.lite;

/** SUBSCRIBE_OK of lite-01..04 (01: priority only; 02: empty; 03/04: five fields). */
public record SubscribeOk(int priority, boolean ordered, long maxLatencyMillis, Long startGroup, Long endGroup)
        implements LiteMessage {
}
