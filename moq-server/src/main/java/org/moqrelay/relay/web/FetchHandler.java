package org.moqrelay.relay.web;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.Demand;
import org.moqrelay.model.Frame;
import org.moqrelay.model.Group;
import org.moqrelay.model.Origin;
import org.moqrelay.model.Subscription;
import org.moqrelay.model.Track;
import org.moqrelay.model.TrackException;
import org.moqrelay.session.lite.Authorizer;
import org.moqrelay.transport.quic.PeerCertificates;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Path;

/**
 * {@code GET /fetch/{broadcast...}/{track}?group=N|latest}: one group's frame payloads,
 * concatenated and streamed as they arrive (relay.md §6). Waits up to 30 s for the broadcast and
 * the group: 404 when the track or group does not exist, 504 when the wait runs out. A group
 * number the relay has not cached is fetched from the publisher; 500 when that fails otherwise
 * than NotFound (e.g. a publisher older than lite-05, which has no FETCH).
 */
final class FetchHandler implements WebHandler {
    static final long TIMEOUT_MILLIS = 30_000;

    private final Origin origin;
    private final Authorizer authorizer;
    /** Close listeners this handler has on connections, each holding one fetch. */
    private final AtomicInteger closeListeners = new AtomicInteger();

    FetchHandler(Origin origin, Authorizer authorizer) {
        this.origin = origin;
        this.authorizer = authorizer;
    }

    /** How many fetches are registered to hear their connection close. */
    int closeListeners() {
        return closeListeners.get();
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder q = new QueryStringDecoder(request.uri());
        Path full = Path.of(q.path().substring("/fetch".length()));
        if (full.parts() < 2) {
            WebResponses.send(ctx, request, WebResponses.text(HttpResponseStatus.BAD_REQUEST,
                    "expected /fetch/<broadcast>/<track>\n"));
            return;
        }
        String trackName = full.lastSegment();
        Path broadcastPath = full.parent();
        Long group = null;
        List<String> g = q.parameters().get("group");
        if (g != null && !g.isEmpty() && !g.get(g.size() - 1).equals("latest")) {
            try {
                group = Long.parseLong(g.get(g.size() - 1));
                if (group < 0) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                WebResponses.send(ctx, request, WebResponses.text(HttpResponseStatus.BAD_REQUEST, "bad group\n"));
                return;
            }
        }
        Long wanted = group;
        request.retain();
        authorizer.authorize(new Authorizer.Request("/" + broadcastPath + AnnouncedHandler.queryOf(request.uri()), null, null,
                        PeerCertificates.ofTls(ctx.channel())))
                .whenComplete((grant, err) -> ctx.executor().execute(() -> {
                    if (err != null) {
                        Refusals.send(ctx, request, err, "/fetch");
                        request.release();
                        return;
                    }
                    if (!grant.maySubscribe(Path.ROOT)) {
                        WebResponses.send(ctx, request, WebResponses.text(HttpResponseStatus.UNAUTHORIZED, "unauthorized\n"));
                        request.release();
                        return;
                    }
                    new Fetch(ctx, request, grant.root(), trackName, wanted).start();
                }));
    }

    /** One fetch in progress; confined to the HTTP connection's event loop. */
    private final class Fetch implements Origin.AnnounceListener, Track.Listener, Group.Listener {
        private final ChannelHandlerContext ctx;
        private final FullHttpRequest request;
        private final EventLoop loop;
        private final Path path;
        private final String trackName;
        private final Long wanted;
        private final ScheduledFuture<?> timeout;
        /** Removed once the fetch is over: a keep-alive connection serves many fetches. */
        private final ChannelFutureListener onClose;
        private boolean listening = true;
        private Origin.Watch watch;
        private Subscription subscription;
        private Group group;
        private int next;
        private boolean fetching;
        private boolean headersSent;
        private boolean done;

