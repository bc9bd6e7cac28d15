package org.moqrelay.transport.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.util.List;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.transport.webtransport.h3.ConnectRequest;
import org.moqrelay.transport.webtransport.h3.HeaderField;
import org.moqrelay.transport.webtransport.h3.Http3Frames;
import org.moqrelay.transport.webtransport.h3.QpackDecoder;
import org.moqrelay.transport.webtransport.h3.QpackException;
import org.moqrelay.transport.webtransport.h3.StructuredFields;

/**
 * Our CONNECT stream, client side: reads the response's HEADERS frame and completes
 * {@code ready} with the session on a 2xx, or fails it with the status; then hands the stream
 * to a {@link SessionCapsuleReader}.
 */
final class ConnectResponseReader extends LeadingFramesReader {
    private final WebTransportSession session;
    private final String url;
    private final Promise<Connection> ready;

    ConnectResponseReader(WebTransportSession session, String url, Promise<Connection> ready) {
        super(ConnectStreamReader.MAX_HEADERS);
        this.session = session;
        this.url = url;
        this.ready = ready;
    }

    /** An interim (1xx) response is followed by the final one (RFC 9114 §4.1); GREASE or other frames before HEADERS are skipped. */
    @Override
    boolean frame(long type, ByteBuf payload) throws QpackException {
        return type == Http3Frames.HEADERS && onHeaders(QpackDecoder.decode(payload));
    }

    @Override
    void malformed(Exception cause) {
        fail(new IOException("bad WebTransport CONNECT response from " + url + ": " + cause.getMessage(), cause));
    }

    @Override
    void endedEarly(long resetCode) {
        fail(new IOException("WebTransport CONNECT stream to " + url + (resetCode < 0 ? " ended"
                : " reset (0x" + Long.toHexString(resetCode) + ")") + " before a response"));
    }

    /** Handles one response HEADERS frame; false for an interim (1xx) one. */
    private boolean onHeaders(List<HeaderField> fields) {
        String status = null;
        String protocol = "";
        for (HeaderField f : fields) {
            if (f.name().equals(":status") && status == null) status = f.value();
            if (f.name().equals(ConnectRequest.WT_PROTOCOL)) protocol = selected(f.value());
        }
        int code;
        try {
            code = Integer.parseInt(status);
        } catch (NumberFormatException e) {
            fail(new IOException("WebTransport CONNECT response from " + url + " has no valid :status: " + status));
            return true;
        }
        if (code >= 100 && code < 200) return false;
        if (code < 200 || code > 299) {
            fail(new WebTransportRefusedException(url, code));
            return true;
        }
        session.negotiated(protocol);
        proceed(new SessionCapsuleReader(session));
        ready.trySuccess(session);
        return true;
    }

    /** The {@code wt-protocol} sf-String; "" (legacy SETUP) if it does not parse. */
    private static String selected(String value) {
        try {
            List<String> items = StructuredFields.parseList(value);
            return items.size() == 1 ? items.get(0) : "";
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private void fail(IOException e) {
        stop();
        ready.tryFailure(e);
        session.abandon();
    }
}
