package org.moqrelay.transport.quic;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Dials a QUIC connection (one UDP socket per client): raw moq-lite, or whatever handler
 * {@link #connect(EventLoopGroup, QuicSslContext, QuicTransportConfig, InetSocketAddress, Function)}
 * puts on it (the WebTransport client's HTTP/3 layer).
 */
public final class QuicClient {
    private QuicClient() {}

    /** Connects and completes with the raw moq-lite connection once the handshake is done. */
    public static Future<QuicConnection> connect(EventLoopGroup group, QuicSslContext ssl, QuicTransportConfig config,
                                                 InetSocketAddress remote, String alpn) {
        return connect(group, ssl, config, remote, ch -> new QuicConnection(ch, alpn));
    }

    /**
     * Connects with {@code layer} made for the QUIC channel (added to its pipeline, and given the
     * peer's streams) and completes with it once the handshake is done. The ALPN is the SSL context's.
     */
    public static <T extends ChannelHandler & PeerStreamSink> Future<T> connect(
            EventLoopGroup group, QuicSslContext ssl, QuicTransportConfig config, InetSocketAddress remote,
            Function<QuicChannel, T> layer) {
        Promise<T> p = group.next().newPromise();
        ChannelHandler codec = QuicCodecs.apply(new QuicClientCodecBuilder(), config).sslContext(ssl).build();
        QuicCodecs.gro(new Bootstrap().group(group).channel(EventLoops.datagramChannel()), config)
                .handler(QuicCodecs.initializer(codec, config))
                .bind(new InetSocketAddress(remote.getAddress().isLoopbackAddress() ? remote.getAddress()
                        : new InetSocketAddress(0).getAddress(), 0))
                .addListener(bf -> {
                    if (!bf.isSuccess()) {
                        p.tryFailure(bf.cause());
                        return;
                    }
                    Channel udp = ((io.netty.channel.ChannelFuture) bf).channel();
                    List<T> holder = new ArrayList<>(1);
                    var bootstrap = QuicChannel.newBootstrap(udp);
                    var gso = QuicCodecs.gso(config);
                    if (gso != null) bootstrap.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, gso);
                    bootstrap
                            .handler(new ChannelInitializer<QuicChannel>() {
                                @Override
                                protected void initChannel(QuicChannel ch) {
                                    holder.add(layer.apply(ch));
                                    ch.pipeline().addLast(holder.get(0));
                                    ch.closeFuture().addListener(x -> udp.close());
                                }
                            })
                            .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                                @Override
                                protected void initChannel(QuicStreamChannel ch) {
                                    holder.get(0).onPeerStream(ch);
                                }
                            })
                            .remoteAddress(remote)
                            .connect()
                            .addListener(cf -> {
                                if (cf.isSuccess()) {
                                    p.trySuccess(holder.get(0));
                                } else {
                                    udp.close();
                                    p.tryFailure(cf.cause());
                                }
                            });
                });
        return p;
    }
}
