package org.moqrelay.transport.quic;

import io.netty.channel.epoll.Epoll;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import io.netty.handler.codec.quic.SegmentedDatagramPacketAllocator;
import java.util.concurrent.TimeUnit;

/** Applies {@link QuicTransportConfig} to either side's codec builder. */
final class QuicCodecs {
    private QuicCodecs() {}

    /** Packets per GSO send: quiche fills up to this many MTU-sized segments into one sendmsg. */
    private static final int GSO_SEGMENTS = 16;

    /**
     * The GSO allocator for a connection's channel options, or null when off or unavailable. One
     * sendmsg per burst instead of one per packet: the kernel's per-packet cost is the largest
     * single item in a fan-out profile. Netty falls back to plain sends where the kernel lacks
     * UDP_SEGMENT.
     */
    static SegmentedDatagramPacketAllocator gso(QuicTransportConfig c) {
        return c.gso() && Epoll.isAvailable() ? EpollQuicUtils.newSegmentedAllocator(GSO_SEGMENTS) : null;
    }

    static <B extends QuicCodecBuilder<B>> B apply(B b, QuicTransportConfig c) {
        if (c.mtuDiscovery()) {
            // Start at QUIC's 1200 bytes and probe upwards; bigger packets mean fewer of them.
            b.discoverPmtu(true).maxSendUdpPayloadSize(QuicTransportConfig.MAX_UDP_PAYLOAD);
        }
        return b.maxIdleTimeout(c.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .initialMaxData(c.maxData())
                .initialMaxStreamDataBidirectionalLocal(c.maxStreamData())
                .initialMaxStreamDataBidirectionalRemote(c.maxStreamData())
                .initialMaxStreamDataUnidirectional(c.maxStreamData())
                .initialMaxStreamsBidirectional(c.maxStreams())
                .initialMaxStreamsUnidirectional(c.maxStreams())
                .congestionControlAlgorithm(c.congestionControl() == QuicTransportConfig.CongestionControl.LOSS
                        ? QuicCongestionControlAlgorithm.CUBIC : QuicCongestionControlAlgorithm.BBR)
                .datagram(2048, 2048);
    }
}
