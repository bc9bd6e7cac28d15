package org.moqrelay.transport.qmux.ws;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.URI;
import java.util.List;
import org.moqrelay.transport.qmux.QmuxConnection;
import org.moqrelay.transport.quic.EventLoops;

/**
 * Dials qmux over a WebSocket ({@code ws://} or {@code wss://}), as {@code @moq/net} does when
 * WebTransport is missing: it offers {@code qmux-01.<alpn>} for each of our ALPNs, most preferred
 * first, and the relay's choice of subprotocol fixes both the framing and the MoQ version.
 */
public final class WebSocketClient {
    private static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private WebSocketClient() {}

    /**
     * Completes once the upgrade is done and our qmux parameters are on their way.
     *
     * @param ssl TLS for {@code wss://}; null for {@code ws://}
     */
    public static Future<QmuxConnection> connect(EventLoopGroup group, URI url, SslContext ssl, List<String> alpns) {
        return connect(group, url, ssl, alpns, HANDSHAKE_TIMEOUT_MILLIS);
    }

    /** As {@link #connect(EventLoopGroup, URI, SslContext, List)}, giving up on the upgrade after {@code timeoutMillis}. */
    static Future<QmuxConnection> connect(EventLoopGroup group, URI url, SslContext ssl, List<String> alpns, long timeoutMillis) {
        Promise<QmuxConnection> result = group.next().newPromise();
        if (alpns.isEmpty()) return result.setFailure(new IllegalArgumentException("no MoQ version to offer"));
        boolean secure = "wss".equals(url.getScheme());
        if (secure != (ssl != null)) {
            return result.setFailure(new IllegalArgumentException("wss:// needs TLS and ws:// none: " + url));
        }
        int port = url.getPort() > 0 ? url.getPort() : secure ? 443 : 80;
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(url)
                .subprotocol(String.join(",", alpns.stream().map(a -> "qmux-01." + a).toList()))
                .maxFramePayloadLength(WebSocketLink.MAX_MESSAGE)
                .handleCloseFrames(false) // the link answers a close as the relay's side does
                .dropPongFrames(false)
                .handshakeTimeoutMillis(timeoutMillis)
                .build();
        new Bootstrap().group(group)
                .channel(EventLoops.socketChannel(group))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) p.addLast(ssl.newHandler(ch.alloc(), url.getHost(), port));
                        WebSocketClientProtocolHandler ws = new WebSocketClientProtocolHandler(config);
                        p.addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024), ws,
                                new Upgraded(ws, result, timeoutMillis));
                        ch.closeFuture().addListener(f -> result.tryFailure(
                                new IllegalStateException("connection to " + url + " closed during the upgrade")));
                    }
                })
                .connect(url.getHost(), port)
                .addListener(f -> {
                    if (!f.isSuccess()) result.tryFailure(f.cause());
                });
        return result;
    }

    /** Waits for the upgrade, then puts the qmux session on the WebSocket in its own place. */
    private static final class Upgraded extends ChannelInboundHandlerAdapter {
        private final WebSocketClientProtocolHandler ws;
        private final Promise<QmuxConnection> result;
        private final long timeoutMillis;

        Upgraded(WebSocketClientProtocolHandler ws, Promise<QmuxConnection> result, long timeoutMillis) {
            this.ws = ws;
            this.result = result;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A refused upgrade (the relay's status is in the message) or a failed TLS handshake:
            // reported before the channel closes, so the caller learns why and not just "closed".
            result.tryFailure(cause);
            ctx.close();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess()) {
                result.tryFailure(tls.cause());
                ctx.close();
                return;
            }
            if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                result.tryFailure(new IllegalStateException("no WebSocket upgrade within " + timeoutMillis + " ms"));
                ctx.close();
                return;
            }
            if (evt != ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                ctx.fireUserEventTriggered(evt);
                return;
            }
            // Netty's handshaker has already failed an answer naming none of our offers.
            String chosen = ws.handshaker().actualSubprotocol();
            WebSocketSubprotocols.Choice choice = WebSocketSubprotocols.parse(chosen);
            try {
                ctx.pipeline().remove(this);
                QmuxConnection conn = WebSocketLink.install(ctx.channel(), chosen, choice, false, null,
                        QmuxConnection.DEFAULT_HANDSHAKE_TIMEOUT);
                result.trySuccess(conn);
            } catch (RuntimeException e) {
                result.tryFailure(e);
                ctx.close();
            }
        }
    }
}
