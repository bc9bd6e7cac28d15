package org.moqrelay.relay.web;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.time.Duration;
import java.util.function.Consumer;

/** Builds the pipeline of one HTTP/1.1 connection to the web listener. */
final class WebServerInitializer extends ChannelInitializer<SocketChannel> {
    /** Largest request, headers excluded, that is aggregated; the endpoints take no request bodies. */
    static final int MAX_REQUEST_BYTES = 64 * 1024;

    static final String HTTP_CODEC = "http-codec";
    static final String CORS = "cors";
    static final String KEEP_ALIVE = "keep-alive";
    static final String AGGREGATOR = "aggregator";
    static final String REQUEST_TIMEOUT = "request-timeout";
    static final String PIPELINING = "pipelining";
    static final String ROUTER = "router";

    private final WebRequestHandler router;
    private final Consumer<SocketChannel> onConnection;
    private final Duration requestTimeout;

    WebServerInitializer(WebRoutes routes, Consumer<SocketChannel> onConnection, Duration requestTimeout) {
        this.router = new WebRequestHandler(routes);
        this.onConnection = onConnection;
        this.requestTimeout = requestTimeout;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        onConnection.accept(ch);
        ChannelPipeline pipeline = ch.pipeline();
        pipeline.addLast(HTTP_CODEC, new HttpServerCodec());
        // Next to the codec, so that responses written by the aggregator (413, 100) get CORS too.
        pipeline.addLast(CORS, CorsHeaderHandler.INSTANCE);
        pipeline.addLast(KEEP_ALIVE, new HttpServerKeepAliveHandler());
        pipeline.addLast(AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST_BYTES));
        // Times the wait for each request as it arrives, before the requests queued behind an answer.
        pipeline.addLast(REQUEST_TIMEOUT, new HttpRequestTimeout(requestTimeout));
        // Answers pipelined requests one at a time, in order (the codec closes a connection with more than 128 unanswered).
        pipeline.addLast(PIPELINING, new PipeliningHandler());
        pipeline.addLast(ROUTER, router);
    }
}
