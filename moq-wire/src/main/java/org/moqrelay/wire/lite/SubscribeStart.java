package org.moqrelay.wire.lite;

/** lite-05 SUBSCRIBE_START: the first group that will be delivered. */
public record SubscribeStart(long group) implements LiteMessage {
}
