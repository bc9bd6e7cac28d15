package org.moqrelay.session.lite;

import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Track;
import org.moqrelay.model.TrackException;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Path;

/** Finds the shared track a request names, or says which error code refuses it. */
final class TrackLookup {
    private TrackLookup() {}

    /** @throws TrackException with Unauthorized, Unroutable (no such broadcast) or NotFound */
    static Track find(LiteSession session, Path path, String name) {
        if (!session.grant().maySubscribe(path)) throw new TrackException(ErrorCode.UNAUTHORIZED);
        Broadcast b = session.config().serve().broadcast(session.root().join(path));
        if (b == null) throw new TrackException(ErrorCode.UNROUTABLE);
        Track t = b.track(name);
        if (t == null) throw new TrackException(ErrorCode.NOT_FOUND);
        return t;
    }
}
