package org.moqrelay.transport.qmux.wire;

import static org.moqrelay.transport.qmux.wire.QmuxException.PROTOCOL_VIOLATION;

import io.netty.buffer.ByteBuf;
import org.moqrelay.wire.VarInts;

/**
 * QMux records on a byte stream (qmux-01+ over TCP or a unix socket): {@code Size (i) | frames},
 * whose body {@link QmuxCodec#decodeMessage} decodes like a WebSocket message.
 */
public final class QmuxRecords {
    private QmuxRecords() {}

    /**
     * Takes the next whole record body off {@code cumulation} as a retained slice the caller
     * releases, or returns null (consuming nothing) while the record is incomplete.
     *
     * @throws QmuxException (PROTOCOL_VIOLATION) as soon as the size field exceeds {@code maxRecordSize}
     */
    public static ByteBuf tryReadRecord(ByteBuf cumulation, int maxRecordSize) {
        int sizeLength = VarInts.peekLength(cumulation);
        if (sizeLength < 0) {
            return null;
        }
        long size = VarInts.getAt(cumulation, cumulation.readerIndex());
        if (size > maxRecordSize) {
            throw new QmuxException(PROTOCOL_VIOLATION,
                    "record of " + size + " bytes exceeds max_record_size " + maxRecordSize);
        }
        if (cumulation.readableBytes() - sizeLength < size) {
            return null;
        }
        cumulation.skipBytes(sizeLength);
        return cumulation.readRetainedSlice((int) size);
    }

    /** Appends the length prefix of a record of {@code length} bytes (the frames follow it). */
    public static void writeRecordLength(ByteBuf out, int length) {
        VarInts.write(out, length);
    }

    /** Appends a record holding the readable bytes of {@code frames} (not consumed or released). */
    public static void writeRecord(ByteBuf out, ByteBuf frames) {
        writeRecordLength(out, frames.readableBytes());
        out.writeBytes(frames, frames.readerIndex(), frames.readableBytes());
    }
}
