package org.moqrelay.session.lite;

import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.wire.lite.Goaway;
import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.MessageKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A peer's GOAWAY: logged, as the reference does; the peer closes when it is ready. */
final class GoawayReader extends MessageReader {
    private static final Logger log = LoggerFactory.getLogger(GoawayReader.class);
    private final BidiStream stream;

    GoawayReader(LiteSession session, BidiStream stream) {
        super(session);
        this.stream = stream;
    }

    @Override
    protected MessageKind expected() {
        return MessageKind.GOAWAY;
    }

    @Override
    protected void onMessage(LiteMessage m) {
        log.info("session {}: peer sent GOAWAY (uri '{}')", session.id(), ((Goaway) m).uri());
    }

    @Override
    protected void onEnd() {
        stream.finish();
    }

    @Override
    protected void onAbort(long code) {}
}
