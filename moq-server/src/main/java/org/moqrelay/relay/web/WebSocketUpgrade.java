package org.moqrelay.relay.web;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.moqrelay.session.lite.Authorizer;
import org.moqrelay.transport.MoqAcceptor;
import org.moqrelay.transport.qmux.QmuxConnection;
import org.moqrelay.transport.qmux.wire.QmuxParams;
import org.moqrelay.transport.qmux.ws.WebSocketLink;
import org.moqrelay.transport.qmux.ws.WebSocketSubprotocols;
import org.moqrelay.wire.LiteVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades a request on any path to a qmux-over-WebSocket MoQ session (spec/transports.md §3):
 * the subprotocol is picked by our preference; an offer with nothing acceptable gets 400; the
 * path and {@code ?jwt=} are checked before the upgrade (401 when refused).
 */
public final class WebSocketUpgrade implements WebHandler {
    private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrade.class);
    /** The largest WebSocket message accepted (a qmux record is at most 16 KiB by default). */
    static final int MAX_MESSAGE = 1 << 20;
    /** qmux-01's default record size: the most we put in one message. */
    static final int SEND_MESSAGE = 16_382;

    private final WebSocketSubprotocols subprotocols;
    private final Authorizer authorizer;
    private final MoqAcceptor acceptor;

    public WebSocketUpgrade(List<String> alpns, Authorizer authorizer, MoqAcceptor acceptor) {
        this.subprotocols = new WebSocketSubprotocols(alpns);
        this.authorizer = authorizer;
        this.acceptor = acceptor;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        List<String> offered = offered(request);
        WebSocketSubprotocols.Choice choice;
        if (offered.isEmpty()) {
            choice = WebSocketSubprotocols.parse("webtransport");
        } else {
            Optional<WebSocketSubprotocols.Choice> c = subprotocols.select(offered);
            if (c.isEmpty()) {
                WebResponses.send(ctx, request, WebResponses.text(HttpResponseStatus.BAD_REQUEST,
                        "no supported WebSocket subprotocol; this relay speaks " + subprotocols.preference() + "\n"));
                return;
            }
            choice = c.get();
        }
        request.retain();
        WebSocketSubprotocols.Choice chosen = choice;
        authorizer.authorize(request.uri()).whenComplete((grant, err) -> ctx.executor().execute(() -> {
            try {
                if (err != null) {
                    Throwable cause = err instanceof java.util.concurrent.CompletionException ? err.getCause() : err;
                    log.info("websocket upgrade from {} refused: {}", ctx.channel().remoteAddress(), cause.getMessage());
                    int status = cause instanceof org.moqrelay.session.lite.SessionRefusedException r ? r.httpStatus() : 401;
                    WebResponses.send(ctx, request, WebResponses.text(HttpResponseStatus.valueOf(status),
                            status == 401 ? "unauthorized\n" : "authorization unavailable\n"));
                } else if (ctx.channel().isActive()) {
                    upgrade(ctx, request, offered, chosen);
                }
            } finally {
                request.release();
            }
        }));
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, List<String> offered,
                         WebSocketSubprotocols.Choice choice) {
        String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://" + host + request.uri(), offered.isEmpty() ? null : choice.subprotocol(), false, MAX_MESSAGE)
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        Channel ch = ctx.channel();
        handshaker.handshake(ch, request);
        ChannelPipeline p = ch.pipeline();
        for (String name : List.of(WebServerInitializer.CORS, WebServerInitializer.KEEP_ALIVE, WebServerInitializer.ROUTER)) {
            if (p.get(name) != null) p.remove(name);
        }
        WebSocketLink link = new WebSocketLink(ch, SEND_MESSAGE, offered.isEmpty() ? "(none)" : choice.subprotocol());
        p.addLast(new IdleStateHandler(30, 5, 0, TimeUnit.SECONDS));
        p.addLast(new WebSocketFrameAggregator(MAX_MESSAGE));
        p.addLast(link);
        QmuxConnection conn = new QmuxConnection(link, choice.framing(), true, QmuxParams.DEFAULTS, choice.alpn(), request.uri());
        link.attach(conn);
        conn.start();
        acceptor.accept(conn, LiteVersion.fromAlpn(choice.alpn()));
    }

    /** The client's {@code Sec-WebSocket-Protocol} entries, in its order. */
    private static List<String> offered(FullHttpRequest request) {
        List<String> out = new ArrayList<>();
        for (String header : request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
            for (String part : header.split(",")) {
                String t = part.trim();
                if (!t.isEmpty()) out.add(t);
            }
        }
        return out;
    }
}
