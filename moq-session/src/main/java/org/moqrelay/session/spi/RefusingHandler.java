package org.moqrelay.session.spi;

import io.netty.buffer.ByteBuf;

/**
 * A {@link ConnectionHandler} that takes nothing from its peer: each bidi stream is reset and
 * each uni stream stopped (code 0), datagrams are released unread and the close is ignored.
 * Peers that care about one kind of event (bench programs, tests) override just that.
 */
public class RefusingHandler implements ConnectionHandler {
    @Override
    public void onBidiStream(BidiStream stream) {
        stream.reset(0);
    }

    @Override
    public void onUniStream(RecvStream stream) {
        stream.stopSending(0);
    }

    @Override
    public void onDatagram(ByteBuf data) {
        data.release();
    }

    @Override
    public void onClosed(long code, String reason, boolean clean) {}
}
