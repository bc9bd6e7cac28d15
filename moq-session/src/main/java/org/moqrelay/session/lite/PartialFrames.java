package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * What one stream has received of frames not yet complete. The session keeps the total of all
 * its streams under {@link LiteSession#MAX_PARTIAL_FRAME_BYTES}: a reader takes bytes (and so
 * hands QUIC credit back) as they arrive, so without a cap a publisher could declare large frames
 * on many streams and have the relay buffer without end.
 */
final class PartialFrames {
    private final LiteSession session;
    private ByteBuf buf;
    /** What this stream counts for in the session's total. */
    private long charged;

    PartialFrames(LiteSession session) {
        this.session = session;
    }

    /** Appends {@code data} (ownership passes) and returns the buffer to read frames from. */
    ByteBuf add(ByteBuf data) {
        buf = buf == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ByteBufAllocator.DEFAULT, buf, data);
        return buf;
    }

    /** True while bytes of an unfinished frame are held. */
    boolean isPartial() {
        return buf != null && buf.isReadable();
    }

    /**
     * After whole frames were read out: drops an emptied buffer and counts what is left against
     * the session's cap. Over it, runs {@code voidReading} (the reader gives up what it was
     * reading), lets go of the bytes and fails the session with BoundsExceeded.
     *
     * @return false when the session went over its cap
     */
    boolean settle(Runnable voidReading) {
        if (buf != null && !buf.isReadable()) {
            buf.release();
            buf = null;
        }
        long held = buf == null ? 0 : buf.readableBytes();
        long delta = held - charged;
        charged = held;
        if (delta == 0 || session.chargePartialFrames(delta)) return true;
        long total = session.partialFrameBytes(); // before voidReading lets go of anything
        voidReading.run();
        release();
        session.failOverPartialFrames(total);
        return false;
    }

    /** Lets go of what is held (the stream ended, was reset or is no longer read). */
    void release() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
        charge(0);
    }

    private void charge(long held) {
        long delta = held - charged;
        charged = held;
        if (delta != 0) session.chargePartialFrames(delta);
    }
}
