package org.moqrelay.transport.webtransport;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import org.moqrelay.session.spi.ReadHandler;

/**
 * The read side of a WebTransport stream the session adopted: hands the bytes after its prefix,
 * and everything later, to whoever reads it, keeping them until then. Releases what it keeps as
 * a raw QUIC stream ({@code NettyStream}) does: when the stream is reset or its connection goes
 * (a reset voids unread data) and once reading is stopped.
 */
final class AdoptedRelay implements ReadHandler {
    private static final Object FIN = new Object();
    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    private ReadHandler target;
    private boolean stopped;

    AdoptedRelay(ByteBuf first) {
        if (first.isReadable()) queued.add(first);
        else first.release();
    }

    /** Starts delivery to {@code h}, what came already first. */
    void target(ReadHandler h) {
        if (stopped) return;
        target = h;
        while (!queued.isEmpty() && target == h) {
            Object o = queued.poll();
            if (o == FIN) h.onFin();
            else if (o instanceof Long code) h.onReset(code);
            else h.onData((ByteBuf) o);
        }
    }

    /** The reader stopped reading (STOP_SENDING): what is kept and what still comes is dropped. */
    void stop() {
        stopped = true;
        target = null;
        releaseData();
        queued.clear();
    }

    @Override
    public void onData(ByteBuf data) {
        if (stopped) data.release();
        else if (target != null) target.onData(data);
        else queued.add(data);
    }

    @Override
    public void onFin() {
        if (stopped) return;
        if (target != null) target.onFin();
        else queued.add(FIN);
    }

    @Override
    public void onReset(long code) {
        if (stopped) return;
        if (target != null) {
            target.onReset(code);
        } else {
            releaseData(); // a reset stream's unread bytes are void; the reset is still told
            queued.clear();
            queued.add(code);
        }
    }

    private void releaseData() {
        for (Object o : queued) {
            if (o instanceof ByteBuf b) b.release();
        }
    }
}
