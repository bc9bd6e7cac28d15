package org.moqrelay.wire.lite;

/** lite-05 SUBSCRIBE_END: the first group that will never be delivered (exclusive bound). */
public record SubscribeEnd(long group) implements LiteMessage {
}
