package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
import org.moqrelay.model.Frame;
import org.moqrelay.model.Group;
import org.moqrelay.session.spi.SendStream;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.VarInts;
import org.moqrelay.wire.lite.Frames;
import org.moqrelay.wire.lite.GroupHeader;
import org.moqrelay.wire.lite.LiteCodec;
import org.moqrelay.wire.lite.StreamType;

/**
 * Copies one cached group onto one subscriber's stream: a GROUP header (for subscriptions), then
 * each frame as it arrives. Frames are the cache's buffers (retained duplicates, never copied);
 * when the publisher used this session's framing they are forwarded with their header as received.
 * Writes only while the stream is writable, so a slow subscriber holds no more than the
 * transport's window; it falls behind in the cache instead, where old groups are evicted.
 */
final class GroupWriter {
    /** {@code liveSinceNanos} of a writer that replays only (a FETCH): none of its frames is timed. */
    static final long NOT_LIVE = Long.MAX_VALUE;

    private final LiteSession session;
    private final Group group;
    private final Long subscribeId;
    private final Consumer<GroupWriter> onDone;
    private final long liveSinceNanos;
    private final SessionMetrics metrics;
    private SendStream stream;
    private ByteBuf pendingHeader;
    private int next;
    /** Timestamp of the last frame written: re-framed deltas are against it (no second lookup that eviction could race). */
    private long lastTimestamp;
    private boolean done;
    /** Wakes this writer with the others of its group on this loop; null until started. */
    private LoopFanout fanout;
    /** Spares the group in the cache budget from construction until the first pump on the stream. */
    private boolean holdingGroup;
    /** This writer's index in {@link #fanout}, kept by it. */
    int slot = -1;

    /**
     * @param subscribeId the subscriber's id for the GROUP header, or null for a FETCH response
     *                    (frames only, on the FETCH stream)
     * @param liveSinceNanos frames that arrived in the relay from this {@link System#nanoTime()} on
     *                       are live and their forward delay is recorded; earlier ones are replays
     *                       from the cache (a late join), whose wait says nothing about forwarding
     */
    GroupWriter(LiteSession session, Group group, Long subscribeId, long liveSinceNanos, Consumer<GroupWriter> onDone) {
        this.session = session;
        this.liveSinceNanos = liveSinceNanos;
        this.group = group;
        this.subscribeId = subscribeId;
        this.onDone = onDone;
        this.metrics = session.metrics();
        group.deliveryQueued();
        holdingGroup = true;
    }

    Group group() {
        return group;
    }

    void start(SendStream s) {
        if (done) {
            s.reset(ErrorCode.CANCEL.code());
            return;
        }
        stream = s;
        metrics.groupSent();
        if (subscribeId != null) {
            // Held back until the first frame so both leave in one write (one packet, not two).
            pendingHeader = ByteBufAllocator.DEFAULT.buffer(16);
            VarInts.write(pendingHeader, StreamType.UNI_GROUP);
            LiteCodec.encode(pendingHeader, new GroupHeader(subscribeId, group.sequence()), session.version());
        }
        s.onWritable(this::pump);
        fanout = LoopFanout.join(group, session.eventLoop(), this);
        try {
            pump();
        } finally {
            releaseGroup();
        }
    }

    /** Lets the cache budget take the group again (the writer may still deliver what is left of it). */
    void releaseGroup() {
        if (!holdingGroup) return;
        holdingGroup = false;
        group.deliveryDone();
    }

    /** Writes what the stream takes of the frames not yet written; ends the stream with the group. */
    void pump() {
        if (done || stream == null) return;
        if (stream.isClosed()) {
            finish(false);
            return;
        }
        boolean timestamps = session.version().hasFrameTimestamps();
        int format = Frames.format(timestamps);
        boolean wrote = false;
        while (stream.isWritable()) {
            Frame f = group.frame(next, format);
            if (f == null) break;
            int size = f.payloadSize(); // before the write, which consumes the buffer
            ByteBuf out = f.framingLength() > 0 ? f.payload() : frameWithHeader(f, timestamps);
            lastTimestamp = f.timestamp();
            next++;
            if (pendingHeader != null) {
                out = Unpooled.wrappedBuffer(pendingHeader, out);
                pendingHeader = null;
            }
            stream.write(out);
            metrics.frameSent(size);
            if (liveSinceNanos != NOT_LIVE && f.arrivedNanos() != 0 && f.arrivedNanos() - liveSinceNanos >= 0) {
                metrics.frameForwarded(System.nanoTime() - f.arrivedNanos());
            }
            wrote = true;
        }
        boolean ended = group.finishedAt(next);
        Group.State state = group.state();
        if (pendingHeader != null && ended) {
            stream.write(pendingHeader); // an empty group still announces itself
            pendingHeader = null;
            wrote = true;
        }
        if (wrote) stream.flush();
        if (ended) {
            stream.finish();
            finish(true);
        } else if (state == Group.State.ABORTED || state == Group.State.EVICTED) {
            ErrorCode code = group.error() == null ? ErrorCode.CANCEL : group.error();
            stream.reset(code.code());
            finish(false);
        }
    }

    /**
     * Frames a payload cached without this session's framing (the publisher speaks another
     * version). The timestamp delta is against the group's previous frame, as every writer starts
     * a group at frame 0.
     */
    private ByteBuf frameWithHeader(Frame f, boolean timestamps) {
        ByteBuf payload = f.payload();
        int size = payload.readableBytes();
        long delta = f.timestamp() - lastTimestamp;
        ByteBuf header = ByteBufAllocator.DEFAULT.buffer(Frames.headerSize(timestamps, delta, size));
        Frames.writeHeader(header, timestamps, delta, size);
        return Unpooled.wrappedBuffer(header, payload);
    }

    /** Abandons the group (subscriber gone, or it fell too far behind). */
    void cancel(ErrorCode code) {
        if (done) return;
        if (stream != null && !stream.isClosed()) stream.reset(code.code());
        finish(false);
    }

    private void finish(boolean complete) {
        if (done) return;
        done = true;
        if (pendingHeader != null) {
            pendingHeader.release();
            pendingHeader = null;
        }
        if (fanout != null) fanout.leave(this);
        releaseGroup();
        onDone.accept(this);
    }
}
