package org.moqrelay.transport.qmux.wire;

import static org.moqrelay.transport.qmux.wire.FrameTypes.*;
import static org.moqrelay.transport.qmux.wire.QmuxException.FRAME_ENCODING_ERROR;

import io.netty.buffer.ByteBuf;
import org.moqrelay.transport.qmux.wire.QmuxFrame.ConnectionClose;
import org.moqrelay.transport.qmux.wire.QmuxFrame.DataBlocked;
import org.moqrelay.transport.qmux.wire.QmuxFrame.Datagram;
import org.moqrelay.transport.qmux.wire.QmuxFrame.MaxData;
import org.moqrelay.transport.qmux.wire.QmuxFrame.MaxStreamData;
import org.moqrelay.transport.qmux.wire.QmuxFrame.MaxStreams;
import org.moqrelay.transport.qmux.wire.QmuxFrame.Padding;
import org.moqrelay.transport.qmux.wire.QmuxFrame.Ping;
import org.moqrelay.transport.qmux.wire.QmuxFrame.ResetStream;
import org.moqrelay.transport.qmux.wire.QmuxFrame.ResetStreamAt;
import org.moqrelay.transport.qmux.wire.QmuxFrame.StopSending;
import org.moqrelay.transport.qmux.wire.QmuxFrame.Stream;
import org.moqrelay.transport.qmux.wire.QmuxFrame.StreamDataBlocked;
import org.moqrelay.transport.qmux.wire.QmuxFrame.StreamsBlocked;
import org.moqrelay.transport.qmux.wire.QmuxFrame.TransportParameters;
import org.moqrelay.wire.VarInts;

/** QMux-draft frames (QUIC v1 layouts, rs/qmux frame.rs {@code encode_qmux}/{@code decode_qmux_one}). */
final class QmuxFrames {
    private QmuxFrames() {}

    /** Writes a STREAM frame up to (not including) its data. */
    static void encodeStreamHeader(ByteBuf out, Stream s) {
        // Senders always set OFF and LEN, so a frame never depends on where its message ends.
        VarInts.write(out, STREAM | STREAM_OFF | STREAM_LEN | (s.fin() ? STREAM_FIN : 0));
        VarInts.write(out, s.streamId());
        VarInts.write(out, s.offset());
        VarInts.write(out, s.data().readableBytes());
    }

    /** Writes one frame; the caller has checked the frame kind exists in the version. */
    static void encode(ByteBuf out, QmuxFrame frame) {
        switch (frame) {
            case Padding p -> out.writeZero(p.length());
            case Stream s -> {
                encodeStreamHeader(out, s);
                out.writeBytes(s.data(), s.data().readerIndex(), s.data().readableBytes());
            }
            case ResetStream r -> {
                VarInts.write(out, RESET_STREAM);
                VarInts.write(out, r.streamId());
                VarInts.write(out, r.code());
                VarInts.write(out, r.finalSize());
            }
            case StopSending s -> {
                VarInts.write(out, STOP_SENDING);
                VarInts.write(out, s.streamId());
                VarInts.write(out, s.code());
            }
            case MaxData m -> {
                VarInts.write(out, MAX_DATA);
                VarInts.write(out, m.max());
            }
            case MaxStreamData m -> {
                VarInts.write(out, MAX_STREAM_DATA);
                VarInts.write(out, m.streamId());
                VarInts.write(out, m.max());
            }
            case MaxStreams m -> {
                VarInts.write(out, m.bidi() ? MAX_STREAMS_BIDI : MAX_STREAMS_UNI);
                VarInts.write(out, m.max());
            }
            case DataBlocked d -> {
                VarInts.write(out, DATA_BLOCKED);
                VarInts.write(out, d.limit());
            }
            case StreamDataBlocked d -> {
                VarInts.write(out, STREAM_DATA_BLOCKED);
                VarInts.write(out, d.streamId());
                VarInts.write(out, d.limit());
            }
            case StreamsBlocked b -> {
                VarInts.write(out, b.bidi() ? STREAMS_BLOCKED_BIDI : STREAMS_BLOCKED_UNI);
                VarInts.write(out, b.limit());
            }
            case ConnectionClose c -> {
                byte[] reason = Reads.reasonBytes(c.reason());
                VarInts.write(out, c.application() ? APPLICATION_CLOSE : CONNECTION_CLOSE);
                VarInts.write(out, c.code());
                if (!c.application()) {
                    VarInts.write(out, c.frameType());
                }
                VarInts.write(out, reason.length);
                out.writeBytes(reason);
            }
            case ResetStreamAt r -> {
                VarInts.write(out, RESET_STREAM_AT);
                VarInts.write(out, r.streamId());
                VarInts.write(out, r.code());
                VarInts.write(out, r.finalSize());
                VarInts.write(out, r.reliableSize());
            }
            case Datagram d -> {
                // Always the length-prefixed form, like the reference: self-delimiting in any record.
                VarInts.write(out, DATAGRAM_LEN);
                VarInts.write(out, d.data().readableBytes());
                out.writeBytes(d.data(), d.data().readerIndex(), d.data().readableBytes());
            }
            case TransportParameters t -> {
                ByteBuf body = out.alloc().heapBuffer();
                try {
                    QmuxParamsCodec.encode(body, t.params());
                    VarInts.write(out, QX_TRANSPORT_PARAMETERS);
                    VarInts.write(out, body.readableBytes());
                    out.writeBytes(body);
                } finally {
                    body.release();
                }
            }
            case Ping p -> {
                VarInts.write(out, p.response() ? QX_PING_RESPONSE : QX_PING_REQUEST);
                VarInts.write(out, p.sequence());
            }
        }
    }

