package org.moqrelay.relay.web;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.moqrelay.transport.quic.EventLoops;

/**
 * The relay's HTTP/1.1 listener on TCP ({@code --web-http-listen}), serving the routes of a
 * {@link WebRoutes}.
 *
 * <p>Thread-safe. {@link #start} and {@link #close} wait (bounded) for the socket, so call them from
 * a start-up or shutdown thread, never from an event loop.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    private static final long CLOSE_TIMEOUT_SECONDS = 5;

    private final Channel listener;
    private final ChannelGroup channels;
    private final EventLoopGroup ownedGroup;
    private final AtomicBoolean closed;

    private WebServer(Channel listener, ChannelGroup channels, EventLoopGroup ownedGroup, AtomicBoolean closed) {
        this.listener = listener;
        this.channels = channels;
        this.ownedGroup = ownedGroup;
        this.closed = closed;
    }

    /** Binds {@code bind} (port 0 picks a free port) on a single NIO event-loop thread of its own. */
    public static WebServer start(InetSocketAddress bind, WebRoutes routes) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("moq-web"), NioIoHandler.newFactory());
        try {
            return start(bind, routes, group, true);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * The full form: {@code ssl} (or null for plain HTTP), {@code serverHandler} (or null) on the
     * listening socket, e.g. to count accept failures, and a connection closed when no whole
     * request arrives within {@code requestTimeout} of it opening or going idle.
     */
    public static WebServer start(InetSocketAddress bind, WebRoutes routes, EventLoopGroup group,
                                  io.netty.handler.ssl.SslContext ssl, io.netty.channel.ChannelHandler serverHandler,
                                  Duration requestTimeout) {
        return start(bind, routes, group, false, ssl, serverHandler, requestTimeout);
    }

    /**
     * Binds {@code bind} (port 0 picks a free port) on {@code group}, an NIO or epoll group that the
     * caller keeps owning: {@link #close} leaves it running.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static WebServer start(InetSocketAddress bind, WebRoutes routes, EventLoopGroup group) {
        return start(bind, routes, group, false);
    }

    private static WebServer start(InetSocketAddress bind, WebRoutes routes, EventLoopGroup group, boolean owned) {
        return start(bind, routes, group, owned, null, null, HttpRequestTimeout.DEFAULT);
    }

    private static WebServer start(InetSocketAddress bind, WebRoutes routes, EventLoopGroup group, boolean owned,
                                   io.netty.handler.ssl.SslContext ssl, io.netty.channel.ChannelHandler serverHandler,
                                   Duration requestTimeout) {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(group, "group");
        ChannelGroup channels = new DefaultChannelGroup("moq-web", GlobalEventExecutor.INSTANCE);
        AtomicBoolean closed = new AtomicBoolean();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(EventLoops.serverSocketChannel(group))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .handler(serverHandler != null ? serverHandler : new io.netty.channel.ChannelInboundHandlerAdapter())
                .childHandler(new WebServerInitializer(routes, ch -> {
                    if (ssl != null) ch.pipeline().addFirst("tls", ssl.newHandler(ch.alloc()));
                    track(channels, closed, ch);
                }, requestTimeout));
        ChannelFuture bound = bootstrap.bind(bind).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            String message = "cannot listen for HTTP on " + bind + ": " + cause.getMessage();
            throw cause instanceof IOException io ? new UncheckedIOException(message, io) : new IllegalStateException(message, cause);
        }
        channels.add(bound.channel());
        WebServer server = new WebServer(bound.channel(), channels, owned ? group : null, closed);
        log.info("web server listening on {}://{}", ssl == null ? "http" : "https",
                io.netty.util.NetUtil.toSocketAddressString(server.localAddress()));
        return server;
    }

    /** The bound address, with the actual port when 0 was asked for. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Stops listening, closes every open connection and, if it made its own, stops its thread. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean done = channels.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (ownedGroup != null) {
            done &= ownedGroup.shutdownGracefully(0, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        if (!done) {
            log.warn("web server on {} did not close within {} s", listener.localAddress(), CLOSE_TIMEOUT_SECONDS);
        }
    }

    private static void track(ChannelGroup channels, AtomicBoolean closed, SocketChannel ch) {
        channels.add(ch);
        // A connection accepted while close() ran may have missed the group's close.
        if (closed.get()) {
            ch.close();
        }
    }

}
