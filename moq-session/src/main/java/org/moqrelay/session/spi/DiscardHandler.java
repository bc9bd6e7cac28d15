package org.moqrelay.session.spi;

import io.netty.buffer.ByteBuf;

/** Swallows a stream nobody reads: its bytes are released as they come; its end is ignored. */
public final class DiscardHandler implements ReadHandler {
    @Override
    public void onData(ByteBuf data) {
        data.release();
    }

    @Override
    public void onFin() {}

    @Override
    public void onReset(long code) {}
}
