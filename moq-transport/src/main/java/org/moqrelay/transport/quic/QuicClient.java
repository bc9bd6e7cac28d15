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

/** Dials a raw-QUIC moq-lite connection (one UDP socket per client). */
public final class QuicClient {
    private QuicClient() {}

    /** Connects and completes with the connection once the handshake is done. */
    public static Future<QuicConnection> connect(EventLoopGroup group, QuicSslContext ssl, QuicTransportConfig config,
                                                 InetSocketAddress remote, String alpn) {
        Promise<QuicConnection> p = group.next().newPromise();
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
                    QuicConnection[] holder = new QuicConnection[1];
                    var bootstrap = QuicChannel.newBootstrap(udp);
                    var gso = QuicCodecs.gso(config);
                    if (gso != null) bootstrap.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, gso);
                    bootstrap
                            .handler(new ChannelInitializer<QuicChannel>() {
                                @Override
                                protected void initChannel(QuicChannel ch) {
                                    holder[0] = new QuicConnection(ch, alpn);
                                    ch.pipeline().addLast(holder[0]);
                                    ch.closeFuture().addListener(x -> udp.close());
                                }
                            })
                            .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                                @Override
                                protected void initChannel(QuicStreamChannel ch) {
                                    holder[0].onPeerStream(ch);
                                }
                            })
                            .remoteAddress(remote)
                            .connect()
                            .addListener(cf -> {
                                if (cf.isSuccess()) {
                                    p.trySuccess(holder[0]);
                                } else {
                                    udp.close();
                                    p.tryFailure(cf.cause());
                                }
                            });
                });
        return p;
    }
}
