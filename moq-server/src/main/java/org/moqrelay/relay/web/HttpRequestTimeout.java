package org.moqrelay.relay.web;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an HTTP/1.1 connection that keeps the relay waiting for a request: a whole request must
 * arrive within the timeout of the connection opening, or of the last response having gone out.
 * So a silent socket, a request trickled in byte by byte (slowloris) and an idle keep-alive
 * connection are all dropped, while a request being answered, however long that takes (a
 * {@code /fetch} waits up to 30 s, then streams), is not timed. Sits after the aggregator, which
 * hands on whole requests only. Not sharable.
 */
public final class HttpRequestTimeout extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(HttpRequestTimeout.class);
    /** As long as hyper gives a client to send a request head, and as the relay's QUIC idle timeout. */
    public static final Duration DEFAULT = Duration.ofSeconds(30);

    private final long timeoutNanos;
    /** Requests received and not yet answered in full. */
    private int unanswered;
    /** The response being written is a final one (not 100 Continue, not 101 Switching Protocols). */
    private boolean finalResponse;
    private ScheduledFuture<?> timer;

    public HttpRequestTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        arm(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof FullHttpRequest) {
            unanswered++;
            disarm();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response) {
            finalResponse = response.status().codeClass() != HttpStatusClass.INFORMATIONAL;
        }
        if (msg instanceof LastHttpContent && finalResponse) {
            finalResponse = false;
            // Timed from when the last byte left, so a slow reader of a long response is not cut off.
            promise = promise.unvoid();
            promise.addListener(f -> answered(ctx));
        }
        ctx.write(msg, promise);
    }

    private void answered(ChannelHandlerContext ctx) {
        if (unanswered > 0) unanswered--;
        if (unanswered == 0 && ctx.channel().isActive() && !ctx.isRemoved()) arm(ctx);
    }

    private void arm(ChannelHandlerContext ctx) {
        disarm();
        timer = ctx.executor().schedule(() -> {
            log.debug("web connection {}: no request within {} ms, closing", ctx.channel(),
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
            ctx.close();
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
