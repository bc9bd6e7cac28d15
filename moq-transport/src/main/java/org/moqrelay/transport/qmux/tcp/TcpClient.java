package org.moqrelay.transport.qmux.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.List;
import org.moqrelay.transport.qmux.QmuxConnection;
import org.moqrelay.transport.quic.EventLoops;

/** Dials a plain-TCP qmux-01 connection and waits for the in-band protocol agreement. */
public final class TcpClient {
    private TcpClient() {}

    /** Completes once the server's transport parameters named a protocol we offered. */
    public static Future<QmuxConnection> connect(EventLoopGroup group, InetSocketAddress remote, List<String> alpns) {
        Promise<QmuxConnection> p = group.next().newPromise();
        new Bootstrap().group(group)
                .channel(EventLoops.socketChannel(group))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel sc) {
                        StreamSessions.dial(sc, new TcpLink(sc), alpns, p);
                    }
                })
                .connect(remote)
                .addListener(f -> {
                    if (!f.isSuccess()) p.tryFailure(f.cause());
                });
        return p;
    }
}
