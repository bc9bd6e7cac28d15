package org.moqrelay.transport.quic;

import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import java.util.concurrent.TimeUnit;

/** Applies {@link QuicTransportConfig} to either side's codec builder. */
final class QuicCodecs {
    private QuicCodecs() {}

    static <B extends QuicCodecBuilder<B>> B apply(B b, QuicTransportConfig c) {
        return b.maxIdleTimeout(c.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .initialMaxData(c.maxData())
                .initialMaxStreamDataBidirectionalLocal(c.maxStreamData())
                .initialMaxStreamDataBidirectionalRemote(c.maxStreamData())
                .initialMaxStreamDataUnidirectional(c.maxStreamData())
                .initialMaxStreamsBidirectional(c.maxStreams())
                .initialMaxStreamsUnidirectional(c.maxStreams())
                .congestionControlAlgorithm(QuicCongestionControlAlgorithm.BBR)
                .datagram(2048, 2048);
    }
}
