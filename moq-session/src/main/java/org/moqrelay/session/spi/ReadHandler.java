package org.moqrelay.session.spi;

import io.netty.buffer.ByteBuf;

/** Receives one stream's bytes in order. Called on the connection's event loop. */
public interface ReadHandler {
    /** More bytes; the handler owns (and must release) {@code data}. */
    void onData(ByteBuf data);

    /** The peer finished the stream (FIN) after the last {@link #onData}. */
    void onFin();

    /** The peer reset the stream, or the connection went away (code then {@link Connection#CLOSED_CODE}). */
    void onReset(long code);
}
