package org.moqrelay.transport.quic;

import io.netty.channel.Channel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** Reads the client certificate a TLS handshake verified (optional mTLS). */
public final class PeerCertificates {
    private PeerCertificates() {}

    /** The peer's leaf certificate on a QUIC connection, or null when it sent none. */
    public static X509Certificate of(QuicChannel channel) {
        return of(channel.sslEngine());
    }

    /** The peer's leaf certificate on a TCP connection with an {@link SslHandler}, or null (none, or no TLS). */
    public static X509Certificate ofTls(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        return ssl == null ? null : of(ssl.engine());
    }

    /** The peer's leaf certificate, or null when it sent none. */
    public static X509Certificate of(SSLEngine engine) {
        if (engine == null) return null;
        SSLSession session = engine.getSession();
        if (session == null) return null;
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }
}
