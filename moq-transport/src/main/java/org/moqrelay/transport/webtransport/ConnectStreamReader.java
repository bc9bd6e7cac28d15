package org.moqrelay.transport.webtransport;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Optional;
import org.moqrelay.transport.Authorities;
import org.moqrelay.transport.quic.NettyStream;
import org.moqrelay.transport.webtransport.h3.ConnectRequest;
import org.moqrelay.transport.webtransport.h3.HeaderField;
import org.moqrelay.transport.webtransport.h3.Http3Frames;
import org.moqrelay.transport.webtransport.h3.QpackDecoder;
import org.moqrelay.transport.webtransport.h3.QpackEncoder;
import org.moqrelay.transport.webtransport.h3.QpackException;
import org.moqrelay.wire.LiteVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebTransport CONNECT request stream: reads exactly one HEADERS frame, answers it (200, or
 * 400 for a malformed request), and then hands the stream to a {@link SessionCapsuleReader}. The bytes after the HEADERS frame
 * (Chromium sends a GREASE capsule in the same packet) go to the capsule reader.
 */
final class ConnectStreamReader extends LeadingFramesReader {
    private static final Logger log = LoggerFactory.getLogger(ConnectStreamReader.class);
    /** A CONNECT's header block is small; refuse anything larger before buffering it. */
    static final int MAX_HEADERS = 16 * 1024;

    private final H3Connection h3;
    private final NettyStream stream;

    ConnectStreamReader(H3Connection h3, NettyStream stream) {
        super(MAX_HEADERS);
        this.h3 = h3;
        this.stream = stream;
    }

    /** GREASE or other frames before the HEADERS are skipped. */
    @Override
    boolean frame(long type, ByteBuf payload) throws QpackException {
        if (type != Http3Frames.HEADERS) return false;
        onHeaders(QpackDecoder.decode(payload));
        return true;
    }

    @Override
    void malformed(Exception cause) {
        reject(400, cause.getMessage());
    }

    /** The client gave up before its request: nothing to answer. */
    @Override
    void endedEarly(long resetCode) {}

    private void onHeaders(List<HeaderField> fields) {
        ConnectRequest req;
        try {
            req = ConnectRequest.parse(fields);
        } catch (RuntimeException e) {
            reject(400, e.getMessage());
            return;
        }
        open(req, Authorities.host(req.authority()));
    }

    /**
     * Answers 200 and starts the session. As the reference does, the request is authorized by the
     * session afterwards, from its URL: a refusal closes the session with code 6 (Unauthorized)
     * rather than answering the CONNECT with a status.
     */
    private void open(ConnectRequest req, String host) {
        Optional<String> protocol = req.selectProtocol(WebTransportServer.PROTOCOLS);
        LiteVersion version = protocol.map(LiteVersion::fromAlpn).orElse(null);
        stream.write(QpackEncoder.headersFrame(ConnectRequest.responseFields(200, protocol.orElse(null))));
        stream.flush();
        WebTransportSession s = new WebTransportSession(h3, stream, req.path(), host, protocol.orElse(""));
        proceed(new SessionCapsuleReader(s));
        h3.sessionStarted(s);
        // No version (moql, or nothing we know offered): the client negotiates with a legacy SETUP.
        h3.acceptor().accept(s, version);
    }

    private void reject(int status, String why) {
        log.info("rejecting HTTP/3 request from {}: {}", h3.channel().remoteSocketAddress(), why);
        stop();
        stream.write(QpackEncoder.headersFrame(List.of(new HeaderField(":status", Integer.toString(status)))));
        stream.finish();
    }
}
