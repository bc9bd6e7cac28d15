package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * each frame as it arrives. Payloads are the cache's buffers (retained duplicates, never copied).
 * Writes only while the stream is writable, so a slow subscriber holds no more than the
 * transport's window; it falls behind in the cache instead, where old groups are evicted.
 */
final class GroupWriter implements Group.Listener {
    private final LiteSession session;
    private final Group group;
    private final Long subscribeId;
    private final Consumer<GroupWriter> onDone;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final SessionMetrics metrics;
    private SendStream stream;
    private int next;
    private long lastTimestamp;
    private boolean done;

    /**
     * @param subscribeId the subscriber's id for the GROUP header, or null for a FETCH response
     *                    (frames only, on the FETCH stream)
     */
    GroupWriter(LiteSession session, Group group, Long subscribeId, Consumer<GroupWriter> onDone) {
        this.session = session;
        this.group = group;
        this.subscribeId = subscribeId;
        this.onDone = onDone;
        this.metrics = session.config().metrics();
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
            ByteBuf header = ByteBufAllocator.DEFAULT.buffer(16);
            VarInts.write(header, StreamType.UNI_GROUP);
            LiteCodec.encode(header, new GroupHeader(subscribeId, group.sequence()), session.version());
            s.write(header);
        }
        s.onWritable(this::pump);
        group.addListener(this);
        pump();
    }

    @Override
    public void onGroupChanged(Group g) {
        if (session.loop().inEventLoop()) {
            pump();
        } else if (scheduled.compareAndSet(false, true)) {
            session.loop().execute(() -> {
                scheduled.set(false);
                pump();
            });
        }
    }

    private void pump() {
        if (done || stream == null) return;
        if (stream.isClosed()) {
            finish(false);
            return;
        }
        boolean timestamps = session.version().hasFrameTimestamps();
        boolean wrote = false;
        while (stream.isWritable()) {
            Frame f = group.frame(next);
            if (f == null) break;
            next++;
            ByteBuf payload = f.payload();
            int size = payload.readableBytes();
            long delta = f.timestamp() - lastTimestamp;
            lastTimestamp = f.timestamp();
            ByteBuf header = ByteBufAllocator.DEFAULT.buffer(Frames.headerSize(timestamps, delta, size));
            Frames.writeHeader(header, timestamps, delta, size);
            stream.write(Unpooled.wrappedBuffer(header, payload));
            metrics.frameSent(size);
            wrote = true;
        }
        if (wrote) stream.flush();
        Group.State state = group.state();
        if (state == Group.State.FINISHED && next >= group.frameCount()) {
            stream.finish();
            finish(true);
        } else if (state == Group.State.ABORTED || state == Group.State.EVICTED) {
            ErrorCode code = group.error() == null ? ErrorCode.CANCEL : group.error();
            stream.reset(code.code());
            finish(false);
        }
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
        group.removeListener(this);
        onDone.accept(this);
    }
}
