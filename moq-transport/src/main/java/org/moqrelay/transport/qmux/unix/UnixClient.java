package org.moqrelay.transport.qmux.unix;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.nio.file.Path;
import java.util.List;
import org.moqrelay.transport.qmux.QmuxConnection;
import org.moqrelay.transport.qmux.tcp.StreamSessions;
import org.moqrelay.transport.qmux.tcp.TcpLink;

/** Dials a qmux-01 connection over a Unix domain socket and waits for the in-band protocol agreement. */
public final class UnixClient {
    private UnixClient() {}

    /**
     * Completes once the server's transport parameters named a protocol we offered.
     *
     * @param group an epoll group
     */
    public static Future<QmuxConnection> connect(EventLoopGroup group, Path socket, List<String> alpns) {
        DomainSockets.requireEpoll(group);
        Promise<QmuxConnection> p = group.next().newPromise();
        String label = "unix " + socket;
        new Bootstrap().group(group)
                .channel(EpollDomainSocketChannel.class)
                .handler(new ChannelInitializer<EpollDomainSocketChannel>() {
                    @Override
                    protected void initChannel(EpollDomainSocketChannel ch) {
                        StreamSessions.dial(ch, new TcpLink(ch, "unix", label), alpns, p);
                    }
                })
                .connect(new DomainSocketAddress(socket.toString()))
                .addListener(f -> {
                    if (!f.isSuccess()) p.tryFailure(f.cause());
                });
        return p;
    }
}
