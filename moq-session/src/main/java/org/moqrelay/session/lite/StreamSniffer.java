package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
import java.util.function.LongFunction;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.wire.VarInts;

/**
 * Reads the stream-type varint that opens every moq-lite stream, then hands the rest of the
 * stream to the handler chosen for that type.
 */
final class StreamSniffer implements ReadHandler {
    private final LongFunction<ReadHandler> chooser;
    private ByteBuf pending;
    private ReadHandler delegate;

    StreamSniffer(LongFunction<ReadHandler> chooser) {
        this.chooser = chooser;
    }

    @Override
    public void onData(ByteBuf data) {
        if (delegate != null) {
            delegate.onData(data);
            return;
        }
        if (pending != null) {
            ByteBuf joined = io.netty.buffer.Unpooled.wrappedBuffer(pending, data);
            pending = joined;
        } else {
            pending = data;
        }
        int n = VarInts.peekLength(pending);
        if (n < 0) return;
        long type = VarInts.read(pending);
        ByteBuf rest = pending;
        pending = null;
        delegate = chooser.apply(type);
        if (rest.isReadable()) {
            delegate.onData(rest);
        } else {
            rest.release();
        }
    }

    @Override
    public void onFin() {
        if (delegate != null) {
            delegate.onFin();
        } else if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    @Override
    public void onReset(long code) {
        if (pending != null) {
            pending.release();
            pending = null;
        }
        if (delegate != null) delegate.onReset(code);
    }
}
