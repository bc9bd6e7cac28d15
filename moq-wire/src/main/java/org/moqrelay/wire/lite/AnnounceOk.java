package org.moqrelay.wire.lite;

/** lite-05 ANNOUNCE_OK: the responder's hop id and how many active ANNOUNCEs follow. */
public record AnnounceOk(long origin, long activeCount) implements LiteMessage {
}
