package org.moqrelay.transport.qmux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/**
 * The byte pipe under a qmux session: a WebSocket (one binary message per call) or a TCP or Unix
 * socket (one record per call). Confined to its event loop.
 */
public interface QmuxLink {
    EventLoop eventLoop();

    /** Sends one message / record holding already-encoded frames; ownership passes. */
    void send(ByteBuf frames);

    /** Flushes what {@link #send} queued. */
    void flush();

    /** False while the socket's outbound buffer is full. */
    boolean isWritable();

    /**
     * Bytes written and not yet taken by the socket beyond its low-water mark while it is not
     * writable; 0 while writable.
     */
    long backlog();

    /** Closes the pipe (after flushing). */
    void close();

    /** Closes the pipe at once, dropping whatever has not been sent: the peer is not reading. */
    void abort();

    /** Largest frames payload one message or record may carry. */
    int maxMessageSize();

    String describe();

    /** {@code websocket}, {@code tcp} or {@code unix}, as the reference names the transport. */
    String transport();
}
