package org.moqrelay.relay.metrics;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.moqrelay.relay.web.WebDispatch;
import org.moqrelay.relay.web.WebHandler;
import org.moqrelay.relay.web.WebResponses;
import org.moqrelay.relay.web.WebRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dispatches the internal listener's GET requests to its routes; anything else is 404 or 405. */
@Sharable
final class InternalRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(InternalRequestHandler.class);

    private static final WebHandler NOT_FOUND = (ctx, request) -> WebResponses.send(ctx, request,
            WebResponses.text(HttpResponseStatus.NOT_FOUND, "not found\n"));

    private final WebRoutes routes;

    InternalRequestHandler(WebRoutes routes) {
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (WebDispatch.rejectUndecodable(ctx, request, log)) return;
        if (!HttpMethod.GET.equals(request.method())) {
            WebResponses.send(ctx, request, WebResponses.methodNotAllowed("GET"));
            return;
        }
        WebDispatch.toHandler(ctx, request, path -> routes.find(path, NOT_FOUND), log, "internal");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("internal connection {} failed", ctx.channel(), cause);
        ctx.close();
    }
}
