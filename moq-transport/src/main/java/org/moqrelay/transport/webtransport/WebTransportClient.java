package org.moqrelay.transport.webtransport;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.transport.Authorities;
import org.moqrelay.transport.quic.NettyStream;
import org.moqrelay.transport.quic.QuicClient;
import org.moqrelay.transport.quic.QuicTransportConfig;
import org.moqrelay.transport.quic.StreamCodes;
import org.moqrelay.transport.webtransport.h3.ConnectRequest;
import org.moqrelay.transport.webtransport.h3.HeaderField;
import org.moqrelay.transport.webtransport.h3.Http3Exception;
import org.moqrelay.transport.webtransport.h3.Http3Frames;
import org.moqrelay.transport.webtransport.h3.QpackEncoder;
import org.moqrelay.transport.webtransport.h3.StructuredFields;

/**
 * Dials a WebTransport session as a browser does: QUIC with ALPN {@code h3}, our SETTINGS, the
 * server's SETTINGS (awaited and checked, RFC 9220 §3), then an extended CONNECT for
 * {@code https://host:port/path?query} offering MoQ subprotocols in {@code wt-available-protocols}.
 * The session's {@link Connection#protocol()} is the one the server chose ("" for none, which
 * means a legacy SETUP).
 */
public final class WebTransportClient {
    /** The ALPN a WebTransport client's QUIC handshake must offer. */
    public static final String ALPN = "h3";
    /**
     * How long the server may take to send its SETTINGS and answer the CONNECT, from the QUIC
     * handshake on (a peer that keeps QUIC alive but never answers).
     */
    static final long RESPONSE_TIMEOUT_MILLIS = 10_000;

    private WebTransportClient() {}

    /**
     * Connects to {@code url} and completes once the server answered 2xx; fails with
     * {@link WebTransportUnsupportedException} (and sends no CONNECT) if the server's SETTINGS lack
     * what WebTransport needs, with {@link WebTransportRefusedException} for a status other than
     * 2xx, and with an {@link IOException} when the SETTINGS and the answer did not both come within
     * {@value #RESPONSE_TIMEOUT_MILLIS} ms. (A MoQ relay refusing a token answers 200 and then closes
     * the session with code 6, as the reference does.)
     *
     * @param ssl       a client context offering ALPN {@value #ALPN}
     * @param protocols the subprotocols to offer, most preferred first (may be empty)
     */
    public static Future<Connection> connect(EventLoopGroup group, QuicSslContext ssl, QuicTransportConfig config,
                                             URI url, List<String> protocols) {
        return connect(group, ssl, config, url, protocols, RESPONSE_TIMEOUT_MILLIS);
    }

    static Future<Connection> connect(EventLoopGroup group, QuicSslContext ssl, QuicTransportConfig config,
                                      URI url, List<String> protocols, long responseTimeoutMillis) {
        Promise<Connection> ready = group.next().newPromise();
        if (!"https".equals(url.getScheme()) || url.getHost() == null || url.getPort() < 0) {
            ready.setFailure(new IllegalArgumentException("WebTransport needs https://host:port/path, got " + url));
            return ready;
        }
        InetSocketAddress remote = new InetSocketAddress(url.getHost(), url.getPort());
        QuicClient.connect(group, ssl, config, remote, H3Connection::client).addListener(f -> {
            if (!f.isSuccess()) {
                ready.tryFailure(f.cause());
                return;
            }
            H3Connection h3 = (H3Connection) f.getNow();
            h3.channel().closeFuture().addListener(x -> ready.tryFailure(
                    new IOException("connection to " + url + " closed before the WebTransport session was up")));
            h3.channel().eventLoop().execute(() -> {
                h3.start();
                ScheduledFuture<?> timeout = h3.channel().eventLoop().schedule(() -> {
                    String missing = h3.peerSettings().isDone() ? "no answer to the WebTransport CONNECT"
                            : "no HTTP/3 SETTINGS (awaited before the WebTransport CONNECT)";
                    if (ready.tryFailure(new IOException(missing + " from " + url + " within " + responseTimeoutMillis
                            + " ms"))) {
                        h3.closeConnection();
                    }
                }, responseTimeoutMillis, TimeUnit.MILLISECONDS);
                ready.addListener(x -> timeout.cancel(false));
                h3.peerSettings().addListener(s -> onServerSettings(h3, url, protocols, ready));
            });
        });
        return ready;
    }

    /** Sends the CONNECT once the server's SETTINGS allow it (RFC 9220 §3); fails {@code ready} if they do not. */
    private static void onServerSettings(H3Connection h3, URI url, List<String> protocols, Promise<Connection> ready) {
        if (ready.isDone()) return; // timed out, or the connection went
        Future<Map<Long, Long>> settings = h3.peerSettings();
        if (!settings.isSuccess()) {
            long code = settings.cause() instanceof Http3Exception e ? e.errorCode() : Http3Exception.H3_GENERAL_PROTOCOL_ERROR;
            ready.tryFailure(new IOException("bad HTTP/3 SETTINGS from " + url + ": " + settings.cause().getMessage(),
                    settings.cause()));
            h3.closeConnection(code);
            return;
        }
        Optional<String> missing = Http3Frames.missingForWebTransportServer(settings.getNow());
        if (missing.isPresent()) {
            ready.tryFailure(new WebTransportUnsupportedException(url.toString(), missing.get()));
            h3.closeConnection();
            return;
        }
        sendConnect(h3, url, protocols, ready);
    }

    private static void sendConnect(H3Connection h3, URI url, List<String> protocols, Promise<Connection> ready) {
        NettyStream[] holder = new NettyStream[1];
        h3.channel().createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInitializer<QuicStreamChannel>() {
            @Override
            protected void initChannel(QuicStreamChannel ch) {
                holder[0] = new NettyStream(ch, StreamCodes.IDENTITY);
                ch.pipeline().addLast(holder[0]);
            }
        }).addListener(f -> {
            if (!f.isSuccess()) {
                ready.tryFailure(f.cause());
                h3.closeConnection();
                return;
            }
            NettyStream stream = holder[0];
            String authority = url.getRawAuthority();
            String path = pathAndQuery(url);
            WebTransportSession session = new WebTransportSession(h3, stream, path, Authorities.host(authority), "");
            // Known before the response: the server may open streams as soon as it has answered.
            h3.sessionStarted(session);
            stream.read(new ConnectResponseReader(session, url.toString(), ready));
            stream.write(QpackEncoder.headersFrame(requestFields(authority, path, protocols)));
            stream.flush();
        });
    }

    /** The extended CONNECT, in the order Chromium sends its pseudo-fields. */
    static List<HeaderField> requestFields(String authority, String path, List<String> protocols) {
        List<HeaderField> fields = new ArrayList<>(6);
        fields.add(new HeaderField(":method", "CONNECT"));
        fields.add(new HeaderField(":scheme", "https"));
        fields.add(new HeaderField(":authority", authority));
        fields.add(new HeaderField(":path", path));
        fields.add(new HeaderField(":protocol", "webtransport"));
        if (!protocols.isEmpty()) {
            List<String> quoted = protocols.stream().map(StructuredFields::serializeString).toList();
            fields.add(new HeaderField(ConnectRequest.WT_AVAILABLE_PROTOCOLS, String.join(", ", quoted)));
        }
        return fields;
    }

    private static String pathAndQuery(URI url) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }
}
