package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
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
    private final PartialFrames frames;
    private Group group;
    private boolean discarding;
    private long lastTimestamp;

    GroupReader(LiteSession session, RecvStream stream) {
        this.session = session;
        this.stream = stream;
        this.metrics = session.metrics();
        this.frames = new PartialFrames(session);
    }

    @Override
    public void onData(ByteBuf data) {
        if (discarding) {
            data.release();
            return;
        }
        ByteBuf buf = frames.add(data);
        try {
            if (group == null && !readHeader(buf)) {
                settle();
                return;
            }
            boolean timestamps = session.version().hasFrameTimestamps();
            while (group != null && buf.isReadable()) {
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
        settle();
    }

    private boolean readHeader(ByteBuf buf) {
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
        frames.release();
    }

    /** Counts what is left of an unfinished frame; over the session's cap the group is void. */
    private void settle() {
        if (discarding) return;
        frames.settle(() -> {
            discarding = true;
            if (group != null) group.abort(ErrorCode.BOUNDS_EXCEEDED);
        });
    }

    @Override
    public void onFin() {
        boolean partial = frames.isPartial();
        frames.release();
        if (group == null || discarding) return;
        if (partial) {
            group.abort(ErrorCode.WRONG_SIZE);
        } else {
            group.finish();
        }
    }

    @Override
    public void onReset(long code) {
        frames.release();
        if (group != null && !discarding) {
            ErrorCode c = ErrorCode.of(code);
            group.abort(c == null || code < 0 ? ErrorCode.CANCEL : c);
        }
    }
}
