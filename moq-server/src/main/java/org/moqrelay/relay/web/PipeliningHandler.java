package org.moqrelay.relay.web;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;

/**
 * Hands one connection's requests to the router one at a time: the next once the previous one's
 * response has been written in full and the client is taking what we write. HTTP/1.1 answers
 * pipelined requests in order, and the endpoints answer later (authorization; {@code /fetch} waits
 * for its broadcast), so without this, answers could overtake one another and one connection
 * could have many waits running at once. The reference's server (hyper) also serves one request
 * at a time. Requests that arrive meanwhile wait here, as many as Netty's codec lets a connection
 * have unanswered (128: one more closes the connection). Not sharable: it holds one connection's
 * state.
 */
final class PipeliningHandler extends ChannelDuplexHandler {
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean answering;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        waiting.add(request);
        next();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean last = msg instanceof LastHttpContent; // a whole response, or the end of a streamed one
        ctx.write(msg, promise);
        if (last && answering) {
            answering = false;
            // Later, not inside this write: the router would answer the next request re-entrantly.
            ctx.executor().execute(this::next);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) next();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseWaiting();
        ctx.fireChannelInactive();
    }

    /** Also on a WebSocket upgrade, which takes the connection over from HTTP. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseWaiting();
    }

    private void next() {
        if (!ctx.isRemoved() && !answering && ctx.channel().isWritable() && ctx.channel().isActive()) {
            FullHttpRequest request = waiting.poll();
            if (request != null) {
                answering = true;
                ctx.fireChannelRead(request);
            }
        }
    }

    private void releaseWaiting() {
        FullHttpRequest request;
        while ((request = waiting.poll()) != null) request.release();
    }
}
