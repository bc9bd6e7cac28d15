package org.moqrelay.transport.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.util.List;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.transport.webtransport.h3.ConnectRequest;
import org.moqrelay.transport.webtransport.h3.HeaderField;
import org.moqrelay.transport.webtransport.h3.Http3Exception;
import org.moqrelay.transport.webtransport.h3.Http3Frames;
import org.moqrelay.transport.webtransport.h3.QpackDecoder;
import org.moqrelay.transport.webtransport.h3.QpackException;
import org.moqrelay.transport.webtransport.h3.StructuredFields;

/**
 * Our CONNECT stream, client side: reads the response's HEADERS frame and completes
 * {@code ready} with the session on a 2xx, or fails it with the status; then hands the stream
 * to a {@link SessionCapsuleReader}.
 */
final class ConnectResponseReader implements ReadHandler {
    private final WebTransportSession session;
    private final String url;
    private final Promise<Connection> ready;
    private ByteBuf buf;
    private SessionCapsuleReader open;
    private boolean failed;

    ConnectResponseReader(WebTransportSession session, String url, Promise<Connection> ready) {
        this.session = session;
        this.url = url;
        this.ready = ready;
    }

    @Override
    public void onData(ByteBuf data) {
        if (failed) {
            data.release();
            return;
        }
        if (open != null) {
            open.onData(data);
            return;
        }
        buf = buf == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ByteBufAllocator.DEFAULT, buf, data);
        try {
            Http3Frames.FrameHeader h;
            while ((h = Http3Frames.readFrameHeader(buf, ConnectStreamReader.MAX_HEADERS)) != null) {
                ByteBuf payload = buf.readSlice((int) h.length());
                // An interim (1xx) response is followed by the final one (RFC 9114 §4.1).
                if (h.type() == Http3Frames.HEADERS && (onHeaders(QpackDecoder.decode(payload)) || failed)) break;
                // GREASE or other frames before HEADERS are skipped.
            }
        } catch (QpackException | Http3Exception e) {
            fail(new IOException("bad WebTransport CONNECT response from " + url + ": " + e.getMessage(), e));
        }
        if (buf == null) return;
        if (open != null && buf.isReadable()) {
            ByteBuf rest = buf;
            buf = null;
            open.onData(rest);
        } else if (!buf.isReadable()) {
            buf.release();
            buf = null;
        }
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
        open = new SessionCapsuleReader(session);
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
        failed = true;
        if (buf != null) {
            buf.release();
            buf = null;
        }
        ready.tryFailure(e);
        session.abandon();
    }

    @Override
    public void onFin() {
        if (open != null) {
            open.onFin();
        } else {
            fail(new IOException("WebTransport CONNECT stream to " + url + " ended before a response"));
        }
    }

    @Override
    public void onReset(long code) {
        if (open != null) {
            open.onReset(code);
        } else {
            fail(new IOException("WebTransport CONNECT stream to " + url + " reset (0x" + Long.toHexString(code)
                    + ") before a response"));
        }
    }
}
