package org.moqrelay.wire.lite;

import io.netty.buffer.ByteBuf;
import org.moqrelay.wire.DecodeException;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.VarInts;

/**
 * Frame headers on group streams: {@code [timestamp delta (zigzag, lite-05+)] size} then the
 * payload. Payload bytes are never copied here; callers slice them from their own buffers.
 */
public final class Frames {
    /** Largest frame payload accepted, as the reference's per-group cache cap. */
    public static final int MAX_FRAME_SIZE = 32 * 1024 * 1024;

    private Frames() {}

    /** A decoded frame header: the timestamp delta (signed) and the payload size. */
    public record Header(long timestampDelta, int size, int headerLength) {}

    /**
     * A tag naming the frame framing of a version family (with or without timestamp deltas), so
     * a frame cached as received can be forwarded verbatim to peers using the same framing.
     */
    public static int format(boolean timestamps) {
        return timestamps ? 1 : 0;
    }

    /** Writes a frame header for a payload of {@code size} bytes. */
    public static void writeHeader(ByteBuf out, boolean timestamps, long timestampDelta, int size) {
        if (timestamps) VarInts.write(out, VarInts.zigzag(timestampDelta));
        VarInts.write(out, size);
    }

    /** Size of the header {@link #writeHeader} would write. */
    public static int headerSize(boolean timestamps, long timestampDelta, int size) {
        return (timestamps ? VarInts.size(VarInts.zigzag(timestampDelta)) : 0) + VarInts.size(size);
    }

    /**
     * Peeks a frame header at the reader index without consuming it; null if not all there.
     *
     * @throws DecodeException when the declared size exceeds {@link #MAX_FRAME_SIZE}
     */
    public static Header peekHeader(ByteBuf in, boolean timestamps) {
        int idx = in.readerIndex();
        long delta = 0;
        int used = 0;
        if (timestamps) {
            if (!in.isReadable()) return null;
            int n = VarInts.lengthAt(in, idx);
            if (in.readableBytes() < n) return null;
            delta = VarInts.unzigzag(VarInts.getAt(in, idx));
            used = n;
        }
        if (in.readableBytes() <= used) return null;
        int n = VarInts.lengthAt(in, idx + used);
        if (in.readableBytes() < used + n) return null;
        long size = VarInts.getAt(in, idx + used);
        if (size > MAX_FRAME_SIZE) {
            throw new DecodeException(ErrorCode.FRAME_TOO_LARGE, "frame of " + size + " bytes exceeds " + MAX_FRAME_SIZE);
        }
        return new Header(delta, (int) size, used + n);
    }
}