        Fetch(ChannelHandlerContext ctx, FullHttpRequest request, Path path, String trackName, Long wanted) {
            this.ctx = ctx;
            this.request = request;
            this.loop = ctx.channel().eventLoop();
            this.path = path;
            this.trackName = trackName;
            this.wanted = wanted;
            this.timeout = loop.schedule(() -> fail(HttpResponseStatus.GATEWAY_TIMEOUT, "timed out\n"),
                    TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            this.onClose = f -> loop.execute(this::cleanup);
            ctx.channel().closeFuture().addListener(onClose);
            closeListeners.incrementAndGet();
        }

        void start() {
            Broadcast b = origin.broadcast(path);
            if (b != null) {
                onBroadcast(b);
                return;
            }
            watch = origin.watch(path, this);
            for (Broadcast x : watch.initial()) {
                if (x.path().equals(path)) {
                    onBroadcast(x);
                    return;
                }
            }
        }

        @Override
        public void onAnnounce(Broadcast b) {
            if (b.path().equals(path)) loop.execute(() -> onBroadcast(b));
        }

        @Override
        public void onUnannounce(Broadcast b) {}

        private void onBroadcast(Broadcast b) {
            if (done || subscription != null || group != null || fetching) return;
            closeWatch();
            Track t = b.track(trackName);
            if (t == null) {
                fail(HttpResponseStatus.NOT_FOUND, "track not found\n");
                return;
            }
            if (wanted != null) {
                // From the cache, or fetched from the publisher (shared with other fetchers of it).
                fetching = true;
                t.fetchGroup(wanted, 0).whenComplete((g, err) -> loop.execute(() -> {
                    if (err == null) follow(g);
                    else failWith(TrackException.codeOf(err, ErrorCode.CANCEL));
                }));
                return;
            }
            subscription = t.subscribe(Demand.LATEST, this);
            if (!subscription.initialGroups().isEmpty()) {
                follow(subscription.initialGroups().get(0));
            } else if (subscription.track().state() != Track.State.LIVE) {
                fail(HttpResponseStatus.NOT_FOUND, "track has no groups\n");
            }
        }

        @Override
        public void onGroup(Track track, Group g) {
            g.handOff(loop::execute, () -> follow(g)); // spared by the cache budget until followed
        }

        @Override
        public void onEnd(Track track) {
            loop.execute(() -> {
                if (group == null) fail(HttpResponseStatus.NOT_FOUND, "track ended\n");
            });
        }

        private void follow(Group g) {
            if (done || group != null) return;
            group = g;
            if (subscription != null) {
                subscription.close();
                subscription = null;
            }
            g.addListener(this);
            pump();
        }

        @Override
        public void onGroupChanged(Group g) {
            g.handOff(loop::execute, this::pump);
        }

        @Override
        public boolean handsOff() {
            return true; // every change is queued for the connection's loop
        }

        private void pump() {
            if (done) return;
            Group.State s = group.state();
            if (!headersSent) {
                // The status waits for the group's first frame or its end: a group that fails
                // before any data (e.g. the publisher does not have it) still gets its own status.
                if ((s == Group.State.ABORTED || s == Group.State.EVICTED) && group.frameCount() == 0) {
                    failWith(group.error() == null ? ErrorCode.CANCEL : group.error());
                    return;
                }
                if (s == Group.State.OPEN && group.frameCount() == 0) return;
                HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                ctx.write(r);
                headersSent = true;
            }
            Frame f;
            while ((f = group.frame(next)) != null) {
                next++;
                // The cached buffer itself, not a copy.
                ctx.write(new DefaultHttpContent(f.payload()));
            }
            ctx.flush();
            boolean whole = group.finishedAt(next); // state and count in one step, as GroupWriter reads them
            s = group.state();
            if (whole) {
                done = true;
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                cleanup();
            } else if (s == Group.State.ABORTED || s == Group.State.EVICTED) {
                done = true;
                ctx.close(); // truncated: the client sees the chunked body end without its last chunk
                cleanup();
            }
        }

        /** 404 when the group does not exist, 500 for any other failure (as the reference). */
        private void failWith(ErrorCode code) {
            if (code == ErrorCode.NOT_FOUND) fail(HttpResponseStatus.NOT_FOUND, "group not found\n");
            else fail(HttpResponseStatus.INTERNAL_SERVER_ERROR, "fetch failed: " + code.name().toLowerCase(java.util.Locale.ROOT) + "\n");
        }

        private void fail(HttpResponseStatus status, String body) {
            if (done) return;
            done = true;
            if (headersSent) {
                ctx.close();
            } else {
                WebResponses.send(ctx, request, WebResponses.text(status, body));
            }
            cleanup();
        }

        private void closeWatch() {
            if (watch != null) {
                watch.close();
                watch = null;
            }
        }

        private void cleanup() {
            done = true;
            if (listening) {
                listening = false;
                ctx.channel().closeFuture().removeListener(onClose);
                closeListeners.decrementAndGet();
            }
            timeout.cancel(false);
            closeWatch();
            if (subscription != null) {
                subscription.close();
                subscription = null;
            }
            if (group != null) group.removeListener(this);
            if (request.refCnt() > 0) request.release();
        }
    }
}
