package org.moqrelay.session.lite;

import java.util.IdentityHashMap;
import java.util.Map;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Track;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.MessageKind;
import org.moqrelay.wire.lite.StreamType;
import org.moqrelay.wire.lite.TrackInfo;
import org.moqrelay.wire.lite.TrackRequest;

/**
 * The tracks of one of the peer's broadcasts, fetched through this session: TRACK for the info,
 * ONE upstream SUBSCRIBE per track however many local subscribers share it, and one FETCH per
 * uncached group however many local fetchers want it.
 */
final class UpstreamSource implements Track.Source {
    private final LiteSession session;
    private final Path peerPath;
    private final Map<Track, UpstreamSubscription> subscriptions = new IdentityHashMap<>();

    UpstreamSource(LiteSession session, Path peerPath) {
        this.session = session;
        this.peerPath = peerPath;
    }

    @Override
    public void requestInfo(Track track) {
        session.run(() -> {
            if (!session.isOpen()) return;
            if (!session.version().hasTrackStream()) {
                track.setInfo(TrackInfo.DEFAULT);
                return;
            }
            LiteSession.onSuccessOrElse(session.connection().openBidi(), (BidiStream s) -> {
                s.write(session.encode(StreamType.BIDI_TRACK, new TrackRequest(peerPath, track.name())));
                s.finish();
                s.read(new TrackInfoReader(session, track));
            }, () -> {
                // No stream to ask on (the publisher's stream limit): whoever waits for the info is
                // told. A connection going away ends the broadcast anyway.
                if (session.isOpen()) track.abort(ErrorCode.CANCEL);
            });
        });
    }

    @Override
    public void subscribe(Track track, Demand demand) {
        session.run(() -> {
            if (!session.isOpen() || subscriptions.containsKey(track)) return;
            // Removed only if still the track's: a cancelled one that ends later must not take its
            // successor's place in the map (which would then never be cancelled).
            UpstreamSubscription sub = new UpstreamSubscription(session, peerPath, track, demand,
                    done -> subscriptions.remove(track, done));
            subscriptions.put(track, sub);
            sub.open();
        });
    }

    @Override
    public void update(Track track, Demand demand) {
        session.run(() -> {
            UpstreamSubscription sub = subscriptions.get(track);
            if (sub != null) sub.update(demand);
        });
    }

    @Override
    public void unsubscribe(Track track) {
        session.run(() -> {
            UpstreamSubscription sub = subscriptions.remove(track);
            if (sub != null) sub.cancel();
        });
    }

    @Override
    public void fetch(Track track, long sequence, int priority) {
        session.run(() -> {
            if (!session.isOpen()) {
                track.fetchFailed(sequence, ErrorCode.CANCEL);
            } else if (!session.version().hasTrackStream()) {
                // FETCH exists from lite-05 on; the reference answers older publishers' groups with Version.
                track.fetchFailed(sequence, ErrorCode.VERSION);
            } else {
                UpstreamFetch.open(session, peerPath, track, sequence, priority);
            }
        });
    }

    /** Reads the one TRACK_INFO answering our TRACK. */
    private static final class TrackInfoReader extends MessageReader {
        private final Track track;
        private boolean got;

        TrackInfoReader(LiteSession session, Track track) {
            super(session);
            this.track = track;
        }

        @Override
        protected MessageKind expected() {
            return got ? null : MessageKind.TRACK_INFO;
        }

        @Override
        protected void onMessage(LiteMessage m) {
            got = true;
            track.setInfo((TrackInfo) m);
        }

        @Override
        protected void onEnd() {
            if (!got) track.abort(ErrorCode.NOT_FOUND);
        }

        @Override
        protected void onAbort(long code) {
            ErrorCode c = ErrorCode.of(code);
            if (!got) track.abort(c == null || code < 0 ? ErrorCode.CANCEL : c);
        }
    }
}
