package org.moqrelay.relay.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.function.Function;
import org.slf4j.Logger;

/** Hands a checked GET to its route's handler: what the public and the internal HTTP listeners share. */
public final class WebDispatch {
    private WebDispatch() {}

    /**
     * Answers 400 and closes when the decoder gave up on the request (it cannot carry on with this
     * connection's byte stream); true if it did, and the request is done with.
     */
    public static boolean rejectUndecodable(ChannelHandlerContext ctx, FullHttpRequest request, Logger log) {
        if (!request.decoderResult().isFailure()) return false;
        log.debug("bad request from {}: {}", ctx.channel().remoteAddress(), request.decoderResult().cause().toString());
        WebResponses.sendAndClose(ctx, WebResponses.text(HttpResponseStatus.BAD_REQUEST, "bad request\n"));
        return true;
    }

    /**
     * Runs the handler {@code find} picks for the request's decoded path. A malformed path (bad
     * percent-encoding) gets 400; a handler that throws gets 500 and the connection closed, and is
     * logged on {@code log} as "{@code listener} handler for PATH failed".
     */
    public static void toHandler(ChannelHandlerContext ctx, FullHttpRequest request, Function<String, WebHandler> find,
                                 Logger log, String listener) {
        String path;
        try {
            path = new QueryStringDecoder(request.uri()).path();
        } catch (IllegalArgumentException e) {
            WebResponses.send(ctx, request, WebResponses.text(HttpResponseStatus.BAD_REQUEST, "bad request\n"));
            return;
        }
        try {
            find.apply(path).handle(ctx, request);
        } catch (RuntimeException e) {
            log.warn("{} handler for {} failed", listener, path, e);
            WebResponses.sendAndClose(ctx, WebResponses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n"));
        }
    }
}
