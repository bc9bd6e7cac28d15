package org.moqrelay.wire.lite;

/** lite-01/02 SESSION_INFO on the session stream: the sender's estimated bitrate (0 = unknown). */
public record SessionInfo(long bitrate) implements LiteMessage {
}
