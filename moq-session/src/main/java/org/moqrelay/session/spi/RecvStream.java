package org.moqrelay.session.spi;

/** The receiving half of a transport stream. Confined to the connection's event loop. */
public interface RecvStream {
    /** Starts delivery to {@code handler}; bytes that arrived earlier are delivered first. */
    void read(ReadHandler handler);

    /** Asks the peer to stop sending (STOP_SENDING). */
    void stopSending(long code);
}
