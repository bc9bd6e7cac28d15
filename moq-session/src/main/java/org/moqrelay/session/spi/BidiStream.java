package org.moqrelay.session.spi;

/** A bidirectional stream. */
public interface BidiStream extends SendStream, RecvStream {
}
