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
    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    private ReadHandler target;

    private static final Object FIN = new Object();

    DeferredHandler(LiteSession session, Supplier<ReadHandler> factory) {
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
        if (target != null) target.onData(data);
        else queued.add(data);
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
