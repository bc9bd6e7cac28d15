package org.moqrelay.session.lite;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Origin;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.Announce;
import org.moqrelay.wire.lite.AnnounceInit;
import org.moqrelay.wire.lite.AnnounceOk;
import org.moqrelay.wire.lite.AnnounceRequest;
import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.MessageKind;
import org.moqrelay.wire.lite.StreamType;

/**
 * Asks the peer for its broadcasts under a prefix and publishes each into the ingest origin, with
 * this session as the source of its tracks. When the session is lost abruptly the broadcasts
 * linger; a clean end unannounces them at once.
 */
final class AnnounceRequester extends MessageReader {
    private final Path prefix;
    private final Map<Path, Broadcast> active = new HashMap<>();
    private boolean gotOk;
    private long peerOrigin;

    private AnnounceRequester(LiteSession session, Path prefix) {
        super(session);
        this.prefix = prefix;
    }

    static void open(LiteSession session, Path prefix) {
        AnnounceRequester r = new AnnounceRequester(session, prefix);
        LiteSession.onSuccess(session.connection().openBidi(), (BidiStream s) -> {
            s.write(session.encode(StreamType.BIDI_ANNOUNCE, new AnnounceRequest(prefix, session.config().localOrigin())));
            s.flush();
            s.read(r);
            session.onClose(r::sessionClosed);
        });
    }

    @Override
    protected MessageKind expected() {
        if (!gotOk && session.version().hasAnnounceInit()) return MessageKind.ANNOUNCE_INIT;
        return session.version().hasAnnounceOk() && !gotOk ? MessageKind.ANNOUNCE_OK : MessageKind.ANNOUNCE;
    }

    @Override
    protected void onMessage(LiteMessage m) {
        org.slf4j.LoggerFactory.getLogger(AnnounceRequester.class).trace("session {}: {}", session.id(), m);
        if (m instanceof AnnounceOk ok) {
            gotOk = true;
            peerOrigin = ok.origin();
            return;
        }
        if (m instanceof AnnounceInit init) {
            gotOk = true;
            for (Path suffix : init.suffixes()) onAnnounce(new Announce(Announce.Status.ACTIVE, suffix, List.of()));
            return;
        }
        onAnnounce((Announce) m);
    }

    private void onAnnounce(Announce a) {
        Path peerPath = prefix.join(a.suffix());
        if (!session.grant().mayPublish(peerPath)) {
            return; // outside what this session may publish: ignored, as the reference does
        }
        Origin ingest = session.config().ingest();
        if (!a.active()) {
            Broadcast b = active.remove(peerPath);
            if (b != null) ingest.unpublish(b);
            return;
        }
        Broadcast existing = active.get(peerPath);
        if (existing != null && session.version() != LiteVersion.LITE_05) {
            session.fail(ErrorCode.DUPLICATE, "duplicate ANNOUNCE of " + peerPath);
            return;
        }
        List<Long> hops = new ArrayList<>(a.hops());
        if (session.version() == LiteVersion.LITE_05 && peerOrigin != 0) hops.add(peerOrigin);
        if (hops.contains(session.config().localOrigin())) {
            return; // our own broadcast reflected back: a loop
        }
        if (hops.size() > Announce.MAX_HOPS) return;
        Broadcast b = Broadcast.remote(session.root().join(peerPath), hops, new UpstreamSource(session, peerPath));
        active.put(peerPath, b);
        ingest.publish(b);
    }

    @Override
    protected void onEnd() {
        endAll(true);
    }

    @Override
    protected void onAbort(long code) {
        // Connection loss: the session's close hook decides between unannounce and linger,
        // once it knows whether the close was clean. A reset of this stream alone is a loss too
        // (no Ended was said): its broadcasts linger, as the reference's do.
        if (code != org.moqrelay.session.spi.Connection.CLOSED_CODE) endAll(false);
    }

    private void sessionClosed() {
        endAll(session.closedCleanly());
    }

    private void endAll(boolean clean) {
        Origin ingest = session.config().ingest();
        for (Broadcast b : active.values()) {
            if (clean) ingest.unpublish(b);
            else ingest.linger(b);
        }
        active.clear();
        stop();
    }
}
