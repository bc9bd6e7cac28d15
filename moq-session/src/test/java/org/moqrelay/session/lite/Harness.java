package org.moqrelay.session.lite;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.moqrelay.model.Broadcast;
import org.moqrelay.model.CacheBudget;
import org.moqrelay.model.Origin;
import org.moqrelay.model.Track;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.TrackInfo;

/**
 * A relay (one origin, serving and ingesting, like {@code RelaySessions}) and the clients
 * connected to it over {@link MemoryTransport}s, all on one event loop. Waits are bounded.
 */
final class Harness implements AutoCloseable {
    static final long RELAY_ID = 1000;
    static final long WAIT_SECONDS = 5;

    final DefaultEventLoop loop = new DefaultEventLoop();
    final Origin relayOrigin;
    final List<Client> clients = new ArrayList<>();
    final List<RawPeer> raws = new ArrayList<>();
    private final List<ByteBuf> payloads = new ArrayList<>();

    Harness() {
        this(0);
    }

    Harness(long lingerMillis) {
        relayOrigin = new Origin(loop, lingerMillis);
    }

    /** A relay whose cache is held to {@code budget}. */
    Harness(CacheBudget budget) {
        relayOrigin = new Origin(loop, 0, budget, Long.MAX_VALUE);
    }

    /** A client and the relay's session for it. */
    record Client(long id, MemoryTransport transport, LiteSession relaySession, LiteSession session,
                  Origin published, Origin announced) {}

    /** Connects a client with hop id {@code id} that publishes {@code published} and asks for every announcement. */
    Client connect(LiteVersion v, long id) {
        return connect(v, id, true);
    }

    Client connect(LiteVersion v, long id, boolean requestAnnounces) {
        return on(() -> {
            MemoryTransport t = new MemoryTransport(loop, v.alpn());
            Origin published = new Origin(loop, 0);
            Origin announced = new Origin(loop, 0);
            LiteSession relay = LiteSession.start(t.server, v,
                    new SessionConfig(true, RELAY_ID, relayOrigin, relayOrigin, true, null, Authorizer.ALLOW_ALL), "relay-" + id);
            LiteSession client = LiteSession.start(t.client, v,
                    new SessionConfig(false, id, published, announced, requestAnnounces, null, null), "client-" + id);
            Client c = new Client(id, t, relay, client, published, announced);
            clients.add(c);
            return c;
        });
    }

    /** A relay session whose client end the test drives by hand, through {@link RawPeer}. */
    RawPeer connectRaw(LiteVersion v) {
        return on(() -> {
            MemoryTransport t = new MemoryTransport(loop, v.alpn());
            t.server.requestPath = "";
            RawPeer peer = new RawPeer(t, v);
            t.client.handler(peer);
            LiteSession relay = LiteSession.start(t.server, v,
                    new SessionConfig(true, RELAY_ID, relayOrigin, relayOrigin, true, null, Authorizer.ALLOW_ALL), "relay-raw");
            peer.relaySession = relay;
            raws.add(peer);
            return peer;
        });
    }

    /**
     * As {@link #connectRaw}, on a URL transport whose authorization is {@code answer}: until it
     * completes the relay session is not ready and holds the peer's streams. It asks no announcements.
     */
    RawPeer connectRawAuthorizing(LiteVersion v, java.util.concurrent.CompletableFuture<Authorizer.Grant> answer) {
        return on(() -> {
            MemoryTransport t = new MemoryTransport(loop, v.alpn());
            t.server.requestPath = "/";
            RawPeer peer = new RawPeer(t, v);
            t.client.handler(peer);
            peer.relaySession = LiteSession.start(t.server, v,
                    new SessionConfig(true, RELAY_ID, relayOrigin, relayOrigin, false, null, request -> answer), "relay-slow");
            raws.add(peer);
            return peer;
        });
    }

    /** Publishes a local broadcast with one track into {@code origin}. */
    Track publish(Origin origin, String path, String track) {
        return on(() -> {
            Broadcast b = Broadcast.local(Path.of(path));
            Track t = b.createTrack(track, TrackInfo.DEFAULT);
            origin.publish(b);
            return t;
        });
    }

    /** A track listener that ignores everything: for a subscription that is only demand. */
    static final Track.Listener IGNORE = new Track.Listener() {
        @Override
        public void onGroup(Track track, org.moqrelay.model.Group group) {}

        @Override
        public void onEnd(Track track) {}
    };

    /**
     * Publishes {@code track} of {@code path} at {@code pub} and returns the relay's copy of it, once
     * the relay knows the broadcast. Nothing is subscribed yet.
     */
    Track relayTrack(Client pub, String path, String track) {
        publish(pub.published(), path, track);
        eventually(() -> assertThat(relayOrigin.broadcast(Path.of(path))).isNotNull());
        return on(() -> relayOrigin.broadcast(Path.of(path)).track(track));
    }

    /** A heap payload the harness checks is released at the end. */
    synchronized ByteBuf payload(String text) {
        ByteBuf b = Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8));
        payloads.add(b);
        return b;
    }

    /** Runs {@code c} on the loop and waits (bounded) for its result. */
    <T> T on(Callable<T> c) {
        try {
            return loop.submit(c).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    void run(Runnable r) {
        on(() -> {
            r.run();
            return null;
        });
    }

    /** Retries {@code assertion} on the loop, letting queued work run in between, until it holds (bounded). */
    void eventually(Runnable assertion) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            try {
                run(assertion);
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.onSpinWait();
            }
        }
    }

    /** Closes every session, ends every broadcast, stops the loop and checks every buffer was released. */
    @Override
    public void close() {
        try {
            run(() -> {
                for (Client c : clients) {
                    c.session().close(0, "test over");
                    c.relaySession().close(0, "test over");
                }
                for (RawPeer r : raws) r.relaySession.close(0, "test over");
            });
            run(() -> {
                relayOrigin.closeAll();
                for (Client c : clients) {
                    c.published().closeAll();
                    c.announced().closeAll();
                }
            });
            // Let deliveries of the close settle, then check the buffers.
            eventually(() -> {
                List<ByteBuf> all = new ArrayList<>(payloads);
                for (Client c : clients) all.addAll(c.transport().delivered);
                for (RawPeer r : raws) all.addAll(r.transport.delivered);
                assertThat(all).allSatisfy(b -> assertThat(b.refCnt()).as("refCnt of %s", b).isZero());
            });
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
