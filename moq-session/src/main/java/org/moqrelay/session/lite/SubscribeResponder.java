package org.moqrelay.session.lite;

import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.List;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Group;
import org.moqrelay.model.Subscription;
import org.moqrelay.model.Track;
import org.moqrelay.model.TrackException;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.SendStream;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.MessageKind;
import org.moqrelay.wire.lite.Subscribe;
import org.moqrelay.wire.lite.SubscribeEnd;
import org.moqrelay.wire.lite.SubscribeOk;
import org.moqrelay.wire.lite.SubscribeStart;
import org.moqrelay.wire.lite.SubscribeUpdate;

/**
 * Serves one downstream SUBSCRIBE from the shared track: the latest cached group first (late
 * join), then every new group on its own uni stream. At most {@link #MAX_IN_FLIGHT} groups are in
 * flight; a subscriber that cannot keep up loses its oldest group (reset Old) instead of
 * buffering without bound or slowing anyone else.
 */
final class SubscribeResponder extends MessageReader implements Track.Listener {
    static final int MAX_IN_FLIGHT = 8;

    private final BidiStream stream;
    private final ArrayDeque<GroupWriter> inFlight = new ArrayDeque<>();
    private final Runnable closeHook = () -> cleanup(ErrorCode.CANCEL);
    private Subscribe request;
    private Subscription subscription;
    private boolean ending;
    private boolean closed;
    private long highest = -1;
    /** The group SUBSCRIBE_START named (the first delivered; -1 before): nothing older follows, ordered or not. */
    private long startedAt = -1;
    /** When the subscription began: frames that arrived before it are replays, not timed as forwarding. */
    private final long startedNanos = System.nanoTime();

    SubscribeResponder(LiteSession session, BidiStream stream) {
        super(session);
        this.stream = stream;
    }

    @Override
    protected MessageKind expected() {
        return request == null ? MessageKind.SUBSCRIBE : MessageKind.SUBSCRIBE_UPDATE;
    }

    @Override
    protected void onMessage(LiteMessage m) {
        if (m instanceof SubscribeUpdate u) {
            if (subscription != null) {
                request = new Subscribe(request.id(), request.broadcast(), request.track(), u.priority(), u.ordered(),
                        u.maxLatencyMillis(), u.startGroup(), u.endGroup());
                subscription.update(demand(request));
            }
            return;
        }
        request = (Subscribe) m;
        Track track;
        try {
            track = TrackLookup.find(session, request.broadcast(), request.track());
        } catch (TrackException e) {
            closed = true;
            stream.reset(e.code().code());
            return;
        }
        if (!session.version().hasSubscribeStart()) {
            stream.write(session.encode(new SubscribeOk(request.priority(), false, 0, null, null)));
            stream.flush();
        }
        session.onClose(closeHook);
        subscription = track.subscribe(demand(request), this);
        session.metrics().downstreamSubscriptionOpened();
        session.viewerOpened(request.broadcast());
        if (closed) {
            // The track ended inside subscribe (an upstream open that failed at once) and this
            // stream was answered then, before the subscription existed to be let go.
            release();
            return;
        }
        for (Group g : subscription.initialGroups()) deliver(g);
        // The subscription's track: not the one looked up if that one was forgotten meanwhile.
        Track joined = subscription.track();
        if (joined.state() != Track.State.LIVE) onEnd(joined);
    }

    private static Demand demand(Subscribe s) {
        return new Demand(s.priority(), s.ordered(), s.maxLatencyMillis(), s.startGroup(), s.endGroup());
    }

    @Override
    public void onGroup(Track track, Group group) {
        // Spared by the cache budget until this session's loop has taken it in hand.
        group.handOff(session::run, () -> deliver(group));
    }

    @Override
    public void onEnd(Track track) {
        session.run(() -> {
            if (closed || ending) return;
            ending = true;
            if (track.state() == Track.State.ABORTED) {
                ErrorCode code = track.error() == null ? ErrorCode.CANCEL : track.error();
                cleanup(code);
                return;
            }
            if (session.version().hasSubscribeStart()) {
                stream.write(session.encode(new SubscribeEnd(track.endGroup())));
                stream.flush();
            }
            maybeFinish();
        });
    }

    private void deliver(Group g) {
        if (closed || ending) return;
        Long start = request.startGroup();
        Long end = request.endGroup();
        if (start != null && g.sequence() < start) return;
        if (end != null && g.sequence() > end) return;
        if (startedAt < 0) {
            startedAt = g.sequence();
            if (session.version().hasSubscribeStart()) {
                stream.write(session.encode(new SubscribeStart(g.sequence())));
                stream.flush();
            }
        } else if (g.sequence() < startedAt || (g.sequence() <= highest && request.ordered())) {
            return; // below the start we announced, or (ordered) behind what was sent
        }
        highest = Math.max(highest, g.sequence());
        if (inFlight.size() >= MAX_IN_FLIGHT) {
            inFlight.peekFirst().cancel(ErrorCode.OLD);
        }
        GroupWriter w = new GroupWriter(session, g, request.id(), startedNanos, this::writerDone);
        inFlight.addLast(w);
        Future<SendStream> opening = session.connection().openUni();
        LiteSession.onSuccessOrElse(opening, (SendStream s) -> {
            s.priority(request.priority());
            w.start(s);
        }, () -> w.cancel(ErrorCode.CANCEL));
        // A stream that waits for the peer's credit (qmux) must not keep the group from the budget
        // meanwhile: a subscriber that grants none would pin its groups in flight.
        if (!opening.isDone()) w.releaseGroup();
    }

    private void writerDone(GroupWriter w) {
        inFlight.remove(w);
        maybeFinish();
    }

    private void maybeFinish() {
        if (ending && !closed && inFlight.isEmpty()) {
            closed = true;
            stream.finish();
            release();
        }
    }

    @Override
    protected void onEnd() {
        // The subscriber FINs to unsubscribe: drop what is in flight and FIN back (§3.4).
        if (closed) {
            if (!stream.isClosed()) stream.finish();
            return;
        }
        closed = true;
        for (GroupWriter w : List.copyOf(inFlight)) w.cancel(ErrorCode.CANCEL);
        inFlight.clear();
        release();
        if (!stream.isClosed()) stream.finish();
    }

    @Override
    protected void onAbort(long code) {
        cleanup(ErrorCode.CANCEL);
    }

    private void cleanup(ErrorCode code) {
        if (closed) return;
        closed = true;
        for (GroupWriter w : List.copyOf(inFlight)) w.cancel(ErrorCode.CANCEL);
        inFlight.clear();
        if (!stream.isClosed()) stream.reset(code.code());
        release();
    }

    private void release() {
        session.removeOnClose(closeHook);
        if (subscription != null) {
            subscription.close();
            subscription = null;
            session.metrics().downstreamSubscriptionClosed();
            session.viewerClosed(request.broadcast());
        }
    }
}
