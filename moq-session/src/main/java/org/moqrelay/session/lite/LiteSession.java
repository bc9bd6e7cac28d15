package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.moqrelay.model.Broadcast;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.session.spi.ConnectionHandler;
import org.moqrelay.session.spi.DiscardHandler;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.session.spi.RecvStream;
import org.moqrelay.session.spi.SendStream;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.Frames;
import org.moqrelay.wire.lite.LiteCodec;
import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.Setup;
import org.moqrelay.wire.lite.StreamType;
import org.moqrelay.wire.VarInts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A moq-lite session over one {@link Connection}, either side. It dispatches the peer's streams
 * by type and owns both halves: serving {@link SessionConfig#serve()} to the peer (announce,
 * track, subscribe, fetch responders) and feeding the peer's broadcasts into
 * {@link SessionConfig#ingest()} (announce requester, upstream subscriptions, group readers).
 * Confined to the connection's event loop.
 */
public final class LiteSession implements ConnectionHandler {
    private static final Logger log = LoggerFactory.getLogger(LiteSession.class);
    /**
     * The subscribe id of keep-alive datagrams: never allocated (ids count up from 0), and below
     * 2^53 so that JavaScript peers decode it exactly before dropping it.
     */
    static final long KEEP_ALIVE_SUBSCRIBE_ID = (1L << 53) - 1;

    /** A raw-QUIC client must send its SETUP (carrying the path) within this time. */
    static final long SETUP_TIMEOUT_MILLIS = 10_000;
    /** Grants expiring after this (year ~292 million) get no expiry timer. */
    private static final Instant FAR_FUTURE = Instant.ofEpochMilli(Long.MAX_VALUE / 2);
    /** Most bytes of unfinished frames all of one session's streams may hold: two of the largest frames. */
    static final long MAX_PARTIAL_FRAME_BYTES = 2L * Frames.MAX_FRAME_SIZE;

    private final Connection conn;
    private final LiteVersion version;
    private final SessionConfig config;
    private final String id;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final List<Runnable> pendingUntilReady = new ArrayList<>();
    /** In order of registration; a set, as streams come and go by the thousand and each removes its own. */
    private final LinkedHashSet<Runnable> closeHooks = new LinkedHashSet<>();
    private final Map<Long, UpstreamSubscription> upstream = new HashMap<>();
    /** Open downstream subscriptions per broadcast (relative to the root), for viewer counts. */
    private final Map<Path, Integer> viewers = new HashMap<>();
    /** Tasks {@link #run} handed to the loop that have not started yet. */
    private final AtomicInteger queued = new AtomicInteger();
    private long nextSubscribeId;
    private Authorizer.Grant grant;
    /** Nothing is counted before the session is authorized: its tier is not known yet. */
    private SessionMetrics metrics = SessionMetrics.NOOP;
    private Setup peerSetup;
    private boolean authorizing;
    private boolean isClosed;
    private ScheduledFuture<?> setupTimer;
    /** Bytes of unfinished frames the session's streams hold ({@link PartialFrames}). */
    private long partialFrameBytes;

    private LiteSession(Connection conn, LiteVersion version, SessionConfig config, String id) {
        this.conn = conn;
        this.version = version;
        this.config = config;
        this.id = id;
    }

    /** Starts a session on {@code conn}; call on the connection's event loop. */
    public static LiteSession start(Connection conn, LiteVersion version, SessionConfig config, String id) {
        LiteSession s = new LiteSession(conn, version, config, id);
        conn.handler(s);
        s.begin();
        return s;
    }

    private void begin() {
        if (version.hasSetupStream()) sendSetup();
        if (version.hasDatagrams()) {
            // QUIC closes a connection after its idle timeout without packets, and Netty's QUIC has no
            // PING: a datagram for a subscription that cannot exist keeps quiet sessions alive; peers drop it.
            // The connection idles out after the smaller of both sides' timeouts: the peer's may be shorter.
            long period = SessionConfig.keepAliveWithin(config.keepAliveMillis(), conn.peerIdleTimeoutMillis());
            ScheduledFuture<?> keepAlive = eventLoop().scheduleAtFixedRate(this::keepAlive, period, period, TimeUnit.MILLISECONDS);
            closeHooks.add(() -> keepAlive.cancel(false));
        }
        if (!config.server()) {
            becomeReady(Authorizer.Grant.all(Path.ROOT));
        } else if (conn.requestPath() != null || !version.hasSetupStream()) {
            authorize(conn.requestPath() == null ? "" : conn.requestPath());
        } else {
            setupTimer = eventLoop().schedule(() -> fail(ErrorCode.TIMEOUT, "no SETUP within " + SETUP_TIMEOUT_MILLIS + " ms"),
                    SETUP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void authorize(String pathAndQuery) {
        // Once: a SETUP that arrives while the URL is still being authorized must not start another.
        authorizing = true;
        Authorizer.Request request = new Authorizer.Request(pathAndQuery, conn.requestHost(), conn.transport(), conn.peerCertificate());
        config.authorizer().authorize(request).whenComplete((g, err) -> run(() -> authorized(g, err)));
    }

    private void authorized(Authorizer.Grant g, Throwable err) {
        if (isClosed) return;
        try {
            if (err != null) {
                Throwable cause = err instanceof java.util.concurrent.CompletionException ? err.getCause() : err;
                if (cause instanceof SessionRefusedException r) throw r;
                throw new SessionRefusedException(ErrorCode.UNAUTHORIZED, "authorization failed: " + cause);
            }
            long role = peerSetup == null ? 0 : peerSetup.role();
            if (role == 1) g = g.publishOnly();
            else if (role == 2) g = g.subscribeOnly();
            if (!g.canPublish() && !g.canSubscribe()) {
                throw new SessionRefusedException(ErrorCode.UNAUTHORIZED, "role " + role + " is not granted");
            }
            if (log.isInfoEnabled()) {
                log.info("session {} authorized: root '{}', publish {}, subscribe {}{}", id, g.root(), prefixes(g.publish()),
                        prefixes(g.subscribe()), g.tier().isEmpty() ? "" : ", tier '" + g.tier() + "'");
            }
            becomeReady(g);
        } catch (SessionRefusedException e) {
            log.info("session {} refused: {}", id, e.getMessage());
            close(e.closeCode(), e.getMessage());
        }
    }

    /** {@code ['', 'cam']}, or {@code none}: the root prefix must not print as an empty list. */
    private static String prefixes(List<Path> paths) {
        if (paths.isEmpty()) return "none";
        StringBuilder out = new StringBuilder("[");
        for (Path p : paths) out.append(out.length() > 1 ? ", '" : "'").append(p).append('\'');
        return out.append(']').toString();
    }

    private void becomeReady(Authorizer.Grant g) {
        grant = g;
        // Counted from here on, in the grant's tier, as the reference counts a session once its stats context is made.
        metrics = config.metrics().forTier(g.tier());
        metrics.sessionOpened();
        SessionMetrics counted = metrics;
        onClose(counted::sessionClosed);
        if (setupTimer != null) setupTimer.cancel(false);
        if (config.requestAnnounces() && config.ingest() != null) {
            // One request per prefix the peer may publish under, as the reference relay does.
            for (Path prefix : g.publish()) AnnounceRequester.open(this, prefix);
        }
        // A signed exp can lie beyond what milliseconds hold (toEpochMilli would throw): such a
        // grant never expires in practice, so it gets no timer.
        if (g.expires() != null && g.expires().isBefore(FAR_FUTURE)) {
            long delay = Math.max(0, g.expires().toEpochMilli() - System.currentTimeMillis());
            ScheduledFuture<?> expiry = eventLoop().schedule(() -> {
                log.info("session {}: credentials expired", id);
                close(ErrorCode.UNAUTHORIZED.code(), "token expired");
            }, delay, TimeUnit.MILLISECONDS);
            onClose(() -> expiry.cancel(false));
        }
        List<Runnable> queued = new ArrayList<>(pendingUntilReady);
        pendingUntilReady.clear();
        queued.forEach(Runnable::run);
        ready.complete(null);
    }

    private void sendSetup() {
        conn.openUni().addListener(f -> {
            if (!f.isSuccess()) return;
            SendStream s = (SendStream) f.getNow();
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            VarInts.write(out, StreamType.UNI_SETUP);
            String path = config.server() ? null : config.setupPath();
            LiteCodec.encode(out, Setup.of(config.localOrigin(), path, null, null), version);
            s.write(out);
            s.finish();
        });
    }

    private void keepAlive() {
        if (isClosed || conn.maxDatagramSize() < 16) return;
        ByteBuf d = ByteBufAllocator.DEFAULT.buffer(10);
        VarInts.write(d, KEEP_ALIVE_SUBSCRIBE_ID);
        VarInts.write(d, 0); // group
        VarInts.write(d, 0); // timestamp; no payload
        conn.sendDatagram(d);
    }

    // ------------------------------------------------------------ accessors for the stream handlers

    LiteVersion version() {
        return version;
    }

    SessionConfig config() {
        return config;
    }

    Connection connection() {
        return conn;
    }

    String id() {
        return id;
    }

    /** The session's root in the origin; every wire path is relative to it. */
    Path root() {
        return grant.root();
    }

    Authorizer.Grant grant() {
        return grant;
    }

    /** The traffic hooks of this session's tier ({@link SessionMetrics#NOOP} until authorized). */
    SessionMetrics metrics() {
        return metrics;
    }

    /** The peer's SETUP, or null (pre-05 peers, or not arrived yet). */
    Setup peerSetup() {
        return peerSetup;
    }

    long allocateSubscribeId() {
        return nextSubscribeId++;
    }

    void registerUpstream(long subscribeId, UpstreamSubscription s) {
        upstream.put(subscribeId, s);
    }

    void unregisterUpstream(long subscribeId) {
        upstream.remove(subscribeId);
    }

    UpstreamSubscription upstream(long subscribeId) {
        return upstream.get(subscribeId);
    }

    /** A downstream subscription to {@code broadcast} opened: the first one makes the peer a viewer. */
    void viewerOpened(Path broadcast) {
        if (viewers.merge(broadcast, 1, Integer::sum) == 1) metrics.viewerOpened();
    }

    /** A downstream subscription to {@code broadcast} ended: the last one ends the viewer. */
    void viewerClosed(Path broadcast) {
        Integer n = viewers.get(broadcast);
        if (n == null) return;
        if (n > 1) {
            viewers.put(broadcast, n - 1);
        } else {
            viewers.remove(broadcast);
            metrics.viewerClosed();
        }
    }

    /**
     * Runs {@code r} when the session closes (release subscriptions, linger broadcasts...). A hook
     * that belongs to one stream must be removed when the stream ends ({@link #removeOnClose}).
     * The same instance given twice runs once.
     */
    void onClose(Runnable r) {
        if (isClosed) r.run();
        else closeHooks.add(r);
    }

    void removeOnClose(Runnable r) {
        closeHooks.remove(r);
    }

    /** How many close hooks are registered: per-stream ones must not outlive their stream. */
    int closeHookCount() {
        return closeHooks.size();
    }

    /**
     * Runs {@code r} on this session's loop: directly when already there and nothing handed over
     * earlier is still waiting, else after it. Calls that follow one another (the first returned
     * before the second began, whatever threads made them) run in that order: a SUBSCRIBE handed
     * over by a subscriber on another loop is never overtaken by the UNSUBSCRIBE made on this one.
     */
    void run(Runnable r) {
        EventLoop loop = eventLoop();
        if (loop.inEventLoop() && queued.get() == 0) {
            r.run();
            return;
        }
        queued.incrementAndGet();
        try {
            loop.execute(() -> {
                queued.decrementAndGet();
                r.run();
            });
        } catch (RuntimeException e) { // the loop is shutting down
            queued.decrementAndGet();
            throw e;
        }
    }

    // ------------------------------------------------------------ public API

    /** The event loop this session and its connection are confined to. */
    public EventLoop eventLoop() {
        return conn.eventLoop();
    }

    public CompletableFuture<Void> ready() {
        return ready;
    }

    /** How the session ended: "code N (reason), clean" or "... lost"; null while open. */
    public String closeDescription() {
        return closeDescription;
    }

    public CompletableFuture<Void> closed() {
        return closed;
    }

    public LiteVersion liteVersion() {
        return version;
    }

    public String sessionId() {
        return id;
    }

    public boolean isOpen() {
        return !isClosed;
    }

    /**
     * A broadcast of the peer's, addressed by its path relative to this session's root, whose
     * tracks are subscribed through this session. It need not have been announced.
     */
    public Broadcast consume(Path path) {
        Broadcast b = Broadcast.remote(path, List.of(), new UpstreamSource(this, path));
        // Its tracks end with the session, which releases what they cached.
        run(() -> onClose(() -> b.close(closedCleanly() ? null : ErrorCode.CANCEL)));
        return b;
    }

    /**
     * FETCHes one whole group of a track from the peer (lite-05); completes with its frame
     * payloads, or fails with a {@link org.moqrelay.model.TrackException} carrying the reset code.
     */
    public CompletableFuture<List<byte[]>> fetch(Path broadcast, String track, long group) {
        return FetchRequester.open(this, broadcast, track, 0, group);
    }

    /** Asks the peer for its broadcasts under {@code prefix}; they are published into the ingest origin. */
    public void requestAnnounces(Path prefix) {
        run(() -> AnnounceRequester.open(this, prefix));
    }

    /**
     * Asks the peer to go away (GOAWAY, lite-04+), e.g. before a restart: it should reconnect,
     * to {@code uri} when non-empty. Older versions have no GOAWAY; they are just closed later.
     */
    public void goaway(String uri) {
        run(() -> {
            if (isClosed || !version.hasExcludeHop()) return;
            onSuccess(conn.openBidi(), (BidiStream s) -> {
                s.write(encode(StreamType.BIDI_GOAWAY, new org.moqrelay.wire.lite.Goaway(uri)));
                s.finish();
                s.read(new DiscardHandler());
            });
        });
    }

    /** Closes the session with a moq-lite code. */
    public void close(long code, String reason) {
        run(() -> {
            if (conn.isOpen()) conn.close(code, reason);
            onClosed(code, reason, true);
        });
    }

    /**
     * Counts {@code delta} more (or fewer) bytes of unfinished frames held by this session's
     * streams.
     *
     * @return false when that puts the session over {@link #MAX_PARTIAL_FRAME_BYTES}
     *     ({@link PartialFrames#settle} then fails it)
     */
    boolean chargePartialFrames(long delta) {
        partialFrameBytes += delta;
        return partialFrameBytes <= MAX_PARTIAL_FRAME_BYTES;
    }

    long partialFrameBytes() {
        return partialFrameBytes;
    }

    /** Closes the session with BoundsExceeded: its streams held {@code total} bytes of unfinished frames. */
    void failOverPartialFrames(long total) {
        fail(ErrorCode.BOUNDS_EXCEEDED, "unfinished frames hold " + total + " bytes, more than the "
                + MAX_PARTIAL_FRAME_BYTES + " allowed");
    }

    /** A protocol violation: log once and close the session with {@code code}. */
    void fail(ErrorCode code, String reason) {
        if (isClosed) return;
        log.warn("session {} ({}) protocol error {} ({}): {}", id, conn.describe(), code.code(), code, reason);
        close(code.code(), reason);
    }

    // ------------------------------------------------------------ inbound

    @Override
    public void onBidiStream(BidiStream stream) {
        stream.read(new StreamSniffer(type -> bidiHandler(type, stream)));
    }

    private ReadHandler bidiHandler(long type, BidiStream stream) {
        log.trace("session {}: peer bidi stream type {}", id, type);
        if (type == StreamType.BIDI_ANNOUNCE || type == StreamType.BIDI_SUBSCRIBE
                || type == StreamType.BIDI_FETCH || (type == StreamType.BIDI_TRACK && version.hasTrackStream())) {
            if (config.serve() == null) {
                return reject(stream, ErrorCode.UNSUPPORTED);
            }
            return DeferredHandler.of(this, () -> servingHandler(type, stream));
        }
        if (type == StreamType.BIDI_PROBE) {
            // We advertise no Probe capability, so a peer that asks anyway gets nothing; keep it open.
            return new DiscardHandler();
        }
        if (type == StreamType.BIDI_CLIENT_SETUP) {
            fail(ErrorCode.VERSION, "legacy CLIENT_SETUP on a " + version.alpn() + " session");
            return new DiscardHandler();
        }
        if (type == StreamType.BIDI_GOAWAY && version.hasExcludeHop()) {
            return new GoawayReader(this, stream);
        }
        log.debug("session {}: unknown bidi stream type {}", id, type);
        return reject(stream, ErrorCode.UNEXPECTED_STREAM);
    }

    private ReadHandler servingHandler(long type, BidiStream stream) {
        return switch ((int) type) {
            case StreamType.BIDI_ANNOUNCE -> new AnnounceResponder(this, stream);
            case StreamType.BIDI_SUBSCRIBE -> new SubscribeResponder(this, stream);
            case StreamType.BIDI_FETCH -> new FetchResponder(this, stream);
            default -> new TrackResponder(this, stream);
        };
    }

    private static ReadHandler reject(BidiStream stream, ErrorCode code) {
        stream.stopSending(code.code());
        stream.reset(code.code());
        return new DiscardHandler();
    }

    @Override
    public void onUniStream(RecvStream stream) {
        stream.read(new StreamSniffer(type -> {
            log.trace("session {}: peer uni stream type {}", id, type);
            if (type == StreamType.UNI_GROUP) return new GroupReader(this, stream);
            if (type == StreamType.UNI_SETUP && version.hasSetupStream()) return new SetupReader(this);
            log.debug("session {}: unknown uni stream type {}", id, type);
            stream.stopSending(ErrorCode.UNEXPECTED_STREAM.code());
            return new DiscardHandler();
        }));
    }

    void onSetup(Setup setup) {
        log.debug("session {}: peer {}", id, setup);
        if (peerSetup != null) {
            fail(ErrorCode.PROTOCOL_VIOLATION, "second SETUP stream");
            return;
        }
        peerSetup = setup;
        if (config.server() && grant == null && !authorizing) {
            authorize(setup.path() == null ? "" : setup.path());
        }
    }

    /** The handler for the lite-01/02 session stream; keeps {@code stream} open for the session's life. */
    ReadHandler sessionStreamReader(BidiStream stream) {
        onClose(() -> {
            if (!stream.isClosed()) stream.finish();
        });
        return new SessionStreamReader(this);
    }

    /** Whether the session knows its root (it is authorized). */
    boolean isReady() {
        return grant != null;
    }

    /** Runs {@code r} once the session knows its root (immediately if it does). */
    void whenReady(Runnable r) {
        if (isReady()) r.run();
        else pendingUntilReady.add(r);
    }

    @Override
    public void onDatagram(ByteBuf data) {
        try {
            DatagramRouter.route(this, data);
        } finally {
            data.release();
        }
    }

    @Override
    public void onClosed(long code, String reason, boolean clean) {
        if (isClosed) return;
        isClosed = true;
        cleanClose = clean;
        if (setupTimer != null) setupTimer.cancel(false);
        log.debug("session {} closed: code {} {} (clean={})", id, code, reason, clean);
        List<Runnable> hooks = new ArrayList<>(closeHooks);
        closeHooks.clear();
        for (Runnable r : hooks) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("session {}: close hook failed", id, e);
            }
        }
        closeDescription = "code " + code + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")")
                + (clean ? ", clean" : ", lost");
        closed.complete(null);
    }

    private boolean cleanClose;
    private String closeDescription;

    /** Whether the session ended cleanly (used to pick unannounce vs linger). */
    boolean closedCleanly() {
        return cleanClose;
    }

    /** Encodes one message into a new buffer. */
    ByteBuf encode(LiteMessage m) {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        LiteCodec.encode(out, m, version);
        return out;
    }

    /** Encodes a stream type followed by one message into a new buffer. */
    ByteBuf encode(int streamType, LiteMessage m) {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        VarInts.write(out, streamType);
        LiteCodec.encode(out, m, version);
        return out;
    }

    static <T> void onSuccessOrElse(io.netty.util.concurrent.Future<T> f, Consumer<T> c, Runnable failed) {
        f.addListener(x -> {
            if (x.isSuccess()) c.accept(f.getNow());
            else failed.run();
        });
    }

    static <T> void onSuccess(io.netty.util.concurrent.Future<T> f, Consumer<T> c) {
        f.addListener(x -> {
            if (x.isSuccess()) c.accept(f.getNow());
        });
    }
}
