package org.moqrelay.session.lite;

import org.moqrelay.model.Demand;
import org.moqrelay.model.Track;
import java.util.function.Consumer;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.MessageKind;
import org.moqrelay.wire.lite.StreamType;
import org.moqrelay.wire.lite.Subscribe;
import org.moqrelay.wire.lite.SubscribeDrop;
import org.moqrelay.wire.lite.SubscribeEnd;
import org.moqrelay.wire.lite.SubscribeUpdate;

/**
 * Our SUBSCRIBE to the peer for one shared track. Group streams carrying its id are routed into
 * the track by {@link GroupReader}. Cancelled with FIN when the last local subscriber leaves.
 */
final class UpstreamSubscription extends MessageReader {
    private final Path peerPath;
    private final Track track;
    private final long id;
    private final Consumer<UpstreamSubscription> onDone;
    private Demand demand;
    private BidiStream stream;
    private boolean cancelled;
    private boolean finished;

    UpstreamSubscription(LiteSession session, Path peerPath, Track track, Demand demand,
                         Consumer<UpstreamSubscription> onDone) {
        super(session);
        this.peerPath = peerPath;
        this.track = track;
        this.demand = demand;
        this.onDone = onDone;
        this.id = session.allocateSubscribeId();
    }

    Track track() {
        return track;
    }

    void open() {
        session.registerUpstream(id, this);
        LiteSession.onSuccessOrElse(session.connection().openBidi(), (BidiStream s) -> {
            stream = s;
            session.metrics().upstreamSubscriptionOpened();
            s.write(session.encode(StreamType.BIDI_SUBSCRIBE, new Subscribe(id, peerPath, track.name(),
                    demand.priority(), demand.ordered(), demand.maxLatencyMillis(), demand.startGroup(), demand.endGroup())));
            if (cancelled) s.finish();
            s.flush();
            s.read(this);
        }, () -> {
            // No stream (the publisher's stream limit, or the connection going): the subscribers
            // must hear of it rather than wait on a subscription that never started.
            onAbort(session.isOpen() ? ErrorCode.CANCEL.code() : Connection.CLOSED_CODE);
        });
    }

    void update(Demand d) {
        demand = d;
        if (stream != null && !cancelled && session.version().hasSubscribeOptions()) {
            stream.write(session.encode(new SubscribeUpdate(d.priority(), d.ordered(), d.maxLatencyMillis(),
                    d.startGroup(), d.endGroup())));
            stream.flush();
        }
    }

    /** Nobody wants the track any more: FIN our side; late groups still fill the cache. */
    void cancel() {
        if (cancelled) return;
        cancelled = true;
        if (stream != null && !stream.isClosed()) stream.finish();
    }

    @Override
    protected MessageKind expected() {
        return MessageKind.SUBSCRIBE_RESPONSE;
    }

    @Override
    protected void onMessage(LiteMessage m) {
        if (m instanceof SubscribeEnd || m instanceof SubscribeDrop) {
            return; // the FIN that follows ends the track; drops are implicit gaps
        }
    }

    @Override
    protected void onEnd() {
        done();
        if (!cancelled) track.finish();
        if (stream != null && !stream.isClosed()) stream.finish();
    }

    /**
     * Once we cancelled, what the publisher still says on this stream no longer matters: a
     * message cut off by its FIN (seen from @moq/net publishers closing while answering) ends the
     * subscription instead of failing the publisher's whole session.
     */
    @Override
    protected void onTruncated() {
        if (cancelled) onEnd();
        else super.onTruncated();
    }

    @Override
    protected void onAbort(long code) {
        done();
        if (cancelled || code < 0) return; // connection loss: the broadcast lingers instead
        ErrorCode c = ErrorCode.of(code);
        track.abort(c == null ? ErrorCode.CANCEL : c);
    }

    private void done() {
        if (finished) return;
        finished = true;
        if (stream != null) session.metrics().upstreamSubscriptionClosed();
        session.unregisterUpstream(id);
        onDone.accept(this);
    }
}
