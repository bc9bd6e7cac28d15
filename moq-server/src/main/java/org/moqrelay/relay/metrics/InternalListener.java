package org.moqrelay.relay.metrics;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.moqrelay.relay.web.HttpRequestTimeout;
import org.moqrelay.relay.web.WebHandler;
import org.moqrelay.relay.web.WebResponses;
import org.moqrelay.relay.web.WebRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal ops listener ({@code --internal-listen}): plain, unauthenticated HTTP/1.1 serving
 * {@code GET /health} ({@code ok\n}), {@code GET /metrics} (Prometheus text) and {@code GET /nodes}
 * (no cluster yet: an empty list). Bind it to loopback or a private network only.
 *
 * <p>It runs on an event-loop thread of its own, so a scrape (which reads {@code /proc} for the
 * process metrics) never holds up a session's loop. Its accepts are reported as
 * {@code listener="internal"}. {@link #start} and {@link #close} wait (bounded) for the socket:
 * call them from a start-up or shutdown thread.
 */
public final class InternalListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InternalListener.class);
    private static final long CLOSE_TIMEOUT_SECONDS = 5;
    /** Largest request aggregated; the endpoints take no bodies. */
    private static final int MAX_REQUEST_BYTES = 8 * 1024;
    // The reference's topology snapshot without a cluster attached.
    private static final WebHandler NODES = (ctx, request) -> WebResponses.send(ctx, request,
            body("application/json", "{\"nodes\":[]}"));

    private final Channel listener;
    private final ChannelGroup channels;
    private final EventLoopGroup group;

    private InternalListener(Channel listener, ChannelGroup channels, EventLoopGroup group) {
        this.listener = listener;
        this.channels = channels;
        this.group = group;
    }

    /**
     * Binds {@code bind} (port 0 picks a free port) and serves {@code metrics}.
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static InternalListener start(InetSocketAddress bind, RelayMetrics metrics, java.time.Duration requestTimeout) {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(metrics, "metrics");
        WebRoutes routes = routes(metrics);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("moq-internal"), NioIoHandler.newFactory());
        ChannelGroup channels = new DefaultChannelGroup("moq-internal", GlobalEventExecutor.INSTANCE);
        InternalRequestHandler router = new InternalRequestHandler(routes);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new AcceptHealthHandler(metrics.acceptHealth("internal")))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                new HttpObjectAggregator(MAX_REQUEST_BYTES), new HttpRequestTimeout(requestTimeout),
                                router);
                    }
                });
        ChannelFuture bound = bootstrap.bind(bind).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            Throwable cause = bound.cause();
            String message = "cannot listen for internal HTTP on " + bind + ": " + cause.getMessage();
            throw cause instanceof IOException io ? new UncheckedIOException(message, io) : new IllegalStateException(message, cause);
        }
        channels.add(bound.channel());
        InternalListener server = new InternalListener(bound.channel(), channels, group);
        InetSocketAddress at = server.localAddress();
        log.info("internal listener on http://{}:{} (/metrics, /health)", at.getHostString(), at.getPort());
        return server;
    }

    /** The ops routes over {@code metrics}. */
    static WebRoutes routes(RelayMetrics metrics) {
        return WebRoutes.builder()
                .exact("/health", (ctx, request) -> WebResponses.send(ctx, request,
                        WebResponses.text(HttpResponseStatus.OK, "ok\n")))
                .exact("/metrics", (ctx, request) -> WebResponses.send(ctx, request,
                        body(RelayMetrics.CONTENT_TYPE, metrics.scrape())))
                .exact("/nodes", NODES)
                .build();
    }

    private static FullHttpResponse body(String contentType, String text) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return response;
    }

    /** The bound address, with the actual port when 0 was asked for. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Stops listening, closes every open connection and stops the listener's thread. */
    @Override
    public void close() {
        boolean done = channels.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        done &= group.shutdownGracefully(0, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!done) log.warn("internal listener on {} did not close within {} s", listener.localAddress(), CLOSE_TIMEOUT_SECONDS);
    }
}
