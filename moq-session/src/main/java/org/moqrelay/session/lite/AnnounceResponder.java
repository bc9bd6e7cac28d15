package org.moqrelay.session.lite;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Origin;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.Announce;
import org.moqrelay.wire.lite.AnnounceInit;
import org.moqrelay.wire.lite.AnnounceOk;
import org.moqrelay.wire.lite.AnnounceRequest;
import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.MessageKind;

/**
 * Answers the peer's ANNOUNCE_REQUEST: the broadcasts of the served origin under the prefix, then
 * live updates. Routes through the peer (its id in the hop chain) are never offered back to it.
 * Updates wait while the stream is not writable, one per path (the latest state), so a peer that
 * does not read costs at most one entry per broadcast, however often broadcasts come and go.
 */
final class AnnounceResponder extends MessageReader implements Origin.AnnounceListener {
    private final BidiStream stream;
    /** Paths the peer was told are active. */
    private final Set<Path> announced = new HashSet<>();
    /** Updates not yet written, by path: the broadcast now active there, or null for ended. */
    private final Map<Path, Broadcast> pending = new LinkedHashMap<>();
    private Path absPrefix;
    private long exclude;
    private Origin.Watch watch;
    private boolean requested;
    private final Runnable closeHook = this::release;

    AnnounceResponder(LiteSession session, BidiStream stream) {
        super(session);
        this.stream = stream;
    }

    @Override
    protected MessageKind expected() {
        return requested ? null : MessageKind.ANNOUNCE_REQUEST;
    }

    @Override
    protected void onMessage(LiteMessage m) {
        requested = true;
        AnnounceRequest req = (AnnounceRequest) m;
        org.slf4j.LoggerFactory.getLogger(AnnounceResponder.class).trace("session {}: {}", session.id(), req);
        absPrefix = session.root().join(req.prefix());
        exclude = req.excludeHop();
        if (exclude == 0 && session.peerSetup() != null) exclude = session.peerSetup().origin();
        List<Broadcast> initial = new ArrayList<>();
        if (session.grant().canSubscribe()) {
            stream.onWritable(this::drain);
            watch = session.config().serve().watch(absPrefix, this);
            for (Broadcast b : watch.initial()) {
                if (offer(b)) initial.add(b);
            }
            session.onClose(closeHook);
        }
        if (session.version().hasAnnounceInit()) {
            List<Path> suffixes = new ArrayList<>();
            for (Broadcast b : initial) {
                announced.add(b.path());
                suffixes.add(b.path().stripPrefix(absPrefix));
            }
            stream.write(session.encode(new AnnounceInit(suffixes)));
            stream.flush();
            return;
        }
        if (session.version().hasAnnounceOk()) {
            stream.write(session.encode(new AnnounceOk(session.config().localOrigin(), initial.size())));
        }
        for (Broadcast b : initial) {
            announced.add(b.path());
            stream.write(session.encode(active(b)));
        }
        stream.flush();
    }

    private boolean offer(Broadcast b) {
        Path rel = b.path().stripPrefix(session.root());
        if (rel == null || !session.grant().maySubscribe(rel)) return false;
        if (exclude != 0 && b.hops().contains(exclude)) return false;
        if (b.hops().contains(session.config().localOrigin())) return false;
        // lite-04 appends our own id: the list must stay within the limit.
        int extra = session.version() == LiteVersion.LITE_04 ? 1 : 0;
        return b.hops().size() + extra <= Announce.MAX_HOPS;
    }

    private Announce ended(Path path) {
        return new Announce(Announce.Status.ENDED, path.stripPrefix(absPrefix), List.of());
    }

    private Announce active(Broadcast b) {
        List<Long> hops = new ArrayList<>(b.hops());
        if (session.version() == LiteVersion.LITE_04) hops.add(session.config().localOrigin());
        return new Announce(Announce.Status.ACTIVE, b.path().stripPrefix(absPrefix), hops);
    }

    @Override
    public void onAnnounce(Broadcast b) {
        session.run(() -> {
            if (watch == null || stream.isClosed() || !offer(b)) return;
            pending.put(b.path(), b);
            drain();
        });
    }

    @Override
    public void onUnannounce(Broadcast b) {
        session.run(() -> {
            if (watch == null || stream.isClosed()) return;
            if (announced.contains(b.path())) pending.put(b.path(), null);
            else pending.remove(b.path()); // never told: nothing to take back
            drain();
        });
    }

    /** Writes the waiting updates while the stream takes them. */
    private void drain() {
        boolean wrote = false;
        Iterator<Map.Entry<Path, Broadcast>> it = pending.entrySet().iterator();
        while (it.hasNext() && stream.isWritable()) {
            Map.Entry<Path, Broadcast> e = it.next();
            it.remove();
            Broadcast b = e.getValue();
            if (b == null) {
                if (!announced.remove(e.getKey())) continue;
                stream.write(session.encode(ended(e.getKey())));
            } else {
                // A re-announce (a new route): lite-05 replaces in place, older versions end the old one first.
                if (announced.contains(b.path()) && session.version() != LiteVersion.LITE_05) {
                    stream.write(session.encode(ended(b.path())));
                }
                announced.add(b.path());
                stream.write(session.encode(active(b)));
            }
            wrote = true;
        }
        if (wrote) stream.flush();
    }

    @Override
    protected void onEnd() {
        release();
        stream.finish();
    }

    @Override
    protected void onAbort(long code) {
        release();
        if (!stream.isClosed()) stream.reset(0);
    }

    private void release() {
        if (watch != null) {
            watch.close();
            watch = null;
            session.removeOnClose(closeHook);
        }
    }
}
