package org.moqrelay.transport.quic;

import io.netty.handler.codec.quic.QuicStreamChannel;

/** Where a QUIC connection's peer-opened streams go: raw MoQ, or the HTTP/3 + WebTransport layer. */
public interface PeerStreamSink {
    void onPeerStream(QuicStreamChannel stream);
}
