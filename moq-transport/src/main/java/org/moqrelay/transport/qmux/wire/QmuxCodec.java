package org.moqrelay.transport.qmux.wire;

import static org.moqrelay.transport.qmux.wire.QmuxException.FRAME_ENCODING_ERROR;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Encodes qmux frames and decodes whole WebSocket messages or TCP record bodies for every
 * {@link QmuxVersion} (transports.md §3.3); pure, throws {@link QmuxException} on bad input.
 */
public final class QmuxCodec {
    /** Longest close reason, in UTF-8 bytes, we send or accept. */
    public static final int MAX_REASON_BYTES = 1024;

    /** draft-00 {@code max_frame_size}: the largest whole frame (= message) a qmux-00 peer may send. */
    public static final int QMUX_00_MAX_FRAME_SIZE = 16384;

    private QmuxCodec() {}

    /** Whether {@code frame} exists in {@code version}, i.e. {@link #encode} accepts it. */
    public static boolean canEncode(QmuxFrame frame, QmuxVersion version) {
        return switch (frame) {
            case QmuxFrame.Stream f -> true;
            case QmuxFrame.ResetStream f -> true;
            case QmuxFrame.StopSending f -> true;
            case QmuxFrame.ConnectionClose f -> true;
            case QmuxFrame.Padding f -> version.hasPadding();
            case QmuxFrame.MaxData f -> version.hasFlowControl();
            case QmuxFrame.MaxStreamData f -> version.hasFlowControl();
            case QmuxFrame.MaxStreams f -> version.hasFlowControl();
            case QmuxFrame.DataBlocked f -> version.hasFlowControl();
            case QmuxFrame.StreamDataBlocked f -> version.hasFlowControl();
            case QmuxFrame.StreamsBlocked f -> version.hasFlowControl();
            case QmuxFrame.ResetStreamAt f -> version.hasResetStreamAt();
            case QmuxFrame.Datagram f -> version.hasDatagrams();
            case QmuxFrame.TransportParameters f -> version.hasTransportParameters();
            case QmuxFrame.Ping f -> version.hasPing();
        };
    }

    /**
     * Appends {@code frame} to {@code out}. STREAM always carries OFF and LEN (0x0e/0x0f) on the
     * QMux drafts; the legacy format drops STREAM offsets, RESET final sizes and CLOSE frame types.
     * Payload buffers are read without being consumed or released.
     *
     * @throws IllegalArgumentException if the frame does not exist in {@code version} or its reason
     *     is longer than {@link #MAX_REASON_BYTES}; nothing is written then
     */
    public static void encode(ByteBuf out, QmuxFrame frame, QmuxVersion version) {
        Objects.requireNonNull(frame, "frame");
        if (!canEncode(frame, version)) {
            throw new IllegalArgumentException(
                    frame.getClass().getSimpleName() + " does not exist in " + version.token());
        }
        if (version == QmuxVersion.WEBTRANSPORT) {
            LegacyFrames.encode(out, frame);
        } else {
            QmuxFrames.encode(out, frame);
        }
    }

    /**
     * A STREAM frame as a buffer that shares the frame's data instead of copying it: a small
     * header followed by the data (a composite). Takes ownership of the data.
     */
    public static ByteBuf encodeStream(ByteBufAllocator alloc, QmuxFrame.Stream s, QmuxVersion version) {
        ByteBuf header = alloc.buffer(32);
        if (version == QmuxVersion.WEBTRANSPORT) {
            LegacyFrames.encodeStreamHeader(header, s);
        } else {
            QmuxFrames.encodeStreamHeader(header, s);
        }
        if (!s.data().isReadable()) {
            s.data().release();
            return header;
        }
        return alloc.compositeBuffer(2).addComponents(true, header, s.data());
    }

    /**
     * Decodes one complete WebSocket binary message (or one TCP record body): exactly one frame on
     * {@code webtransport} and qmux-00, zero or more on qmux-01/02. Consumes the readable bytes;
     * STREAM/DATAGRAM data are retained slices of {@code message} that the caller must release
     * (on failure nothing stays retained).
     *
     * @throws QmuxException for an unknown, truncated, malformed or version-foreign frame
     */
    public static List<QmuxFrame> decodeMessage(ByteBuf message, QmuxVersion version) {
        List<QmuxFrame> frames = new ArrayList<>(2);
        try {
            switch (version) {
                case WEBTRANSPORT -> frames.add(LegacyFrames.decode(message));
                case QMUX_00 -> {
                    if (message.readableBytes() > QMUX_00_MAX_FRAME_SIZE) {
                        throw new QmuxException(FRAME_ENCODING_ERROR, "qmux-00 frame of "
                                + message.readableBytes() + " bytes (max " + QMUX_00_MAX_FRAME_SIZE + ")");
                    }
                    if (!message.isReadable()) {
                        throw new QmuxException(FRAME_ENCODING_ERROR, "empty qmux-00 message");
                    }
                    int start = message.readerIndex();
                    QmuxFrame frame = QmuxFrames.decode(message, version);
                    if (message.isReadable() && frame instanceof QmuxFrame.ConnectionClose c && c.application()) {
                        frame = fieldClientApplicationClose(message, start, frame);
                    }
                    frames.add(frame);
                    if (message.isReadable()) {
                        throw new QmuxException(FRAME_ENCODING_ERROR,
                                message.readableBytes() + " trailing bytes after a qmux-00 frame");
                    }
                }
                default -> {
                    while (message.isReadable()) {
                        frames.add(QmuxFrames.decode(message, version));
                    }
                }
            }
        } catch (RuntimeException e) {
            releaseAll(frames);
            throw e;
        }
        return frames;
    }

    /**
     * npm {@code @moq/qmux} 0.0.x (inside the field client {@code @moq/lite} 0.2.x) writes its qmux-00
     * APPLICATION_CLOSE (0x1d) with a Frame Type field, as CONNECTION_CLOSE has: {@code code, frame
     * type, reason length, reason}, so the standard reading leaves bytes over. The reference (rs/qmux)
     * reads the code and ignores the rest; we re-read the message in that layout and take it when
     * it accounts for every byte (else {@code standard} stands and its trailing bytes are refused).
     */
    private static QmuxFrame fieldClientApplicationClose(ByteBuf message, int start, QmuxFrame standard) {
        int end = message.readerIndex();
        message.readerIndex(start);
        try {
            Reads.varint(message, FRAME_ENCODING_ERROR, "frame type");
            long code = Reads.varint(message, FRAME_ENCODING_ERROR, "error code");
            Reads.varint(message, FRAME_ENCODING_ERROR, "frame type field");
            String reason = Reads.reason(message, Reads.length(message, FRAME_ENCODING_ERROR, "reason phrase"));
            if (!message.isReadable()) {
                return QmuxFrame.ConnectionClose.application(code, reason);
            }
        } catch (QmuxException e) {
            // not that layout either
        }
        message.readerIndex(end);
        return standard;
    }

    /** Releases the payload of every frame in {@code frames}. */
    public static void releaseAll(List<? extends QmuxFrame> frames) {
        for (QmuxFrame f : frames) {
            f.release();
        }
    }
}
