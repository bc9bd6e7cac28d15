package org.moqrelay.wire.lite;

/** SUBSCRIBE_DROP (lite-03+): groups {@code [start, end]} (inclusive) will not be delivered. */
public record SubscribeDrop(long start, long end, long errorCode) implements LiteMessage {
}
