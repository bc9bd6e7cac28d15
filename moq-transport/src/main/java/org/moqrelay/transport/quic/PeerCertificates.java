package org.moqrelay.transport.quic;

import io.netty.handler.codec.quic.QuicChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** Reads the client certificate a QUIC handshake verified (optional mTLS). */
public final class PeerCertificates {
    private PeerCertificates() {}

    /** The peer's leaf certificate, or null when it sent none. */
    public static X509Certificate of(QuicChannel channel) {
        if (channel.sslEngine() == null) return null;
        SSLSession session = channel.sslEngine().getSession();
        if (session == null) return null;
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }
}
