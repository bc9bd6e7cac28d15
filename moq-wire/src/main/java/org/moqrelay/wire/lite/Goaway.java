package org.moqrelay.wire.lite;

/** GOAWAY (lite-04+): the peer should reconnect, to {@code uri} when non-empty. */
public record Goaway(String uri) implements LiteMessage {
}
