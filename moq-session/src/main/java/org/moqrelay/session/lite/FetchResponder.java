package org.moqrelay.session.lite;

import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.model.TrackException;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.lite.Fetch;
import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.MessageKind;

/**
 * Serves FETCH of one group: its frames straight onto the FETCH stream, then FIN. A group the
 * relay has not cached is fetched from its publisher first ({@link Track#fetchGroup}, shared with
 * any other fetcher of it); when that fails, the stream is reset with the publisher's code.
 */
final class FetchResponder extends MessageReader {
    private final BidiStream stream;
    private boolean requested;
    private boolean cancelled;
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
        track.fetchGroup(f.group(), f.priority()).whenComplete((g, err) -> session.run(() -> serve(g, err)));
    }

    private void serve(Group g, Throwable err) {
        if (cancelled || stream.isClosed()) return;
        if (err != null) {
            stream.reset(TrackException.codeOf(err, ErrorCode.CANCEL).code());
            return;
        }
        writer = new GroupWriter(session, g, null, GroupWriter.NOT_LIVE, w -> {});
        writer.start(stream);
    }

    @Override
    protected void onEnd() {}

    @Override
    protected void onAbort(long code) {
        cancelled = true;
        if (writer != null) writer.cancel(ErrorCode.CANCEL);
        else if (!stream.isClosed()) stream.reset(ErrorCode.CANCEL.code());
    }
}
