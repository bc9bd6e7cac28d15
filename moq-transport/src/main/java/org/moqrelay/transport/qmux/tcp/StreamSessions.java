package org.moqrelay.transport.qmux.tcp;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.List;
import org.moqrelay.transport.MoqAcceptor;
import org.moqrelay.transport.qmux.QmuxConnection;
import org.moqrelay.transport.qmux.wire.QmuxParams;
import org.moqrelay.transport.qmux.wire.QmuxVersion;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.LiteVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A qmux-01 session on a plain stream socket, TCP or Unix (spec/transports.md §4). There is no
 * TLS to carry an ALPN, so both sides list their MoQ versions in the {@code application_protocols}
 * transport parameter and the server's preference wins.
 */
public final class StreamSessions {
    private static final Logger log = LoggerFactory.getLogger(StreamSessions.class);

    private StreamSessions() {}

    /**
     * Serves an accepted socket: our parameters go out first, and once the client's arrive the
     * first of OUR {@code alpns} that it lists starts the session through {@code acceptor}; a
     * client that sends none within {@code handshakeTimeout} is closed. Call from the channel's
     * initializer.
     */
    public static void serve(Channel ch, TcpLink link, List<String> alpns, MoqAcceptor acceptor, Duration handshakeTimeout) {
        QmuxConnection conn = new QmuxConnection(link, QmuxVersion.QMUX_01, true,
                QmuxParams.DEFAULTS.withApplicationProtocols(alpns), "", null);
        conn.handshakeTimeout(handshakeTimeout);
        link.attach(conn);
        conn.onPeerParams(p -> {
            String chosen = alpns.stream().filter(p.applicationProtocols()::contains).findFirst().orElse(null);
            if (chosen == null) {
                log.info("{}: the client offered no protocol we speak: {}", link.describe(), p.applicationProtocols());
                ch.eventLoop().execute(() -> conn.close(ErrorCode.UNKNOWN_ALPN.code(), "no common application protocol"));
                return;
            }
            conn.protocol(chosen);
            acceptor.accept(conn, LiteVersion.fromAlpn(chosen));
        });
        ch.pipeline().addLast(link);
        conn.start();
    }

    /**
     * Dials over a socket being connected: {@code result} completes once the server's parameters
     * named one of our {@code alpns}, and fails when they name none or the socket closes first.
     * Call from the channel's initializer.
     */
    public static void dial(Channel ch, TcpLink link, List<String> alpns, Promise<QmuxConnection> result) {
        QmuxConnection conn = new QmuxConnection(link, QmuxVersion.QMUX_01, false,
                QmuxParams.DEFAULTS.withApplicationProtocols(alpns), "", null);
        link.attach(conn);
        conn.onPeerParams(params -> {
            // The server chose: the first of its list that we also offered.
            String chosen = params.applicationProtocols().stream().filter(alpns::contains).findFirst().orElse(null);
            if (chosen == null) {
                result.tryFailure(new IllegalStateException("server speaks none of " + alpns + ": "
                        + params.applicationProtocols()));
                ch.close();
                return;
            }
            conn.protocol(chosen);
            result.trySuccess(conn);
        });
        // Our parameters are sent by TcpLink.channelActive, before anything is read: otherwise the
        // server's parameters could start the session and let it send STREAM frames ahead of ours.
        ch.pipeline().addLast(link);
        ch.closeFuture().addListener(f -> result.tryFailure(new IllegalStateException("connection closed")));
    }
}
