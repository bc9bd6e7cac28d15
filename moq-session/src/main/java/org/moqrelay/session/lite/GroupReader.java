package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.moqrelay.model.Group;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.session.spi.RecvStream;
import org.moqrelay.wire.DecodeException;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.lite.Frames;
import org.moqrelay.wire.lite.GroupHeader;
import org.moqrelay.wire.lite.LiteCodec;
import org.moqrelay.wire.lite.MessageKind;

/**
 * Reads one group stream from a publisher into the shared {@link Group}. Each frame, header
 * included, is sliced (retained, not copied) out of the received buffers and cached once for
 * every subscriber.
 */
final class GroupReader implements ReadHandler {
    private final LiteSession session;
    private final RecvStream stream;
    private final SessionMetrics metrics;
    private ByteBuf buf;
    private Group group;
    private boolean discarding;
    private long lastTimestamp;

    GroupReader(LiteSession session, RecvStream stream) {
        this.session = session;
        this.stream = stream;
        this.metrics = session.metrics();
    }

    @Override
    public void onData(ByteBuf data) {
        if (discarding) {
            data.release();
            return;
        }
        buf = buf == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ByteBufAllocator.DEFAULT, buf, data);
        try {
            if (group == null && !readHeader()) {
                releaseIfEmpty();
                return;
            }
            boolean timestamps = session.version().hasFrameTimestamps();
            while (group != null && buf != null && buf.isReadable()) {
                Frames.Header h = Frames.peekHeader(buf, timestamps);
                if (h == null || buf.readableBytes() < h.headerLength() + h.size()) break;
                long ts = timestamps ? lastTimestamp + h.timestampDelta() : System.nanoTime() / 1_000_000;
                lastTimestamp = ts;
                // Cached with its header: subscribers on the same framing forward these bytes as-is.
                group.append(ts, buf.readRetainedSlice(h.headerLength() + h.size()), h.headerLength(),
                        Frames.format(timestamps));
                metrics.frameReceived(h.size());
            }
        } catch (DecodeException e) {
            discard(0);
            if (group != null) group.abort(e.code());
            session.fail(e.code(), e.getMessage());
            return;
        }
        releaseIfEmpty();
    }

    private boolean readHeader() {
        GroupHeader h = (GroupHeader) LiteCodec.decode(buf, MessageKind.GROUP, session.version());
        if (h == null) return false;
        UpstreamSubscription sub = session.upstream(h.subscribeId());
        Group g = sub == null ? null : sub.track().createGroup(h.sequence());
        if (g == null) {
            // Unknown subscription, duplicate or finished track: not interested.
            discard(ErrorCode.CANCEL.code());
            return false;
        }
        group = g;
        metrics.groupReceived();
        return true;
    }

    private void discard(long code) {
        discarding = true;
        stream.stopSending(code);
        if (buf != null) {
            buf.release();
            buf = null;
        }
    }

    private void releaseIfEmpty() {
        if (buf != null && !buf.isReadable()) {
            buf.release();
            buf = null;
        }
    }

    @Override
    public void onFin() {
        boolean partial = buf != null && buf.isReadable();
        if (buf != null) {
            buf.release();
            buf = null;
        }
        if (group == null || discarding) return;
        if (partial) {
            group.abort(ErrorCode.WRONG_SIZE);
        } else {
            group.finish();
        }
    }

    @Override
    public void onReset(long code) {
        if (buf != null) {
            buf.release();
            buf = null;
        }
        if (group != null && !discarding) {
            ErrorCode c = ErrorCode.of(code);
            group.abort(c == null || code < 0 ? ErrorCode.CANCEL : c);
        }
    }
}
