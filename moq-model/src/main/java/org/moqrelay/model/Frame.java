package org.moqrelay.model;

import io.netty.buffer.ByteBuf;

/**
 * One frame of a group: an absolute timestamp in the track's timescale and its bytes. The buffer
 * handed out by {@link Group#frame} is a retained duplicate of the one cached buffer: the receiver
 * must release it (usually by writing it to a channel). When {@code framingLength} is not zero the
 * buffer starts with that many bytes of wire framing before the payload ({@link Group#frame(int, int)}).
 * {@code arrivedNanos} is the {@link System#nanoTime()} at which the group cached it.
 */
public record Frame(long timestamp, ByteBuf payload, int framingLength, long arrivedNanos) {
    public Frame(long timestamp, ByteBuf payload) {
        this(timestamp, payload, 0, 0);
    }

    /** Payload bytes, framing excluded. */
    public int payloadSize() {
        return payload.readableBytes() - framingLength;
    }
}
