package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.function.Supplier;
import org.moqrelay.session.spi.ReadHandler;

/**
 * Holds a stream's bytes until the session knows its root (a raw-QUIC client's SETUP carries the
 * path), then creates the real handler and replays them.
 */
final class DeferredHandler implements ReadHandler {
    /** More than this waiting for the SETUP is an abuse, not a slow handshake. */
    static final int MAX_QUEUED_BYTES = 256 * 1024;

    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    private final LiteSession session;
    private ReadHandler target;
    private int queuedBytes;

    private static final Object FIN = new Object();

    DeferredHandler(LiteSession session, Supplier<ReadHandler> factory) {
        this.session = session;
        session.whenReady(() -> {
            target = factory.get();
            while (!queued.isEmpty()) {
                Object o = queued.poll();
                if (o == FIN) target.onFin();
                else if (o instanceof Long code) target.onReset(code);
                else target.onData((ByteBuf) o);
            }
        });
        session.onClose(() -> {
            while (!queued.isEmpty()) {
                if (queued.poll() instanceof ByteBuf b) b.release();
            }
        });
    }

    @Override
    public void onData(ByteBuf data) {
        if (target != null) {
            target.onData(data);
            return;
        }
        queuedBytes += data.readableBytes();
        queued.add(data);
        if (queuedBytes > MAX_QUEUED_BYTES) {
            session.fail(org.moqrelay.wire.ErrorCode.BOUNDS_EXCEEDED, queuedBytes + " bytes on a stream before SETUP");
        }
    }

    @Override
    public void onFin() {
        if (target != null) target.onFin();
        else queued.add(FIN);
    }

    @Override
    public void onReset(long code) {
        if (target != null) target.onReset(code);
        else queued.add(code);
    }
}
