package org.moqrelay.transport.webtransport;

import io.netty.buffer.ByteBuf;
import java.util.Optional;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.transport.webtransport.h3.Capsules;
import org.moqrelay.transport.webtransport.h3.Http3Exception;

/**
 * The CONNECT stream of an established session, on either side: reads capsules until the close
 * capsule, FIN or reset, each of which ends the session.
 */
final class SessionCapsuleReader implements ReadHandler {
    private final WebTransportSession session;
    private final Capsules.Reader capsules = new Capsules.Reader();

    SessionCapsuleReader(WebTransportSession session) {
        this.session = session;
    }

    @Override
    public void onData(ByteBuf data) {
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
        session.peerClosed(code, "CONNECT stream reset");
    }
}
