package org.moqrelay.relay.web;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Adds {@code Access-Control-Allow-Origin: *} to every response on its way out, so that handlers,
 * streamed responses and Netty's own error replies cannot forget it.
 */
@Sharable
final class CorsHeaderHandler extends ChannelOutboundHandlerAdapter {
    static final CorsHeaderHandler INSTANCE = new CorsHeaderHandler();

    private CorsHeaderHandler() {}

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && !response.headers().contains(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)) {
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        }
        ctx.write(msg, promise);
    }
}
