package org.moqrelay.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;

/**
 * The publisher side of the fan-out benchmarks: appends frames to a track the way the relay's
 * {@code GroupReader} does, each payload a retained slice of one received buffer (no copy), and
 * starts a new group every {@link #FRAMES_PER_GROUP} frames, as {@code moq load} does.
 */
final class FramePublisher implements AutoCloseable {
    /** 50 frames per group: one group per second at 20 ms per frame. */
    static final int FRAMES_PER_GROUP = 50;
    /** Timestamp step in the default millisecond timescale. */
    private static final long FRAME_MILLIS = 20;

    private final Track track;
    private final int payloadBytes;
    /** Stands in for the bytes received from the publisher; every payload is a slice of it. */
    private final ByteBuf received;
    private Group group;
    private int framesInGroup;
    private long nextSequence;
    private long timestamp;

    FramePublisher(Track track, int payloadBytes) {
        this.track = track;
        this.payloadBytes = payloadBytes;
        received = ByteBufAllocator.DEFAULT.directBuffer(payloadBytes);
        for (int i = 0; i < payloadBytes; i++) received.writeByte(i);
    }

    /** Publishes one frame, first closing the group and opening the next when it is full. */
    void publish() {
        if (group == null || framesInGroup == FRAMES_PER_GROUP) {
            if (group != null) group.finish();
            group = track.createGroup(nextSequence++);
            if (group == null) throw new IllegalStateException(track + " refused group " + (nextSequence - 1));
            framesInGroup = 0;
        }
        timestamp += FRAME_MILLIS;
        group.append(timestamp, received.retainedSlice(0, payloadBytes));
        framesInGroup++;
    }

    /**
     * Call once the track's caches are released: every payload slice shares the received
     * buffer's reference count, so anything above 1 is a slice somebody never released.
     */
    @Override
    public void close() {
        int refs = received.refCnt();
        if (refs > 0) received.release(refs);
        if (refs > 1) throw new IllegalStateException("leak: " + (refs - 1) + " frame payloads were never released");
        if (refs < 1) throw new IllegalStateException("frame payloads were released once too often");
    }
}
