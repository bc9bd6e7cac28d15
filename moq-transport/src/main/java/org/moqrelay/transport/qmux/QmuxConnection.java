package org.moqrelay.transport.qmux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.session.spi.ConnectionHandler;
import org.moqrelay.session.spi.SendStream;
import org.moqrelay.transport.qmux.wire.QmuxCodec;
import org.moqrelay.transport.qmux.wire.QmuxException;
import org.moqrelay.transport.qmux.wire.QmuxFrame;
import org.moqrelay.transport.qmux.wire.QmuxParams;
import org.moqrelay.transport.qmux.wire.QmuxVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A qmux session (QUIC stream semantics over WebSocket or TCP) seen as a MoQ {@link Connection}:
 * stream ids as in QUIC, credit-based flow control for bytes and stream counts, transport
 * parameters first, APPLICATION_CLOSE carrying the moq-lite close code. The legacy
 * {@code webtransport} framing has no parameters and no credits. Confined to the link's loop.
 */
public final class QmuxConnection implements Connection {
    private static final Logger log = LoggerFactory.getLogger(QmuxConnection.class);
    /** QUIC transport error codes used when the peer breaks the rules. */
    static final long FLOW_CONTROL_ERROR = 0x3;
    static final long STREAM_LIMIT_ERROR = 0x4;
    static final long STREAM_STATE_ERROR = 0x5;
    static final long PROTOCOL_VIOLATION = 0xa;
    /** Largest STREAM payload per frame we send. */
    static final int MAX_CHUNK = 16 * 1024;
    /**
     * Most bytes of ours that may wait for a peer that reads nothing, beyond what makes the link
     * unwritable. Stream data stops at unwritable, so only frames the peer provokes (QX_PING and
     * WebSocket ping answers, credits for its streams, resets) can pile up past it.
     */
    static final long MAX_BACKLOG = 1 << 20;
    /** How long the peer has to send its transport parameters, as the reference's qmux waits. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final QmuxLink link;
    private final QmuxVersion version;
    private final boolean server;
    private final QmuxParams local;
    private String protocol;
    private java.util.function.Consumer<QmuxParams> onPeerParams;
    private final String requestPath;
    private final Map<Long, QmuxStream> streams = new HashMap<>();
    private final Set<QmuxStream> blocked = new LinkedHashSet<>();
    private final ArrayDeque<Runnable> waitingForParams = new ArrayDeque<>();
    private final ArrayDeque<Runnable> waitingBidi = new ArrayDeque<>();
    private final ArrayDeque<Runnable> waitingUni = new ArrayDeque<>();
    private final List<Object> early = new ArrayList<>();
    private ConnectionHandler handler;
    private QmuxParams peer;
    private long nextLocalBidi;
    private long nextLocalUni;
    private long peerMaxBidi;
    private long peerMaxUni;
    private long nextPeerBidi;
    private long nextPeerUni;
    private long maxPeerBidi;
    private long maxPeerUni;
    private long connSent;
    private long connSendMax;
    private long connRecv;
    private long connConsumed;
    private long connRecvMax;
    private boolean closed;
    private boolean started;
    /** Within {@link #onMessage}: flushes wait for its end, so its answers leave in one write. */
    private boolean inMessage;
    private boolean flushWanted;
    private long handshakeTimeoutMillis = DEFAULT_HANDSHAKE_TIMEOUT.toMillis();
    private long pingSequence;
    private final QmuxTimers timers;

