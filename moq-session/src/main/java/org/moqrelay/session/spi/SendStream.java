package org.moqrelay.session.spi;

import io.netty.buffer.ByteBuf;

/**
 * The sending half of a transport stream. Confined to the connection's event loop. Error codes
 * are moq-lite codes; the transport maps them (e.g. into the WebTransport range).
 */
public interface SendStream {
    /** Queues {@code data} (ownership passes to the stream). Call {@link #flush()} to send. */
    void write(ByteBuf data);

    void flush();

    /** False when the transport's buffer for this stream is full; wait for the writability callback. */
    boolean isWritable();

    /** Called (on the event loop) whenever {@link #isWritable()} may have turned true. */
    void onWritable(Runnable callback);

    /** Sends FIN after everything written so far. */
    void finish();

    /** Abandons the stream with RESET_STREAM. */
    void reset(long code);

    /** Send priority hint: higher is more urgent (moq-lite u8 semantics). */
    default void priority(int priority) {}

    /** True once finished, reset, or the connection closed. */
    boolean isClosed();
}
