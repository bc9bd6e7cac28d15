package org.moqrelay.session.lite;

import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.MessageKind;
import org.moqrelay.wire.lite.Setup;

/** Reads the peer's one lite-05 SETUP message. */
final class SetupReader extends MessageReader {
    private boolean got;

    SetupReader(LiteSession session) {
        super(session);
    }

    @Override
    protected MessageKind expected() {
        return got ? null : MessageKind.SETUP;
    }

    @Override
    protected void onMessage(LiteMessage m) {
        got = true;
        session.onSetup((Setup) m);
    }

    @Override
    protected void onEnd() {}

    @Override
    protected void onAbort(long code) {}
}