    /**
     * @param local our transport parameters (on the legacy framing, which cannot send them, their
     *              stream counts still apply, as credit given back when a stream is done)
     * @param protocol the MoQ ALPN the link negotiated, or "" for SETUP negotiation
     * @param requestPath the URL path and query (WebSocket), or null (TCP)
     */
    public QmuxConnection(QmuxLink link, QmuxVersion version, boolean server, QmuxParams local, String protocol,
                          String requestPath) {
        this.link = link;
        this.version = version;
        this.server = server;
        this.local = local;
        this.protocol = protocol;
        this.requestPath = requestPath;
        this.timers = new QmuxTimers(link, new QmuxTimers.Events() {
            @Override
            public void handshakeTimedOut() {
                // A transport close with NO_ERROR and this reason, as the reference sends.
                fail(0, "handshake timeout");
            }

            @Override
            public void idleTimedOut() {
                idleClose();
            }

            @Override
            public void keepAlive() {
                sendFrame(new QmuxFrame.Ping(false, pingSequence++));
                flush();
            }
        });
        // Stream credit applies to the legacy framing too, though it cannot send it: opening stream
        // n opens every lower one, so without it one frame for a huge id would have the relay
        // create streams until memory runs out. There it caps the streams open at once.
        maxPeerBidi = local.initialMaxStreamsBidi();
        maxPeerUni = local.initialMaxStreamsUni();
        if (version.hasTransportParameters()) {
            connRecvMax = local.initialMaxData();
        } else {
            connRecvMax = Long.MAX_VALUE;
            peer = null;
            peerMaxBidi = peerMaxUni = Long.MAX_VALUE;
            connSendMax = Long.MAX_VALUE;
        }
    }

    /**
     * Called once with the peer's transport parameters (TCP negotiates the MoQ version from their
     * {@code application_protocols}); must be set before {@link #start()}.
     */
    public void onPeerParams(java.util.function.Consumer<QmuxParams> callback) {
        onPeerParams = callback;
    }

    /** Records the MoQ protocol agreed in-band. */
    public void protocol(String p) {
        protocol = p;
    }

    /** How long the peer may take to send its transport parameters (zero: for ever); set before {@link #start()}. */
    public void handshakeTimeout(Duration timeout) {
        handshakeTimeoutMillis = timeout.toMillis();
    }

    /**
     * Sends our transport parameters and starts waiting for the peer's; call once the link is up.
     * Once they arrive, the idle timeout of both sides applies (qmux-01 and later, which have QX_PING).
     */
    public void start() {
        if (started) return;
        started = true;
        if (version.hasTransportParameters()) {
            sendFrame(new QmuxFrame.TransportParameters(local));
            flush();
            timers.awaitHandshake(handshakeTimeoutMillis);
        }
    }

    private boolean paramsKnown() {
        return !version.hasTransportParameters() || peer != null;
    }

    // ------------------------------------------------------------ Connection

    @Override
    public EventLoop eventLoop() {
        return link.eventLoop();
    }

    @Override
    public void handler(ConnectionHandler h) {
        handler = h;
        for (Object o : early) {
            if (o instanceof QmuxStream s) deliverPeerStream(s);
        }
        early.clear();
        if (closed) h.onClosed(-1, "", false);
    }

    @Override
    public Future<BidiStream> openBidi() {
        Promise<BidiStream> p = eventLoop().newPromise();
        open(true, p);
        return p;
    }

