package org.moqrelay.session.lite;

import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.model.TrackException;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.lite.Fetch;
import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.MessageKind;

/** Serves FETCH of one cached group: its frames straight onto the FETCH stream, then FIN. */
final class FetchResponder extends MessageReader {
    private final BidiStream stream;
    private boolean requested;
    private GroupWriter writer;

    FetchResponder(LiteSession session, BidiStream stream) {
        super(session);
        this.stream = stream;
    }

    @Override
    protected MessageKind expected() {
        return requested ? null : MessageKind.FETCH;
    }

    @Override
    protected void onMessage(LiteMessage m) {
        requested = true;
        if (!session.version().hasTrackStream()) {
            stream.reset(ErrorCode.UNEXPECTED_STREAM.code());
            return;
        }
        Fetch f = (Fetch) m;
        session.metrics().fetchServed();
        Track track;
        try {
            track = TrackLookup.find(session, f.broadcast(), f.track());
        } catch (TrackException e) {
            stream.reset(e.code().code());
            return;
        }
        Group g = track.group(f.group());
        if (g == null || g.state() == Group.State.EVICTED) {
            stream.reset(ErrorCode.NOT_FOUND.code());
            return;
        }
        writer = new GroupWriter(session, g, null, w -> {});
        writer.start(stream);
    }

    @Override
    protected void onEnd() {}

    @Override
    protected void onAbort(long code) {
        if (writer != null) writer.cancel(ErrorCode.CANCEL);
        else if (!stream.isClosed()) stream.reset(ErrorCode.CANCEL.code());
    }
}
