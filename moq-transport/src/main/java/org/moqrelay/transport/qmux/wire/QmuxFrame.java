package org.moqrelay.transport.qmux.wire;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import org.moqrelay.wire.VarInts;

/**
 * One qmux frame (QUIC v1 layouts, transports.md §3.3 frame table); {@link QmuxCodec} encodes and
 * decodes them per {@link QmuxVersion}.
 *
 * <p>{@link Stream} and {@link Datagram} hold a {@link ByteBuf}: a decoded one is a retained slice
 * of the received message that its consumer must {@link #release()}; encoding never releases it.
 */
public sealed interface QmuxFrame {

    /** Largest value MAX_STREAMS / STREAMS_BLOCKED may carry (RFC 9000 §19.11). */
    long MAX_STREAM_COUNT = 1L << 60;

    /** Releases the payload buffer this frame holds, if any. */
    default void release() {}

    /** PADDING (0x00): {@code length} zero bytes, coalesced on decode (01+). */
    record Padding(int length) implements QmuxFrame {
        public Padding {
            if (length < 1) throw new IllegalArgumentException("length: " + length + " (expected: >= 1)");
        }
    }

    /** STREAM (0x08-0x0f; legacy 0x08/0x09): {@code data} at {@code offset} of stream {@code streamId}. */
    record Stream(long streamId, long offset, ByteBuf data, boolean fin) implements QmuxFrame {
        public Stream {
            varint(streamId, "streamId");
            varint(offset, "offset");
            Objects.requireNonNull(data, "data");
        }

        @Override
        public void release() {
            data.release();
        }
    }

    /** RESET_STREAM (0x04); the legacy format carries no final size and decodes it as 0. */
    record ResetStream(long streamId, long code, long finalSize) implements QmuxFrame {
        public ResetStream {
            varint(streamId, "streamId");
            varint(code, "code");
            varint(finalSize, "finalSize");
        }
    }

    /** STOP_SENDING (0x05). */
    record StopSending(long streamId, long code) implements QmuxFrame {
        public StopSending {
            varint(streamId, "streamId");
            varint(code, "code");
        }
    }

    /** MAX_DATA (0x10): the connection-level credit. */
    record MaxData(long max) implements QmuxFrame {
        public MaxData {
            varint(max, "max");
        }
    }

    /** MAX_STREAM_DATA (0x11): a stream-level credit. */
    record MaxStreamData(long streamId, long max) implements QmuxFrame {
        public MaxStreamData {
            varint(streamId, "streamId");
            varint(max, "max");
        }
    }

    /** MAX_STREAMS (0x12 bidi / 0x13 uni): the cumulative stream count the peer may open. */
    record MaxStreams(boolean bidi, long max) implements QmuxFrame {
        public MaxStreams {
            streamCount(max, "max");
        }
    }

    /** DATA_BLOCKED (0x14). */
    record DataBlocked(long limit) implements QmuxFrame {
        public DataBlocked {
            varint(limit, "limit");
        }
    }

    /** STREAM_DATA_BLOCKED (0x15). */
    record StreamDataBlocked(long streamId, long limit) implements QmuxFrame {
        public StreamDataBlocked {
            varint(streamId, "streamId");
            varint(limit, "limit");
        }
    }

    /** STREAMS_BLOCKED (0x16 bidi / 0x17 uni). */
    record StreamsBlocked(boolean bidi, long limit) implements QmuxFrame {
        public StreamsBlocked {
            streamCount(limit, "limit");
        }
    }

    /**
     * CONNECTION_CLOSE (0x1c, transport, with {@code frameType}) or APPLICATION_CLOSE (0x1d,
     * {@code application}, whose frameType is always 0); the legacy format drops frameType.
     */
    record ConnectionClose(boolean application, long code, long frameType, String reason) implements QmuxFrame {
        public ConnectionClose {
            varint(code, "code");
            varint(frameType, "frameType");
            if (application && frameType != 0) {
                throw new IllegalArgumentException("frameType: " + frameType + " (expected: 0 for APPLICATION_CLOSE)");
            }
            Objects.requireNonNull(reason, "reason");
        }

        /** APPLICATION_CLOSE with a MoQ session close code. */
        public static ConnectionClose application(long code, String reason) {
            return new ConnectionClose(true, code, 0, reason);
        }

        /** Transport CONNECTION_CLOSE with a QUIC transport error code and frame type 0. */
        public static ConnectionClose transport(long code, String reason) {
            return new ConnectionClose(false, code, 0, reason);
        }
    }

    /** RESET_STREAM_AT (0x24, draft-02): a reset that still delivers the first reliableSize bytes. */
    record ResetStreamAt(long streamId, long code, long finalSize, long reliableSize) implements QmuxFrame {
        public ResetStreamAt {
            varint(streamId, "streamId");
            varint(code, "code");
            varint(finalSize, "finalSize");
            varint(reliableSize, "reliableSize");
            if (reliableSize > finalSize) {
                throw new IllegalArgumentException(
                        "reliableSize: " + reliableSize + " (expected: <= finalSize " + finalSize + ")");
            }
        }
    }

    /** DATAGRAM (0x31 with length, or 0x30 to the end of the message; 01+). */
    record Datagram(ByteBuf data) implements QmuxFrame {
        public Datagram {
            Objects.requireNonNull(data, "data");
        }

        @Override
        public void release() {
            data.release();
        }
    }

    /** QX_TRANSPORT_PARAMETERS (0x3f5153300d0a0d0a): must be the connection's first frame. */
    record TransportParameters(QmuxParams params) implements QmuxFrame {
        public TransportParameters {
            Objects.requireNonNull(params, "params");
        }
    }

    /** QX_PING request (0x348c67529ef8c7bd) or {@code response} (…be) with a sequence number (01+). */
    record Ping(boolean response, long sequence) implements QmuxFrame {
        public Ping {
            varint(sequence, "sequence");
        }
    }

    private static void varint(long v, String name) {
        if (v < 0 || v > VarInts.MAX) {
            throw new IllegalArgumentException(name + ": " + v + " (expected: 0.." + VarInts.MAX + ")");
        }
    }

    private static void streamCount(long v, String name) {
        if (v < 0 || v > MAX_STREAM_COUNT) {
            throw new IllegalArgumentException(name + ": " + v + " (expected: 0.." + MAX_STREAM_COUNT + ")");
        }
    }
}
