package org.moqrelay.transport.qmux.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.List;
import org.moqrelay.transport.qmux.QmuxConnection;
import org.moqrelay.transport.qmux.wire.QmuxParams;
import org.moqrelay.transport.qmux.wire.QmuxVersion;

/** Dials a plain-TCP qmux-01 connection and waits for the in-band protocol agreement. */
public final class TcpClient {
    private TcpClient() {}

    /** Completes once the server's transport parameters named a protocol we offered. */
    public static Future<QmuxConnection> connect(EventLoopGroup group, InetSocketAddress remote, List<String> alpns) {
        Promise<QmuxConnection> p = group.next().newPromise();
        new Bootstrap().group(group)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel sc) {
                        TcpLink link = new TcpLink(sc);
                        QmuxConnection conn = new QmuxConnection(link, QmuxVersion.QMUX_01, false,
                                QmuxParams.DEFAULTS.withApplicationProtocols(alpns), "", null);
                        link.attach(conn);
                        conn.onPeerParams(params -> {
                            // The server chose: the first of its list that we also offered.
                            String chosen = params.applicationProtocols().stream().filter(alpns::contains).findFirst().orElse(null);
                            if (chosen == null) {
                                p.tryFailure(new IllegalStateException("server speaks none of " + alpns + ": "
                                        + params.applicationProtocols()));
                                sc.close();
                                return;
                            }
                            conn.protocol(chosen);
                            p.trySuccess(conn);
                        });
                        sc.pipeline().addLast(link);
                        sc.closeFuture().addListener(f -> p.tryFailure(new IllegalStateException("connection closed")));
                    }
                })
                .connect(remote)
                .addListener(f -> {
                    // Our parameters are sent by TcpLink.channelActive, before anything is read:
                    // otherwise the server's parameters could start the session and let it send
                    // STREAM frames ahead of our QX_TRANSPORT_PARAMETERS.
                    if (!f.isSuccess()) p.tryFailure(f.cause());
                });
        return p;
    }
}
