package org.moqrelay.session.spi;

import io.netty.buffer.ByteBuf;

/** Inbound events of a {@link Connection}, on its event loop. */
public interface ConnectionHandler {
    void onBidiStream(BidiStream stream);

    void onUniStream(RecvStream stream);

    /** A datagram; the handler owns (and must release) it. */
    void onDatagram(ByteBuf data);

    /**
     * The connection ended. {@code clean} is true when the peer closed with code 0 (or the local
     * side closed it), false when it was lost or closed with an error.
     */
    void onClosed(long code, String reason, boolean clean);
}