    @Override
    public Future<SendStream> openUni() {
        Promise<SendStream> p = eventLoop().newPromise();
        open(false, p);
        return p;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void open(boolean bidi, Promise p) {
        if (closed) {
            p.tryFailure(new IllegalStateException("connection closed"));
            return;
        }
        if (!paramsKnown()) {
            waitingForParams.add(() -> open(bidi, p));
            return;
        }
        long count = bidi ? nextLocalBidi : nextLocalUni;
        long max = bidi ? peerMaxBidi : peerMaxUni;
        if (count >= max) {
            (bidi ? waitingBidi : waitingUni).add(() -> open(bidi, p));
            return;
        }
        long id = (count << 2) | (bidi ? 0 : 2) | (server ? 1 : 0);
        if (bidi) nextLocalBidi++;
        else nextLocalUni++;
        long sendMax = bidi ? credit(peer == null ? -1 : peer.initialMaxStreamDataBidiRemote())
                : credit(peer == null ? -1 : peer.initialMaxStreamDataUni());
        long recvWindow = bidi ? window(local.initialMaxStreamDataBidiLocal()) : 0;
        QmuxStream s = new QmuxStream(this, id, true, bidi, sendMax, recvWindow);
        streams.put(id, s);
        p.trySuccess(s);
    }

    private long credit(long v) {
        return version.hasTransportParameters() ? v : Long.MAX_VALUE;
    }

    private long window(long v) {
        return version.hasTransportParameters() ? v : Long.MAX_VALUE;
    }

    @Override
    public int maxDatagramSize() {
        return 0;
    }

    @Override
    public void sendDatagram(ByteBuf data) {
        data.release(); // qmux bindings carry no MoQ datagrams
    }

    @Override
    public void close(long code, String reason) {
        if (closed) return;
        sendFrame(new QmuxFrame.ConnectionClose(true, code, 0, reason == null ? "" : reason));
        flush();
        shutdown(code, reason, true);
        link.close();
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public String requestPath() {
        return requestPath;
    }

    @Override
    public String describe() {
        return link.describe();
    }

    @Override
    public String transport() {
        return link.transport();
    }

    /** The negotiated framing. */
    public QmuxVersion version() {
        return version;
    }

    // ------------------------------------------------------------ inbound

    /** One WebSocket message or TCP record of frames. Releases {@code message}. */
    public void onMessage(ByteBuf message) {
        inMessage = true;
        try {
            if (closed) return;
            timers.received();
            List<QmuxFrame> frames = QmuxCodec.decodeMessage(message, version);
            for (int i = 0; i < frames.size(); i++) {
                QmuxFrame f = frames.get(i);
                if (closed) {
                    release(f);
                    continue;
                }
                try {
                    onFrame(f);
                } catch (QmuxException e) {
                    for (int j = i + 1; j < frames.size(); j++) release(frames.get(j));
                    throw e;
                }
            }
        } catch (QmuxException e) {
            fail(e.code(), e.getMessage());
        } finally {
            message.release();
            inMessage = false;
            if (flushWanted) flush();
        }
    }

    private static void release(QmuxFrame f) {
        f.release();
    }

    private void onFrame(QmuxFrame f) {
        if (f instanceof QmuxFrame.Padding) return;
        if (peer == null && version.hasTransportParameters() && !(f instanceof QmuxFrame.TransportParameters)) {
            release(f);
            throw new QmuxException(PROTOCOL_VIOLATION, "first frame must be QX_TRANSPORT_PARAMETERS, got " + f);
        }
        switch (f) {
            case QmuxFrame.TransportParameters t -> onParams(t.params());
            case QmuxFrame.Stream s -> onStream(s);
            case QmuxFrame.ResetStream r -> {
                QmuxStream s = peerOrKnown(r.streamId(), false);
                if (s != null) s.onReset(r.code());
            }
            case QmuxFrame.ResetStreamAt r -> {
                QmuxStream s = peerOrKnown(r.streamId(), false);
                if (s != null) s.onReset(r.code());
            }
            case QmuxFrame.StopSending r -> {
                QmuxStream s = peerOrKnown(r.streamId(), true);
                if (s != null) s.onStopSending(r.code());
            }
            case QmuxFrame.MaxData m -> {
                if (m.max() > connSendMax) {
                    connSendMax = m.max();
                    pumpBlocked();
                }
            }
            case QmuxFrame.MaxStreamData m -> {
                QmuxStream s = streams.get(m.streamId());
                if (s != null && m.max() > s.sendMax) {
                    s.sendMax = m.max();
                    pump(s);
                }
            }
            case QmuxFrame.MaxStreams m -> onMaxStreams(m.bidi(), m.max());
            case QmuxFrame.ConnectionClose c -> {
                shutdown(c.code(), c.reason(), c.application() && c.code() == 0);
                link.close();
            }
            case QmuxFrame.Ping p -> {
                if (!p.response()) {
                    sendFrame(new QmuxFrame.Ping(true, p.sequence()));
                    flush();
                }
            }
            case QmuxFrame.Datagram d -> d.data().release();
            case QmuxFrame.Padding p -> { }
            case QmuxFrame.DataBlocked b -> { }
            case QmuxFrame.StreamDataBlocked b -> { }
            case QmuxFrame.StreamsBlocked b -> { }
        }
    }

    private void onParams(QmuxParams p) {
        if (peer != null) throw new QmuxException(PROTOCOL_VIOLATION, "second QX_TRANSPORT_PARAMETERS");
        peer = p;
        peerMaxBidi = p.initialMaxStreamsBidi();
        peerMaxUni = p.initialMaxStreamsUni();
        connSendMax = p.initialMaxData();
        // Only the drafts with QX_PING can keep a quiet session alive, so only they time out.
        timers.established(version.hasPing()
                ? QmuxTimers.negotiatedIdleMillis(local.maxIdleTimeoutMillis(), p.maxIdleTimeoutMillis()) : 0);
        if (onPeerParams != null) onPeerParams.accept(p);
        while (!waitingForParams.isEmpty()) waitingForParams.poll().run();
    }

    private void onMaxStreams(boolean bidi, long max) {
        if (bidi && max > peerMaxBidi) {
            peerMaxBidi = max;
            drain(waitingBidi);
        } else if (!bidi && max > peerMaxUni) {
            peerMaxUni = max;
            drain(waitingUni);
        }
    }

    private static void drain(ArrayDeque<Runnable> q) {
        int n = q.size();
        for (int i = 0; i < n && !q.isEmpty(); i++) q.poll().run();
    }

    private void onStream(QmuxFrame.Stream f) {
        QmuxStream s;
        try {
            s = peerOrKnown(f.streamId(), false);
        } catch (QmuxException e) {
            f.data().release();
            throw e;
        }
        if (s == null) {
            f.data().release();
            return;
        }
        // The legacy webtransport framing carries no offsets (LegacyFrames decodes them as 0): each
        // STREAM message continues the stream where the previous one ended. So do QMux STREAM
        // frames without the OFF bit, which decode as offset 0: @moq/qmux 0.0.x (inside the field
        // client @moq/lite 0.2.x) sends every qmux-00 STREAM frame as 0x0a/0x0b, LEN but no OFF.
        // The link is reliable and ordered, and the reference (rs/qmux) does not check receive
        // offsets at all; we still refuse an explicit offset that leaves a gap or goes back.
        long offset = version == QmuxVersion.WEBTRANSPORT || f.offset() == 0 ? s.recvOffset : f.offset();
        if (offset != s.recvOffset) {
            f.data().release();
            throw new QmuxException(PROTOCOL_VIOLATION, "stream " + f.streamId() + " data at offset " + offset
                    + ", expected " + s.recvOffset);
        }
        long end = offset + f.data().readableBytes();
        if (end > s.recvMax || connRecv + f.data().readableBytes() > connRecvMax) {
            f.data().release();
            throw new QmuxException(FLOW_CONTROL_ERROR, "stream " + f.streamId() + " exceeded its credit");
        }
        s.onData(f.data(), f.fin());
    }

    /**
     * The stream with {@code id}: an existing one, a new peer-initiated one (QUIC opens every
     * lower id implicitly), or null for one of ours that is already gone.
     *
     * @param sendFrame true for frames about the peer's receive side (STOP_SENDING)
     */
    private QmuxStream peerOrKnown(long id, boolean sendFrame) {
        QmuxStream s = streams.get(id);
        if (s != null) return s;
        boolean peerInitiated = ((id & 1) == 1) != server;
        if (!peerInitiated) {
            if (id >> 2 >= (((id & 2) == 0) ? nextLocalBidi : nextLocalUni)) {
                throw new QmuxException(STREAM_STATE_ERROR, "frame for stream " + id + " that we never opened");
            }
            return null;
        }
        boolean bidi = (id & 2) == 0;
        long index = id >> 2;
        long next = bidi ? nextPeerBidi : nextPeerUni;
        if (index < next) return null; // already closed
        if (index >= (bidi ? maxPeerBidi : maxPeerUni)) {
            throw new QmuxException(STREAM_LIMIT_ERROR, "peer opened stream " + id + " beyond the limit");
        }
        if (!bidi && sendFrame) {
            throw new QmuxException(STREAM_STATE_ERROR, "STOP_SENDING for the peer's own uni stream " + id);
        }
        QmuxStream created = null;
        for (long i = next; i <= index; i++) {
            long sid = (i << 2) | (bidi ? 0 : 2) | (server ? 0 : 1);
            long sendMax = bidi ? credit(peer == null ? -1 : peer.initialMaxStreamDataBidiLocal()) : 0;
            long recvWindow = bidi ? window(local.initialMaxStreamDataBidiRemote()) : window(local.initialMaxStreamDataUni());
            QmuxStream ns = new QmuxStream(this, sid, bidi, true, sendMax, recvWindow);
            streams.put(sid, ns);
            if (handler == null) early.add(ns);
            else deliverPeerStream(ns);
            created = ns;
        }
        if (bidi) nextPeerBidi = index + 1;
        else nextPeerUni = index + 1;
        return created;
    }

    private void deliverPeerStream(QmuxStream s) {
        if ((s.id & 2) == 0) handler.onBidiStream(s);
        else handler.onUniStream(s);
    }

    /** The link went away without a CONNECTION_CLOSE. */
    public void onLinkClosed() {
        shutdown(-1, "connection lost", false);
    }

    /** The link can take more bytes again. */
    public void onLinkWritable() {
        pumpBlocked();
        for (QmuxStream s : new ArrayList<>(streams.values())) s.notifyWritable();
    }

    private void fail(long code, String reason) {
        log.info("qmux session {} protocol error 0x{}: {}", link.describe(), Long.toHexString(code), reason);
        if (closed) return;
        sendFrame(new QmuxFrame.ConnectionClose(false, code, 0, reason));
        flush();
        shutdown(code, reason, false);
        link.close();
    }

    /**
     * Ends the session if the peer has let more than {@link #MAX_BACKLOG} bytes of ours pile up
     * unread; the link calls it after writing something of its own (a WebSocket pong).
     */
    public void checkBacklog() {
        if (closed || link.backlog() <= MAX_BACKLOG) return;
        log.info("qmux session {}: the peer reads nothing while more than {} bytes wait for it, closing",
                link.describe(), MAX_BACKLOG);
        // Neither a CONNECTION_CLOSE nor a graceful close would ever get past what it does not read.
        shutdown(-1, "peer not reading", false);
        link.abort();
    }

    /** Nothing heard within the idle timeout: closed without a word, as QUIC and the reference do. */
    private void idleClose() {
        if (closed) return;
        log.info("qmux session {}: nothing heard within the idle timeout, closing", link.describe());
        shutdown(-1, "idle timeout", false);
        link.close();
    }

    private void shutdown(long code, String reason, boolean clean) {
        if (closed) return;
        closed = true;
        timers.stop();
        if (handler != null) handler.onClosed(code, reason, clean);
        for (QmuxStream s : new ArrayList<>(streams.values())) s.onConnectionClosed();
        streams.clear();
        blocked.clear();
        for (Object o : early) {
            if (o instanceof QmuxStream s) s.onConnectionClosed();
        }
        early.clear();
    }

    // ------------------------------------------------------------ outbound, called by streams

    boolean linkWritable() {
        return link.isWritable();
    }

    void pump(QmuxStream s) {
        if (closed) return;
        boolean sent = false;
        while (s.wantsSend() && link.isWritable()) {
            long credit = Math.min(s.sendMax - s.sendOffset, connSendMax - connSent);
            if (s.queued() > 0) {
                if (credit <= 0) {
                    blocked.add(s);
                    break;
                }
                long offset = s.sendOffset;
                ByteBuf chunk = s.take((int) Math.min(Math.min(credit, MAX_CHUNK), link.maxMessageSize() - 32));
                if (connSendMax != Long.MAX_VALUE) connSent += chunk.readableBytes();
                boolean fin = s.readyForFin();
                sendFrame(new QmuxFrame.Stream(s.id, offset, chunk, fin));
                if (fin) s.markFinSent();
                sent = true;
            } else if (s.readyForFin()) {
                sendFrame(new QmuxFrame.Stream(s.id, s.sendOffset, io.netty.buffer.Unpooled.EMPTY_BUFFER, true));
                s.markFinSent();
                sent = true;
            } else {
                break;
            }
        }
        if (s.wantsSend() && !link.isWritable()) blocked.add(s);
        if (sent) flush();
    }

    private void pumpBlocked() {
        List<QmuxStream> again = new ArrayList<>(blocked);
        blocked.clear();
        for (QmuxStream s : again) pump(s);
    }

    void sendReset(QmuxStream s, long code) {
        if (closed) return;
        blocked.remove(s);
        sendFrame(new QmuxFrame.ResetStream(s.id, code, s.sendOffset));
        flush();
    }

    void sendStopSending(QmuxStream s, long code) {
        if (closed) return;
        sendFrame(new QmuxFrame.StopSending(s.id, code));
        flush();
    }

    /**
     * {@code n} bytes arrived on {@code s} after we stopped reading it (STOP_SENDING sent, or its
     * end already seen) and were dropped: they still advance the stream's offset and use the
     * connection's credit (RFC 9000 §4.5), which we give back; the stream's own window is not
     * reopened, so a peer ignoring STOP_SENDING hits FLOW_CONTROL_ERROR, not a bogus offset error.
     */
    /** Bytes of {@code s} that arrived; credit is given back only as they are consumed. */
    void received(QmuxStream s, int n) {
        s.recvOffset += n;
        connRecv += n;
    }

    /** Bytes dropped unread (after STOP_SENDING): the connection's credit comes back at once. */
    void discarded(QmuxStream s, int n) {
        connConsumed += n;
        grantConnection();
    }

    /**
     * The link broke the rules below the frames (an oversize TCP record, a WebSocket text
     * message): CONNECTION_CLOSE with the QUIC transport error {@code code}, then close.
     */
    public void protocolError(long code, String reason) {
        fail(code, reason);
    }

    /**
     * The application took {@code n} bytes off {@code s}: credit goes back when half the window is
     * used. Bytes queued for a stream nobody reads yet are not consumed, so a peer can never make
     * us buffer more than one window per stream (and one per connection).
     */
    void consumed(QmuxStream s, int n) {
        s.recvConsumed += n;
        connConsumed += n;
        if (!version.hasTransportParameters() || closed) return;
        if (s.recvMax - s.recvConsumed < s.recvWindow / 2) {
            s.recvMax = s.recvConsumed + s.recvWindow;
            sendFrame(new QmuxFrame.MaxStreamData(s.id, s.recvMax));
            flush();
        }
        grantConnection();
    }

    private void grantConnection() {
        if (!version.hasTransportParameters() || closed) return;
        if (connRecvMax - connConsumed < local.initialMaxData() / 2) {
            connRecvMax = connConsumed + local.initialMaxData();
            sendFrame(new QmuxFrame.MaxData(connRecvMax));
            flush();
        }
    }

    /** Both halves of {@code s} are done: forget it, and let the peer open another in its place. */
    void streamDone(QmuxStream s) {
        streams.remove(s.id);
        blocked.remove(s);
        boolean peerInitiated = ((s.id & 1) == 1) != server;
        if (!peerInitiated) return;
        boolean bidi = (s.id & 2) == 0;
        if (bidi) maxPeerBidi++;
        else maxPeerUni++;
        if (!version.hasTransportParameters() || closed) return; // the legacy framing has no MAX_STREAMS
        sendFrame(new QmuxFrame.MaxStreams(bidi, bidi ? maxPeerBidi : maxPeerUni));
        flush();
    }

    private void flush() {
        flushWanted = inMessage;
        if (!inMessage) link.flush();
    }

    private void sendFrame(QmuxFrame f) {
        timers.sent();
        if (f instanceof QmuxFrame.Stream s) {
            // Media: the data (often a cached frame shared by every subscriber) is not copied.
            link.send(QmuxCodec.encodeStream(ByteBufAllocator.DEFAULT, s, version));
        } else {
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            try {
                QmuxCodec.encode(out, f, version);
            } catch (RuntimeException e) {
                out.release();
                throw e;
            } finally {
                f.release();
            }
            link.send(out);
            // Only these can pile up: media goes out only while the link is writable.
            checkBacklog();
        }
    }
}
