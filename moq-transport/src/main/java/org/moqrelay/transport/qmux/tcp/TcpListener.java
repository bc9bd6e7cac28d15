package org.moqrelay.transport.qmux.tcp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.moqrelay.transport.MoqAcceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.moqrelay.transport.quic.EventLoops;

/**
 * Plain-TCP qmux-01 listener ({@code --server-tcp-bind}) for trusted local clients. The MoQ
 * version is agreed in-band: the first of OUR {@code application_protocols} that the client lists.
 */
public final class TcpListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TcpListener.class);
    private final Channel channel;

    private TcpListener(Channel channel) {
        this.channel = channel;
    }

    /**
     * {@code serverHandler} (or null) sees the listening socket's events, e.g. accept failures,
     * and a client has {@code handshakeTimeout} to send its transport parameters.
     */
    public static TcpListener bind(InetSocketAddress address, EventLoopGroup group, List<String> alpns,
                                   MoqAcceptor acceptor, io.netty.channel.ChannelHandler serverHandler,
                                   Duration handshakeTimeout) throws InterruptedException {
        if (!address.getAddress().isLoopbackAddress()) {
            log.warn("plain TCP listener on non-loopback {}: traffic is not encrypted", address);
        }
        ServerBootstrap b = new ServerBootstrap().group(group);
        if (serverHandler != null) b.handler(serverHandler);
        Channel ch = b
                .channel(EventLoops.serverSocketChannel(group))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel sc) {
                        StreamSessions.serve(sc, new TcpLink(sc), alpns, acceptor, handshakeTimeout);
                    }
                })
                .bind(address).sync().channel();
        log.info("TCP (qmux) listening on {}", ch.localAddress());
        return new TcpListener(ch);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5_000);
    }
}
