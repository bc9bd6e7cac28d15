package org.moqrelay.transport.qmux.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.moqrelay.transport.qmux.QmuxConnection;
import org.moqrelay.transport.qmux.QmuxLink;
import org.moqrelay.transport.qmux.wire.QmuxParams;

/**
 * The WebSocket under a qmux session, after the upgrade: binary messages in and out, pings every
 * 5 s, and the connection dropped after 30 s without hearing anything (the reference's keep-alive).
 * Text messages are a protocol error.
 */
public final class WebSocketLink extends ChannelInboundHandlerAdapter implements QmuxLink {
    /** The largest WebSocket message accepted (a qmux record is at most 16 KiB by default). */
    public static final int MAX_MESSAGE = 1 << 20;

    private final Channel channel;
    private final int maxMessage;
    private QmuxConnection connection;

    private final String subprotocol;

    public WebSocketLink(Channel channel, int maxMessage, String subprotocol) {
        this.channel = channel;
        this.maxMessage = maxMessage;
        this.subprotocol = subprotocol;
    }

    /**
     * Puts a qmux session on the upgraded WebSocket {@code ch}, after its last handler: a ping
     * every 5 s and a drop after 30 s of silence, messages joined up to {@link #MAX_MESSAGE}, and
     * the link, which sends at most one default qmux record per message. Returns the connection,
     * started (our parameters are on their way; the peer's must follow within
     * {@code handshakeTimeout}). Call on the channel's event loop; either side.
     */
    public static QmuxConnection install(Channel ch, String subprotocol, WebSocketSubprotocols.Choice choice, boolean server,
                                         String requestPath, java.time.Duration handshakeTimeout) {
        WebSocketLink link = new WebSocketLink(ch, (int) QmuxParams.DEFAULT_MAX_RECORD_SIZE, subprotocol);
        QmuxConnection conn = new QmuxConnection(link, choice.framing(), server, QmuxParams.DEFAULTS, choice.alpn(), requestPath);
        conn.handshakeTimeout(handshakeTimeout);
        link.attach(conn);
        // WebSocket Pings every 5 s; a silent connection is dropped after 30 s only on the framings
        // without QX_PING, whose idle timeout the qmux session keeps itself (QmuxTimers).
        int readerIdle = choice.framing().hasPing() ? 0 : 30;
        ch.pipeline().addLast(new IdleStateHandler(readerIdle, 5, 0, TimeUnit.SECONDS), new WebSocketFrameAggregator(MAX_MESSAGE), link);
        conn.start();
        return conn;
    }

    public void attach(QmuxConnection c) {
        connection = c;
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public void send(ByteBuf frames) {
        channel.write(new BinaryWebSocketFrame(frames), channel.voidPromise());
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public long backlog() {
        return channel.bytesBeforeWritable();
    }

    @Override
    public void close() {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void abort() {
        channel.close();
    }

    @Override
    public int maxMessageSize() {
        return maxMessage;
    }

    @Override
    public String describe() {
        return "websocket(" + subprotocol + ") " + channel.remoteAddress();
    }

    @Override
    public String transport() {
        return "websocket";
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        switch (frame) {
            case BinaryWebSocketFrame b -> connection.onMessage(b.content());
            case PingWebSocketFrame p -> {
                ctx.writeAndFlush(new PongWebSocketFrame(p.content()));
                connection.checkBacklog(); // a ping flood from a peer that reads nothing ends here
            }
            case PongWebSocketFrame p -> p.release();
            case CloseWebSocketFrame c -> {
                c.release();
                connection.onLinkClosed();
                ctx.close();
            }
            default -> {
                frame.release();
                // A connection error (transports.md §3.3): transport CONNECTION_CLOSE PROTOCOL_VIOLATION.
                connection.protocolError(0xa, "text messages are not allowed");
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                connection.close(0x1, "idle timeout");
            } else if (idle.state() == IdleState.WRITER_IDLE) {
                ctx.writeAndFlush(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER));
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable() && connection != null) connection.onLinkWritable();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connection != null) connection.onLinkClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException && channel.isActive()) {
            // The aggregator refused a message of several frames over the limit: close with 1009,
            // as the frame decoder already does for a single oversize frame, not with a bare reset.
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG, "message too big"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.close();
    }
}
