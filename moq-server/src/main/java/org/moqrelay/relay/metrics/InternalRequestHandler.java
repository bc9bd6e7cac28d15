package org.moqrelay.relay.metrics;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.moqrelay.relay.web.WebResponses;
import org.moqrelay.relay.web.WebRoute;
import org.moqrelay.relay.web.WebRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dispatches the internal listener's GET requests to its routes; anything else is 404 or 405. */
@Sharable
final class InternalRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(InternalRequestHandler.class);

    private final WebRoutes routes;

    InternalRequestHandler(WebRoutes routes) {
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            WebResponses.sendAndClose(ctx, WebResponses.text(HttpResponseStatus.BAD_REQUEST, "bad request\n"));
            return;
        }
        if (!HttpMethod.GET.equals(request.method())) {
            FullHttpResponse response = WebResponses.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n");
            response.headers().set(HttpHeaderNames.ALLOW, "GET");
            WebResponses.send(ctx, request, response);
            return;
        }
        String path;
        try {
            path = new QueryStringDecoder(request.uri()).path();
        } catch (IllegalArgumentException e) {
            WebResponses.send(ctx, request, WebResponses.text(HttpResponseStatus.BAD_REQUEST, "bad request\n"));
            return;
        }
        for (WebRoute route : routes.routes()) {
            if (route.matches(path)) {
                try {
                    route.handler().handle(ctx, request);
                } catch (RuntimeException e) {
                    log.warn("internal handler for {} failed", path, e);
                    WebResponses.sendAndClose(ctx, WebResponses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n"));
                }
                return;
            }
        }
        WebResponses.send(ctx, request, WebResponses.text(HttpResponseStatus.NOT_FOUND, "not found\n"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("internal connection {} failed", ctx.channel(), cause);
        ctx.close();
    }
}
