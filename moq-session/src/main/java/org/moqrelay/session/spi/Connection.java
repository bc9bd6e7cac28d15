package org.moqrelay.session.spi;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

/**
 * One established transport connection carrying a MoQ session: raw QUIC, WebTransport, or (later)
 * qmux. Every method must be called on {@link #eventLoop()}.
 */
public interface Connection {
    /** Reset code reported to read handlers when the whole connection went away. */
    long CLOSED_CODE = -1;

    EventLoop eventLoop();

    /** Installs the handler for inbound streams, datagrams and close; call once, before traffic. */
    void handler(ConnectionHandler handler);

    Future<BidiStream> openBidi();

    Future<SendStream> openUni();

    /** Largest datagram payload, or 0 when the transport carries none. */
    int maxDatagramSize();

    /** Sends one datagram (ownership passes); dropped silently when it does not fit. */
    void sendDatagram(ByteBuf data);

    /** Closes the connection with a moq-lite code and reason. */
    void close(long code, String reason);

    boolean isOpen();

    /** Negotiated ALPN or WebTransport subprotocol ("moq-lite-05", ...), or "" when none. */
    String protocol();

    /** Request path and query from the URL (WebTransport, WebSocket), or null on URL-less transports. */
    String requestPath();

    /**
     * The host name the client addressed (WebTransport {@code :authority}, WebSocket {@code Host}), lower case
     * and without the port, or null on URL-less transports (raw QUIC, TCP).
     */
    default String requestHost() {
        return null;
    }

    /** {@code quic} (raw QUIC and WebTransport), {@code websocket}, {@code tcp} or {@code unix}, as the reference names them; null when unknown. */
    default String transport() {
        return null;
    }

    /**
     * The client certificate the TLS handshake verified against the configured roots (mTLS), or
     * null when the peer sent none or the transport has no TLS.
     */
    default java.security.cert.X509Certificate peerCertificate() {
        return null;
    }

    /**
     * The idle timeout the peer announced, in milliseconds (QUIC's {@code max_idle_timeout}), or 0
     * when it announced none or the transport has no such thing.
     */
    default long peerIdleTimeoutMillis() {
        return 0;
    }

    /** Short human description for logs: transport kind and remote address. */
    String describe();
}
