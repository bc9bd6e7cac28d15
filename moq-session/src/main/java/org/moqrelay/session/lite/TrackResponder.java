package org.moqrelay.session.lite;

import java.util.concurrent.TimeUnit;
import org.moqrelay.model.Track;
import org.moqrelay.model.TrackException;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.MessageKind;
import org.moqrelay.wire.lite.TrackInfo;
import org.moqrelay.wire.lite.TrackRequest;

/** Answers TRACK with the shared track's TRACK_INFO (fetched upstream once), then FIN. */
final class TrackResponder extends MessageReader {
    /** Clients give up after 10 s; answer before that even if upstream is silent. */
    static final long TIMEOUT_MILLIS = 9_000;
    private final BidiStream stream;
    private boolean requested;

    TrackResponder(LiteSession session, BidiStream stream) {
        super(session);
        this.stream = stream;
    }

    @Override
    protected MessageKind expected() {
        return requested ? null : MessageKind.TRACK;
    }

    @Override
    protected void onMessage(LiteMessage m) {
        requested = true;
        TrackRequest req = (TrackRequest) m;
        Track t;
        try {
            t = TrackLookup.find(session, req.broadcast(), req.track());
        } catch (TrackException e) {
            stream.reset(e.code().code());
            return;
        }
        t.info().orTimeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).whenComplete((info, err) -> session.run(() -> answer(info, err)));
    }

    private void answer(TrackInfo info, Throwable err) {
        if (stream.isClosed()) return;
        if (info != null) {
            stream.write(session.encode(info));
            stream.finish();
            return;
        }
        Throwable cause = err instanceof java.util.concurrent.CompletionException ? err.getCause() : err;
        ErrorCode code = cause instanceof TrackException te ? te.code() : ErrorCode.TIMEOUT;
        stream.reset(code.code());
    }

    @Override
    protected void onEnd() {}

    @Override
    protected void onAbort(long code) {
        if (!stream.isClosed()) stream.reset(ErrorCode.CANCEL.code());
    }
}
