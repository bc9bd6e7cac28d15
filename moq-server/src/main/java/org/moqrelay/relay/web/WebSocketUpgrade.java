package org.moqrelay.relay.web;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.moqrelay.session.lite.Authorizer;
import org.moqrelay.transport.quic.PeerCertificates;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.transport.Authorities;
import org.moqrelay.transport.qmux.QmuxConnection;
import org.moqrelay.transport.qmux.ws.WebSocketLink;
import org.moqrelay.transport.qmux.ws.WebSocketSubprotocols;
import org.moqrelay.wire.LiteVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades a request on any path to a qmux-over-WebSocket MoQ session (spec/transports.md §3):
 * the subprotocol is picked by our preference; an offer with nothing acceptable gets 400; the
 * path, {@code ?jwt=} and {@code Host} are checked before the upgrade, which is refused with the
 * refusal's status (401; 502 when a key or the auth API cannot be reached), and the session starts
 * with that decision.
 */
public final class WebSocketUpgrade implements WebHandler {
    private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrade.class);

    /** Starts the session of an upgraded connection with the grant its upgrade request got. */
    @FunctionalInterface
    public interface SessionStarter {
        void start(Connection connection, LiteVersion version, Authorizer.Grant grant);
    }

    private final WebSocketSubprotocols subprotocols;
    private final Authorizer authorizer;
    private final SessionStarter sessions;
    private final Duration handshakeTimeout;

    /** An upgraded client has {@code handshakeTimeout} to send its qmux transport parameters. */
    public WebSocketUpgrade(List<String> alpns, Authorizer authorizer, SessionStarter sessions, Duration handshakeTimeout) {
        this.subprotocols = new WebSocketSubprotocols(alpns);
        this.authorizer = authorizer;
        this.sessions = sessions;
        this.handshakeTimeout = handshakeTimeout;
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
        // A client certificate verified by the HTTPS listener (web.https.root) stands in for a token.
        Authorizer.Request auth = new Authorizer.Request(request.uri(), host(request), "websocket",
                PeerCertificates.ofTls(ctx.channel()));
        authorizer.authorize(auth).whenComplete((grant, err) -> ctx.executor().execute(() -> {
            try {
                if (err != null) {
                    Refusals.send(ctx, request, err, "websocket upgrade");
                } else if (ctx.channel().isActive()) {
                    upgrade(ctx, request, offered, chosen, grant);
                }
            } finally {
                request.release();
            }
        }));
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, List<String> offered,
                         WebSocketSubprotocols.Choice choice, Authorizer.Grant grant) {
        String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://" + host + request.uri(), offered.isEmpty() ? null : choice.subprotocol(), false, WebSocketLink.MAX_MESSAGE)
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        Channel ch = ctx.channel();
        handshaker.handshake(ch, request);
        ChannelPipeline p = ch.pipeline();
        // The WebSocket and qmux keep their own clocks from here on.
        for (String name : List.of(WebServerInitializer.CORS, WebServerInitializer.KEEP_ALIVE,
                WebServerInitializer.REQUEST_TIMEOUT, WebServerInitializer.PIPELINING, WebServerInitializer.ROUTER)) {
            if (p.get(name) != null) p.remove(name);
        }
        QmuxConnection conn = WebSocketLink.install(ch, offered.isEmpty() ? "(none)" : choice.subprotocol(), choice, true,
                request.uri(), handshakeTimeout);
        sessions.start(conn, LiteVersion.fromAlpn(choice.alpn()), grant);
    }

    /** The host the client addressed, from its {@code Host} header (browsers send origin-form request lines). */
    static String host(FullHttpRequest request) {
        return Authorities.host(request.headers().get(HttpHeaderNames.HOST));
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