    /** Decodes the frame at the reader index of a complete message, leaving the index after it. */
    static QmuxFrame decode(ByteBuf in, QmuxVersion v) {
        int start = in.readerIndex();
        long type = Reads.varint(in, FRAME_ENCODING_ERROR, "frame type");
        if (type == PADDING && v.hasPadding()) {
            // A run of PADDING bytes becomes one frame instead of one record per byte.
            int n = in.readerIndex() - start;
            while (in.isReadable() && in.getByte(in.readerIndex()) == 0) {
                in.skipBytes(1);
                n++;
            }
            return new Padding(n);
        }
        if (type >= STREAM && type <= STREAM_MAX) {
            return stream(in, type);
        }
        if (type == RESET_STREAM) {
            return new ResetStream(field(in, "stream id"), field(in, "error code"), field(in, "final size"));
        }
        if (type == STOP_SENDING) {
            return new StopSending(field(in, "stream id"), field(in, "error code"));
        }
        if (type == MAX_DATA) {
            return new MaxData(field(in, "maximum data"));
        }
        if (type == MAX_STREAM_DATA) {
            return new MaxStreamData(field(in, "stream id"), field(in, "maximum stream data"));
        }
        if (type == MAX_STREAMS_BIDI || type == MAX_STREAMS_UNI) {
            return new MaxStreams(type == MAX_STREAMS_BIDI, streamCount(in, "maximum streams"));
        }
        if (type == DATA_BLOCKED) {
            return new DataBlocked(field(in, "maximum data"));
        }
        if (type == STREAM_DATA_BLOCKED) {
            return new StreamDataBlocked(field(in, "stream id"), field(in, "maximum stream data"));
        }
        if (type == STREAMS_BLOCKED_BIDI || type == STREAMS_BLOCKED_UNI) {
            return new StreamsBlocked(type == STREAMS_BLOCKED_BIDI, streamCount(in, "maximum streams"));
        }
        if (type == CONNECTION_CLOSE || type == APPLICATION_CLOSE) {
            boolean application = type == APPLICATION_CLOSE;
            long code = field(in, "error code");
            long frameType = application ? 0 : field(in, "frame type");
            int len = Reads.length(in, FRAME_ENCODING_ERROR, "reason phrase");
            return new ConnectionClose(application, code, frameType, Reads.reason(in, len));
        }
        if (type == RESET_STREAM_AT && v.hasResetStreamAt()) {
            long id = field(in, "stream id");
            long code = field(in, "error code");
            long finalSize = field(in, "final size");
            long reliableSize = field(in, "reliable size");
            if (reliableSize > finalSize) {
                throw new QmuxException(FRAME_ENCODING_ERROR,
                        "RESET_STREAM_AT reliable size " + reliableSize + " exceeds final size " + finalSize);
            }
            return new ResetStreamAt(id, code, finalSize, reliableSize);
        }
        if ((type == DATAGRAM || type == DATAGRAM_LEN) && v.hasDatagrams()) {
            int len = type == DATAGRAM_LEN
                    ? Reads.length(in, FRAME_ENCODING_ERROR, "DATAGRAM data")
                    : in.readableBytes();
            return new Datagram(in.readRetainedSlice(len));
        }
        if (type == QX_TRANSPORT_PARAMETERS) {
            int len = Reads.length(in, FRAME_ENCODING_ERROR, "QX_TRANSPORT_PARAMETERS");
            return new TransportParameters(QmuxParamsCodec.decode(in.readSlice(len)));
        }
        if ((type == QX_PING_REQUEST || type == QX_PING_RESPONSE) && v.hasPing()) {
            return new Ping(type == QX_PING_RESPONSE, field(in, "sequence number"));
        }
        // RFC 9000 §12.4: a type the version does not define is a FRAME_ENCODING_ERROR.
        throw new QmuxException(FRAME_ENCODING_ERROR,
                "frame type 0x" + Long.toHexString(type) + " is not defined in " + v.token());
    }

    private static Stream stream(ByteBuf in, long type) {
        long id = field(in, "stream id");
        long offset = (type & STREAM_OFF) != 0 ? field(in, "offset") : 0;
        // Without LEN the data runs to the end of the message (or record).
        int len = (type & STREAM_LEN) != 0
                ? Reads.length(in, FRAME_ENCODING_ERROR, "STREAM data")
                : in.readableBytes();
        if (offset + len > VarInts.MAX) {
            throw new QmuxException(FRAME_ENCODING_ERROR, "STREAM offset + length exceeds 2^62-1");
        }
        return new Stream(id, offset, in.readRetainedSlice(len), (type & STREAM_FIN) != 0);
    }

    private static long field(ByteBuf in, String what) {
        return Reads.varint(in, FRAME_ENCODING_ERROR, what);
    }

    private static long streamCount(ByteBuf in, String what) {
        long n = field(in, what);
        if (n > QmuxFrame.MAX_STREAM_COUNT) {
            // RFC 9000 §19.11 / §19.14.
            throw new QmuxException(FRAME_ENCODING_ERROR, what + " " + n + " exceeds 2^60");
        }
        return n;
    }
}
