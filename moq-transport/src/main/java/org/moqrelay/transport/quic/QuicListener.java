package org.moqrelay.transport.quic;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.SegmentedDatagramPacketAllocator;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's UDP port: one QUIC endpoint offering every ALPN. Once a handshake completes, the
 * negotiated ALPN picks what runs on the connection (raw moq-lite, or HTTP/3 for WebTransport),
 * through {@code dispatcher}, which returns where the peer's streams go.
 */
public final class QuicListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QuicListener.class);
    static final AttributeKey<PeerStreamSink> SINK = AttributeKey.valueOf("moq.peerStreamSink");

    private final Channel channel;

    private QuicListener(Channel channel) {
        this.channel = channel;
    }

    /**
     * @param dispatcher given the handshaken connection and its ALPN, installs the connection's
     *                   handlers and returns the sink for its peer streams (null closes it)
     */
    public static QuicListener bind(InetSocketAddress address, QuicSslContext ssl, EventLoopGroup group,
                                    QuicTransportConfig config,
                                    BiFunction<QuicChannel, String, PeerStreamSink> dispatcher) throws InterruptedException {
        ChannelHandler connectionInit = new ChannelInitializer<QuicChannel>() {
            @Override
            protected void initChannel(QuicChannel ch) {
                ch.pipeline().addLast(new HandshakeDispatcher(dispatcher));
            }
        };
        ChannelHandler streamInit = new ChannelInitializer<QuicStreamChannel>() {
            @Override
            protected void initChannel(QuicStreamChannel ch) {
                PeerStreamSink sink = ch.parent().attr(SINK).get();
                if (sink == null) {
                    ch.close();
                } else {
                    sink.onPeerStream(ch);
                }
            }
        };
        QuicServerCodecBuilder builder = QuicCodecs.apply(new QuicServerCodecBuilder(), config);
        SegmentedDatagramPacketAllocator gso = QuicCodecs.gso(config);
        if (gso != null) builder.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, gso);
        ChannelHandler codec = builder
                .sslContext(ssl)
                .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
                .handler(connectionInit)
                .streamHandler(streamInit)
                .build();
        Channel ch = new Bootstrap().group(group).channel(EventLoops.datagramChannel())
                .handler(codec).bind(address).sync().channel();
        log.info("QUIC listening on udp {}", ch.localAddress());
        return new QuicListener(ch);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5_000);
    }

    /** Waits for the handshake, then hands the connection to the dispatcher. */
    private static final class HandshakeDispatcher extends ChannelInboundHandlerAdapter {
        private final BiFunction<QuicChannel, String, PeerStreamSink> dispatcher;

        HandshakeDispatcher(BiFunction<QuicChannel, String, PeerStreamSink> dispatcher) {
            this.dispatcher = dispatcher;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            QuicChannel ch = (QuicChannel) ctx.channel();
            String alpn = ch.sslEngine() == null ? null : ch.sslEngine().getApplicationProtocol();
            ctx.pipeline().remove(this);
            PeerStreamSink sink = alpn == null ? null : dispatcher.apply(ch, alpn);
            if (sink == null) {
                log.info("closing QUIC connection from {}: unsupported ALPN {}", ch.remoteSocketAddress(), alpn);
                ch.close(true, 21, io.netty.buffer.Unpooled.EMPTY_BUFFER);
                return;
            }
            ch.attr(SINK).set(sink);
            ctx.fireChannelActive();
        }
    }
}
