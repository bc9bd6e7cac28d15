package org.moqrelay.relay.web;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks method and well-formedness of each request, answers CORS preflights, and dispatches GETs. */
@Sharable
final class WebRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(WebRequestHandler.class);

    private final WebRoutes routes;

    WebRequestHandler(WebRoutes routes) {
        this.routes = Objects.requireNonNull(routes, "routes");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (WebDispatch.rejectUndecodable(ctx, request, log)) return;
        HttpMethod method = request.method();
        if (HttpMethod.OPTIONS.equals(method)) {
            FullHttpResponse response = WebResponses.empty(HttpResponseStatus.NO_CONTENT);
            response.headers()
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET")
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "*");
            WebResponses.send(ctx, request, response);
            return;
        }
        if (HttpMethod.GET.equals(method) && routes.websocket() != null
                && request.headers().containsValue(HttpHeaderNames.UPGRADE, "websocket", true)) {
            routes.websocket().handle(ctx, request);
            return;
        }
        if (!HttpMethod.GET.equals(method)) {
            WebResponses.send(ctx, request, WebResponses.methodNotAllowed("GET, OPTIONS"));
            return;
        }
        WebDispatch.toHandler(ctx, request, routes::find, log, "web");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and timeouts from browsers are routine on a public port: not worth a warning.
        log.debug("web connection {} failed", ctx.channel(), cause);
        ctx.close();
    }
}
