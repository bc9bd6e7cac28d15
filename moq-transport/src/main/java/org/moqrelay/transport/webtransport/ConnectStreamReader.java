package org.moqrelay.transport.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.Optional;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.transport.Authorities;
import org.moqrelay.transport.quic.NettyStream;
import org.moqrelay.transport.webtransport.h3.Capsules;
import org.moqrelay.transport.webtransport.h3.ConnectRequest;
import org.moqrelay.transport.webtransport.h3.HeaderField;
import org.moqrelay.transport.webtransport.h3.Http3Exception;
import org.moqrelay.transport.webtransport.h3.Http3Frames;
import org.moqrelay.transport.webtransport.h3.QpackDecoder;
import org.moqrelay.transport.webtransport.h3.QpackEncoder;
import org.moqrelay.transport.webtransport.h3.QpackException;
import org.moqrelay.wire.LiteVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebTransport CONNECT request stream: reads exactly one HEADERS frame, answers it, and then
 * reads capsules until the session's close capsule or FIN. The bytes after the HEADERS frame
 * (Chromium sends a GREASE capsule in the same packet) go to the capsule reader.
 */
final class ConnectStreamReader implements ReadHandler {
    private static final Logger log = LoggerFactory.getLogger(ConnectStreamReader.class);
    /** A CONNECT's header block is small; refuse anything larger before buffering it. */
    static final int MAX_HEADERS = 16 * 1024;

    private final H3Connection h3;
    private final NettyStream stream;
    private final Capsules.Reader capsules = new Capsules.Reader();
    private ByteBuf buf;
    private WebTransportSession session;
    private boolean rejected;

    ConnectStreamReader(H3Connection h3, NettyStream stream) {
        this.h3 = h3;
        this.stream = stream;
    }

    @Override
    public void onData(ByteBuf data) {
        if (rejected) {
            data.release();
            return;
        }
        if (session != null) {
            feedCapsules(data);
            return;
        }
        buf = buf == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ByteBufAllocator.DEFAULT, buf, data);
        try {
            Http3Frames.FrameHeader h;
            while ((h = Http3Frames.readFrameHeader(buf, MAX_HEADERS)) != null) {
                ByteBuf payload = buf.readSlice((int) h.length());
                if (h.type() == Http3Frames.HEADERS) {
                    onHeaders(QpackDecoder.decode(payload));
                    break;
                }
                // GREASE or other frames before HEADERS are skipped.
            }
        } catch (QpackException | Http3Exception e) {
            reject(400, e.getMessage());
        }
        if (session != null && buf != null && buf.isReadable()) {
            ByteBuf rest = buf;
            buf = null;
            feedCapsules(rest);
        } else if (buf != null && !buf.isReadable()) {
            buf.release();
            buf = null;
        }
    }

    private void onHeaders(List<HeaderField> fields) {
        ConnectRequest req;
        try {
            req = ConnectRequest.parse(fields);
        } catch (RuntimeException e) {
            reject(400, e.getMessage());
            return;
        }
        Optional<String> protocol = req.selectProtocol(WebTransportServer.PROTOCOLS);
        LiteVersion version = protocol.map(LiteVersion::fromAlpn).orElse(null);
        stream.write(QpackEncoder.headersFrame(ConnectRequest.responseFields(200, protocol.orElse(null))));
        stream.flush();
        session = new WebTransportSession(h3, stream, req.path(), Authorities.host(req.authority()), protocol.orElse(""));
        h3.sessionStarted(session);
        // No version (moql, or nothing we know offered): the client negotiates with a legacy SETUP.
        h3.acceptor().accept(session, version);
    }

    private void reject(int status, String why) {
        log.info("rejecting HTTP/3 request from {}: {}", h3.channel().remoteSocketAddress(), why);
        rejected = true;
        if (buf != null) {
            buf.release();
            buf = null;
        }
        stream.write(QpackEncoder.headersFrame(List.of(new HeaderField(":status", Integer.toString(status)))));
        stream.finish();
    }

    private void feedCapsules(ByteBuf data) {
        try {
            Optional<Capsules.Close> close = capsules.feed(data);
            close.ifPresent(c -> session.peerClosed(c.code(), c.reason()));
        } catch (Http3Exception e) {
            session.peerClosed(0, "");
        } finally {
            data.release();
        }
    }

    @Override
    public void onFin() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
        if (session == null) return;
        Capsules.Close c;
        try {
            c = capsules.finish();
        } catch (Http3Exception e) {
            c = new Capsules.Close(0, "");
        }
        session.peerClosed(c.code(), c.reason());
    }

    @Override
    public void onReset(long code) {
        if (buf != null) {
            buf.release();
            buf = null;
        }
        if (session != null) session.peerClosed(code, "CONNECT stream reset");
    }
}
