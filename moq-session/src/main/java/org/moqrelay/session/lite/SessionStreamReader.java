package org.moqrelay.session.lite;

import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.MessageKind;

/**
 * The lite-01/02 session stream after SERVER_SETUP: SESSION_INFO messages are read and
 * ignored; its FIN ends the session, as in the reference.
 */
final class SessionStreamReader extends MessageReader {
    SessionStreamReader(LiteSession session) {
        super(session);
    }

    @Override
    protected MessageKind expected() {
        return MessageKind.SESSION_INFO;
    }

    @Override
    protected void onMessage(LiteMessage m) {}

    @Override
    protected void onEnd() {
        session.close(0, "");
    }

    @Override
    protected void onAbort(long code) {
        if (code >= 0) session.close(0, "session stream reset");
    }
}
