package org.moqrelay.transport.quic;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
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
        return c.gso() && EventLoops.datagramChannel() == EpollDatagramChannel.class ? EpollQuicUtils.newSegmentedAllocator(GSO_SEGMENTS) : null;
    }

    /**
     * {@code codec} behind a {@link GsoBatcher} when GSO is in use, for a UDP channel's pipeline:
     * the batcher must sit between the channel and the codec.
     */
    static ChannelHandler[] pipeline(ChannelHandler codec, QuicTransportConfig c) {
        SegmentedDatagramPacketAllocator gso = gso(c);
        return gso == null || gso.maxNumSegments() == 0 ? new ChannelHandler[] {codec}
                : new ChannelHandler[] {new GsoBatcher(), codec};
    }

    /** {@link #pipeline} as the handler of a UDP bootstrap. */
    static ChannelHandler initializer(ChannelHandler codec, QuicTransportConfig c) {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(pipeline(codec, c));
            }
        };
    }

    /** Largest UDP datagram, the most one GRO read can hand over. */
    private static final int GRO_READ_BUFFER = 65_535;
    /**
     * Packets one wake-up of the loop reads from a socket before serving the others; Netty counts
     * each packet of a GRO burst. A fresh allocator's default is 1, which starves the socket
     * (measured: receive-buffer drops under fan-out); Netty's datagram default is 16 reads.
     */
    private static final int GRO_MESSAGES_PER_READ = 64;

    /**
     * Turns on UDP generic receive offload for a client's socket when GSO is on and epoll is in
     * use: the kernel hands over a burst of same-sized datagrams from the server as one buffer
     * (Netty splits it back into packets), and on loopback it skips segmenting the sender's GSO
     * batch at all. The read buffer must then hold a whole burst. Not for the relay's sockets,
     * whose many small ACKs GRO cannot merge.
     */
    static Bootstrap gro(Bootstrap b, QuicTransportConfig c) {
        if (c.gso() && EventLoops.datagramChannel() == EpollDatagramChannel.class) {
            b.option(EpollChannelOption.UDP_GRO, true)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(GRO_READ_BUFFER)
                            .maxMessagesPerRead(GRO_MESSAGES_PER_READ));
        }
        return b;
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
