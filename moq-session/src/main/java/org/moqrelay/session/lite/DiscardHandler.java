package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
import org.moqrelay.session.spi.ReadHandler;

/** Swallows a stream we do not serve. */
final class DiscardHandler implements ReadHandler {
    @Override
    public void onData(ByteBuf data) {
        data.release();
    }

    @Override
    public void onFin() {}

    @Override
    public void onReset(long code) {}
}
