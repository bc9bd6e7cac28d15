package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
import org.moqrelay.model.Group;
import org.moqrelay.model.Track;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.wire.DecodeException;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.Fetch;
import org.moqrelay.wire.lite.Frames;
import org.moqrelay.wire.lite.StreamType;

/**
 * The relay's own FETCH of a group it has not cached, sent to the publisher's session for every
 * local fetcher of that group ({@link Track#fetchGroup} coalesces them). The first frame (or an
 * empty group's FIN) puts the group in the track's cache and hands it to the fetchers; the frames
 * are sliced, with their framing, from the received buffers, as on group streams. A reset before any data fails the
 * fetchers with the publisher's code; after, it aborts the group with it.
 */
final class UpstreamFetch implements ReadHandler {
    private final LiteSession session;
    private final Track track;
    private final long sequence;
    private BidiStream stream;
    private final PartialFrames frames;
    private Group group;
    private boolean done;
    private long lastTimestamp;

    private UpstreamFetch(LiteSession session, Track track, long sequence) {
        this.session = session;
        this.track = track;
        this.sequence = sequence;
        this.frames = new PartialFrames(session);
    }

    /** Opens the FETCH stream; call on the session's loop. */
    static void open(LiteSession session, Path peerPath, Track track, long sequence, int priority) {
        UpstreamFetch f = new UpstreamFetch(session, track, sequence);
        session.metrics().upstreamFetchOpened();
        LiteSession.onSuccessOrElse(session.connection().openBidi(), (BidiStream s) -> {
            f.stream = s;
            s.write(session.encode(StreamType.BIDI_FETCH, new Fetch(peerPath, track.name(), priority, sequence)));
            s.finish();
            s.read(f);
        }, () -> track.fetchFailed(sequence, ErrorCode.CANCEL));
    }

    @Override
    public void onData(ByteBuf data) {
        if (done) {
            data.release();
            return;
        }
        ByteBuf buf = frames.add(data);
        boolean timestamps = session.version().hasFrameTimestamps();
        try {
            while (!done && buf.isReadable()) {
                Frames.Header h = Frames.peekHeader(buf, timestamps);
                if (h == null || buf.readableBytes() < h.headerLength() + h.size()) break;
                if (group == null && !start()) return;
                long ts = timestamps ? lastTimestamp + h.timestampDelta() : System.nanoTime() / 1_000_000;
                lastTimestamp = ts;
                // Cached with its header, as on group streams: a FETCH response frames a group's
                // frames the same way (deltas from 0 at its first frame), so they forward as-is.
                if (!group.append(ts, buf.readRetainedSlice(h.headerLength() + h.size()), h.headerLength(),
                        Frames.format(timestamps))) {
                    // The group was aborted here (the track ended, or the group outgrew its cap).
                    done = true;
                    release();
                    stream.stopSending(ErrorCode.CANCEL.code());
                    return;
                }
                session.metrics().frameReceived(h.size());
            }
        } catch (DecodeException e) {
            end(e.code());
            session.fail(e.code(), "FETCH response: " + e.getMessage());
            return;
        }
        frames.settle(() -> end(ErrorCode.BOUNDS_EXCEEDED)); // over the session's cap: the fetch fails
    }

    /** Caches the group and hands it to the fetchers; false (and the stream stopped) if nobody wants it. */
    private boolean start() {
        group = track.fetched(sequence);
        if (group != null) {
            session.metrics().groupReceived();
            return true;
        }
        done = true;
        release();
        stream.stopSending(ErrorCode.CANCEL.code());
        return false;
    }

    @Override
    public void onFin() {
        if (done) return;
        boolean partial = frames.isPartial();
        release();
        if (partial) {
            end(ErrorCode.WRONG_SIZE);
            return;
        }
        if (group == null && !start()) return;
        done = true;
        group.finish();
    }

    @Override
    public void onReset(long code) {
        if (done) return;
        release();
        ErrorCode c = ErrorCode.of(code);
        // The connection went away (negative code) or a code we do not name: the fetch was cancelled.
        end(c == null || code < 0 ? ErrorCode.CANCEL : c);
    }

    /** Fails the fetchers, or aborts the group they already have, with {@code code}. */
    private void end(ErrorCode code) {
        if (done) return;
        done = true;
        release();
        if (group == null) track.fetchFailed(sequence, code);
        else group.abort(code);
    }

    private void release() {
        frames.release();
    }
}
