package org.moqrelay.model;

import io.netty.buffer.ByteBuf;

/**
 * One frame of a group: an absolute timestamp in the track's timescale and its payload. The
 * payload handed out by {@link Group#frame(int)} is a retained duplicate of the one cached buffer:
 * the receiver must release it (usually by writing it to a channel).
 */
public record Frame(long timestamp, ByteBuf payload) {
}
