package org.moqrelay.relay.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletionException;
import org.moqrelay.session.lite.SessionRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a request the authorizer refused with the refusal's status, as the reference's
 * {@code AuthError} responses do: 401, 502 when a key or the auth API could not be reached, 500
 * when no request URL could be made.
 */
final class Refusals {
    private static final Logger log = LoggerFactory.getLogger(Refusals.class);

    private Refusals() {
    }

    /** Sends the refusal of {@code what} (e.g. "websocket upgrade") and logs why. */
    static void send(ChannelHandlerContext ctx, HttpRequest request, Throwable err, String what) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        int status = cause instanceof SessionRefusedException r ? r.httpStatus() : 401;
        log.info("{} from {} refused ({}): {}", what, ctx.channel().remoteAddress(), status, cause.getMessage());
        String body = switch (status) {
            case 401 -> "unauthorized\n";
            case 502 -> "authorization unavailable\n";
            default -> "authorization failed\n";
        };
        WebResponses.send(ctx, request, WebResponses.text(HttpResponseStatus.valueOf(status), body));
    }
}
