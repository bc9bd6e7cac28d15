package org.moqrelay.transport.quic;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Event loop groups and UDP channel classes: epoll where the native transport loads, NIO otherwise. */
public final class EventLoops {
    private EventLoops() {}

    public static EventLoopGroup newGroup(int threads, String name) {
        DefaultThreadFactory tf = new DefaultThreadFactory(name, true);
        return Epoll.isAvailable()
                ? new MultiThreadIoEventLoopGroup(threads, tf, EpollIoHandler.newFactory())
                : new MultiThreadIoEventLoopGroup(threads, tf, NioIoHandler.newFactory());
    }

    /** Whether {@code group} runs Netty's native epoll transport (what SO_REUSEPORT and Unix sockets need). */
    public static boolean isEpoll(EventLoopGroup group) {
        // A class literal does not initialise EpollIoHandler, so this loads no native code for NIO.
        return group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class);
    }

    /** The TCP client channel class for {@code group}'s transport. */
    public static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
        return isEpoll(group) ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** The TCP server channel class for {@code group}'s transport. */
    public static Class<? extends ServerSocketChannel> serverSocketChannel(EventLoopGroup group) {
        return isEpoll(group) ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The UDP channel class matching {@link #newGroup}. */
    public static Class<? extends DatagramChannel> datagramChannel() {
        return Epoll.isAvailable() ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }
}
