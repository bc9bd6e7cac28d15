package org.moqrelay.relay.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * Answers the GET requests of one route.
 *
 * <p>Called on the connection's event loop, so it must not block; it writes its response through
 * {@code ctx} (usually with {@link WebResponses#send}), now or later from any thread. The request is
 * released when {@code handle} returns: call {@code request.retain()} to keep it longer. A handler
 * may also take the connection over, for example to upgrade it to WebSocket. On the web listeners
 * the connection's next request waits until this one's response has been written in full
 * ({@link PipeliningHandler}), so every request must be answered, or its connection closed.
 */
@FunctionalInterface
public interface WebHandler {
    /** Handles {@code request}, which has already been checked to be a well-formed GET. */
    void handle(ChannelHandlerContext ctx, FullHttpRequest request);
}
