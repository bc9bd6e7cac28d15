package org.moqrelay.transport.qmux.wire;

import static org.moqrelay.transport.qmux.wire.FrameTypes.LEGACY_APPLICATION_CLOSE;
import static org.moqrelay.transport.qmux.wire.FrameTypes.LEGACY_CONNECTION_CLOSE;
import static org.moqrelay.transport.qmux.wire.FrameTypes.LEGACY_RESET_STREAM;
import static org.moqrelay.transport.qmux.wire.FrameTypes.LEGACY_STOP_SENDING;
import static org.moqrelay.transport.qmux.wire.FrameTypes.LEGACY_STREAM;
import static org.moqrelay.transport.qmux.wire.FrameTypes.LEGACY_STREAM_FIN;
import static org.moqrelay.transport.qmux.wire.QmuxException.FRAME_ENCODING_ERROR;

import io.netty.buffer.ByteBuf;
import org.moqrelay.transport.qmux.wire.QmuxFrame.ConnectionClose;
import org.moqrelay.transport.qmux.wire.QmuxFrame.ResetStream;
import org.moqrelay.transport.qmux.wire.QmuxFrame.StopSending;
import org.moqrelay.transport.qmux.wire.QmuxFrame.Stream;
import org.moqrelay.wire.VarInts;

/**
 * The legacy {@code webtransport} format (rs/qmux frame.rs {@code encode_wt}/{@code decode_wt}): a
 * u8 type, varint fields, and STREAM data or CLOSE reason running to the end of the message.
 */
final class LegacyFrames {
    private LegacyFrames() {}

    /** Writes a legacy STREAM frame up to (not including) its data. */
    static void encodeStreamHeader(ByteBuf out, Stream s) {
        // No offset field: the message order is the stream order.
        out.writeByte(s.fin() ? LEGACY_STREAM_FIN : LEGACY_STREAM);
        VarInts.write(out, s.streamId());
    }

    /** Writes one legacy frame; the caller has checked the frame kind exists in this format. */
    static void encode(ByteBuf out, QmuxFrame frame) {
        switch (frame) {
            case Stream s -> {
                encodeStreamHeader(out, s);
                out.writeBytes(s.data(), s.data().readerIndex(), s.data().readableBytes());
            }
            case ResetStream r -> {
                // No final size: the legacy format has no flow control.
                out.writeByte(LEGACY_RESET_STREAM);
                VarInts.write(out, r.streamId());
                VarInts.write(out, r.code());
            }
            case StopSending s -> {
                out.writeByte(LEGACY_STOP_SENDING);
                VarInts.write(out, s.streamId());
                VarInts.write(out, s.code());
            }
            case ConnectionClose c -> {
                byte[] reason = Reads.reasonBytes(c.reason());
                out.writeByte(c.application() ? LEGACY_APPLICATION_CLOSE : LEGACY_CONNECTION_CLOSE);
                VarInts.write(out, c.code());
                out.writeBytes(reason);
            }
            case QmuxFrame.Padding f -> throw unsupported(f);
            case QmuxFrame.MaxData f -> throw unsupported(f);
            case QmuxFrame.MaxStreamData f -> throw unsupported(f);
            case QmuxFrame.MaxStreams f -> throw unsupported(f);
            case QmuxFrame.DataBlocked f -> throw unsupported(f);
            case QmuxFrame.StreamDataBlocked f -> throw unsupported(f);
            case QmuxFrame.StreamsBlocked f -> throw unsupported(f);
            case QmuxFrame.ResetStreamAt f -> throw unsupported(f);
            case QmuxFrame.Datagram f -> throw unsupported(f);
            case QmuxFrame.TransportParameters f -> throw unsupported(f);
            case QmuxFrame.Ping f -> throw unsupported(f);
        }
    }

    private static IllegalArgumentException unsupported(QmuxFrame frame) {
        return new IllegalArgumentException(
                frame.getClass().getSimpleName() + " does not exist in the webtransport format");
    }

    /** Decodes the single frame that makes up a whole legacy message. */
    static QmuxFrame decode(ByteBuf in) {
        if (!in.isReadable()) {
            throw new QmuxException(FRAME_ENCODING_ERROR, "empty webtransport message");
        }
        int type = in.readUnsignedByte();
        QmuxFrame frame = switch (type) {
            case LEGACY_STREAM, LEGACY_STREAM_FIN -> {
                long id = Reads.varint(in, FRAME_ENCODING_ERROR, "stream id");
                yield new Stream(id, 0, in.readRetainedSlice(in.readableBytes()), type == LEGACY_STREAM_FIN);
            }
            case LEGACY_RESET_STREAM -> new ResetStream(
                    Reads.varint(in, FRAME_ENCODING_ERROR, "stream id"),
                    Reads.varint(in, FRAME_ENCODING_ERROR, "error code"),
                    0);
            case LEGACY_STOP_SENDING -> new StopSending(
                    Reads.varint(in, FRAME_ENCODING_ERROR, "stream id"),
                    Reads.varint(in, FRAME_ENCODING_ERROR, "error code"));
            case LEGACY_CONNECTION_CLOSE, LEGACY_APPLICATION_CLOSE -> {
                long code = Reads.varint(in, FRAME_ENCODING_ERROR, "error code");
                yield new ConnectionClose(type == LEGACY_APPLICATION_CLOSE, code, 0,
                        Reads.reason(in, in.readableBytes()));
            }
            default -> throw new QmuxException(FRAME_ENCODING_ERROR,
                    "unknown webtransport frame type 0x" + Integer.toHexString(type));
        };
        if (in.isReadable()) {
            frame.release();
            throw new QmuxException(FRAME_ENCODING_ERROR,
                    in.readableBytes() + " trailing bytes after a webtransport frame");
        }
        return frame;
    }
}
