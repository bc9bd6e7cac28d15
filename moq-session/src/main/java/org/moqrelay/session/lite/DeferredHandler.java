package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.function.Supplier;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.wire.ErrorCode;

/**
 * Holds a stream's bytes until the session knows its root (a raw-QUIC client's SETUP carries the
 * path), then creates the real handler and replays them.
 */
final class DeferredHandler implements ReadHandler {
    /** More than this waiting for the SETUP is an abuse, not a slow handshake. */
    static final int MAX_QUEUED_BYTES = 256 * 1024;

    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    private final LiteSession session;
    /** Needed only while bytes wait: once the real handler exists, nothing is left to release. */
    private final Runnable releaseOnClose = this::releaseQueued;
    private ReadHandler target;
    private int queuedBytes;

    private static final Object FIN = new Object();

    private DeferredHandler(LiteSession session, Supplier<ReadHandler> factory) {
        this.session = session;
        session.onClose(releaseOnClose);
        session.whenReady(() -> {
            session.removeOnClose(releaseOnClose);
            target = factory.get();
            while (!queued.isEmpty()) {
                Object o = queued.poll();
                if (o == FIN) target.onFin();
                else if (o instanceof Long code) target.onReset(code);
                else target.onData((ByteBuf) o);
            }
        });
    }

    /** The handler for a served stream: made at once when the session knows its root, else deferred until it does. */
    static ReadHandler of(LiteSession session, Supplier<ReadHandler> factory) {
        return session.isReady() ? factory.get() : new DeferredHandler(session, factory);
    }

    private void releaseQueued() {
        while (!queued.isEmpty()) {
            if (queued.poll() instanceof ByteBuf b) b.release();
        }
    }

    @Override
    public void onData(ByteBuf data) {
        if (target != null) {
            target.onData(data);
            return;
        }
        if (!session.isOpen()) {
            data.release(); // the session is gone and will never be ready
            return;
        }
        queuedBytes += data.readableBytes();
        queued.add(data);
        if (queuedBytes > MAX_QUEUED_BYTES) {
            session.fail(ErrorCode.BOUNDS_EXCEEDED, queuedBytes + " bytes on a stream before SETUP");
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
