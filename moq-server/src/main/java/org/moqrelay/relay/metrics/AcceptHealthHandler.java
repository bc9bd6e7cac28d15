package org.moqrelay.relay.metrics;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Objects;

/**
 * Feeds a listener's {@link AcceptHealth} from its server channel: each accepted child channel is a
 * success, each exception an accept failure. Install it with {@code ServerBootstrap.handler(...)};
 * it passes everything on, so Netty's acceptor still pauses accepting after a failure.
 */
@Sharable
public final class AcceptHealthHandler extends ChannelInboundHandlerAdapter {
    private final AcceptHealth health;

    public AcceptHealthHandler(AcceptHealth health) {
        this.health = Objects.requireNonNull(health, "health");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        health.accepted();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        health.failed(cause);
        ctx.fireExceptionCaught(cause);
    }
}
