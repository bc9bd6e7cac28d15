package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.session.spi.ConnectionHandler;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.session.spi.SendStream;
import org.moqrelay.wire.VarInts;

/**
 * A connected pair of {@link Connection}s on one event loop. Flushed bytes are copied (as a
 * network would) and delivered in order, each delivery a separate loop task; FIN, RESET_STREAM,
 * STOP_SENDING, datagrams and CONNECTION_CLOSE behave as on QUIC. Every stream open, FIN, reset
 * and stop, and every flushed byte, is recorded for assertions. Confined to the loop.
 */
final class MemoryTransport {
    /** What happened to a stream, in the order it happened. */
    enum Kind { OPEN, DATA, FIN, RESET, STOP }

    /** One recorded event: {@code by} is the end that did it ("client" or "server"). */
    record Event(int seq, String by, Kind kind, Link link, long code) {}

    final EventLoop loop;
    final End client;
    final End server;
    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<Link> links = new CopyOnWriteArrayList<>();
    /** Every buffer handed to a reader; all must be released by the end of a test. */
    final List<ByteBuf> delivered = new CopyOnWriteArrayList<>();

    MemoryTransport(EventLoop loop, String protocol) {
        this.loop = loop;
        this.client = new End("client", protocol);
        this.server = new End("server", protocol);
        client.peer = server;
        server.peer = client;
    }

    private void record(String by, Kind kind, Link link, long code) {
        events.add(new Event(events.size(), by, kind, link, code));
    }

    /** Bidi streams opened by {@code by} whose first varint is {@code type}. */
    List<Link> opened(String by, long type) {
        return opened(by, true, type);
    }

    /** Uni streams opened by {@code by} whose first varint is {@code type}. */
    List<Link> openedUni(String by, long type) {
        return opened(by, false, type);
    }

    private List<Link> opened(String by, boolean bidi, long type) {
        List<Link> out = new ArrayList<>();
        for (Link l : links) {
            if (l.opener.name.equals(by) && l.bidi == bidi && l.type == type) out.add(l);
        }
        return out;
    }

    /** Events of {@code kind} done by {@code by} on bidi streams of {@code type}. */
    List<Event> events(String by, Kind kind, long type) {
        return events(by, kind, true, type);
    }

    /** Events of {@code kind} done by {@code by} on uni streams of {@code type}. */
    List<Event> eventsUni(String by, Kind kind, long type) {
        return events(by, kind, false, type);
    }

    private List<Event> events(String by, Kind kind, boolean bidi, long type) {
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            if (e.by.equals(by) && e.kind == kind && e.link.bidi == bidi && e.link.type == type) out.add(e);
        }
        return out;
    }

    /** The connection is lost (no CONNECTION_CLOSE): both ends hear an unclean close. */
    void lose() {
        loop.execute(() -> {
            for (End e : List.of(client, server)) {
                if (!e.open) continue;
                e.open = false;
                if (e.handler != null) e.handler.onClosed(Connection.CLOSED_CODE, "connection lost", false);
                e.killStreams();
            }
        });
    }

    /** One stream: a pipe from its opener and, when bidirectional, one back. */
    final class Link {
        final long id;
        final End opener;
        final boolean bidi;
        final Pipe forward;
        final Pipe backward;
        /** The stream type: the first varint the opener wrote, or -1 before that. */
        volatile long type = -1;

        Link(long id, End opener, boolean bidi) {
            this.id = id;
            this.opener = opener;
            this.bidi = bidi;
            this.forward = new Pipe(this, opener, opener.peer);
            this.backward = bidi ? new Pipe(this, opener.peer, opener) : null;
        }

        @Override
        public String toString() {
            return "Link[" + id + " " + opener.name + (bidi ? " bidi" : " uni") + " type " + type + "]";
        }
    }

    private static final Object FIN = new Object();

    private record Reset(long code) {}

    /** One direction of a stream. */
    final class Pipe {
        final Link link;
        final End writer;
        final End reader;
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        private final List<ByteBuf> unflushed = new ArrayList<>();
        private final ArrayDeque<Object> inbound = new ArrayDeque<>();
        private ReadHandler handler;
        private Runnable onWritable;
        private long unconsumed;
        private boolean sendClosed;
        private boolean recvDone;
        private boolean stopped;
        private boolean paused;
        int window = Integer.MAX_VALUE;

        Pipe(Link link, End writer, End reader) {
            this.link = link;
            this.writer = writer;
            this.reader = reader;
            this.window = writer.window;
        }

        void write(ByteBuf b) {
            if (sendClosed) {
                b.release();
                return;
            }
            if (link.type < 0 && this == link.forward && VarInts.peekLength(b) > 0) {
                link.type = VarInts.peek(b);
            }
            unflushed.add(b);
        }

        void flush() {
            if (unflushed.isEmpty()) return;
            for (ByteBuf b : unflushed) {
                ByteBuf copy = Unpooled.copiedBuffer(b);
                b.release();
                written.writeBytes(copyBytes(copy));
                unconsumed += copy.readableBytes();
                delivered.add(copy);
                inbound.add(copy);
            }
            unflushed.clear();
            record(writer.name, Kind.DATA, link, 0);
            scheduleDrain();
        }

        private static byte[] copyBytes(ByteBuf b) {
            byte[] a = new byte[b.readableBytes()];
            b.getBytes(b.readerIndex(), a);
            return a;
        }

        void finish() {
            if (sendClosed) return;
            flush();
            sendClosed = true;
            record(writer.name, Kind.FIN, link, 0);
            inbound.add(FIN);
            scheduleDrain();
        }

        void reset(long code) {
            if (sendClosed) return;
            sendClosed = true;
            releaseUnflushed();
            record(writer.name, Kind.RESET, link, code);
            inbound.add(new Reset(code));
            scheduleDrain();
        }

        void stopSending(long code) {
            if (stopped) return;
            stopped = true;
            record(reader.name, Kind.STOP, link, code);
            releaseInbound();
            loop.execute(() -> {
                // The writer's end hears STOP_SENDING: its send side is closed from now on.
                if (!sendClosed) {
                    sendClosed = true;
                    releaseUnflushed();
                }
                notifyWritable();
            });
        }

        boolean isWritable() {
            return !sendClosed && unconsumed < window;
        }

        void read(ReadHandler h) {
            handler = h;
            scheduleDrain();
        }

        void pause() {
            paused = true;
        }

        void resume() {
            paused = false;
            scheduleDrain();
        }

        private void scheduleDrain() {
            loop.execute(this::drain);
        }

        private void drain() {
            boolean wasWritable = isWritable();
            while (handler != null && !paused && !recvDone) {
                Object o = inbound.poll();
                if (o == null) break;
                if (o instanceof ByteBuf b) {
                    unconsumed -= b.readableBytes();
                    if (stopped) b.release();
                    else handler.onData(b);
                } else if (o == FIN) {
                    recvDone = true;
                    if (!stopped) handler.onFin();
                } else if (o instanceof Reset r) {
                    recvDone = true;
                    releaseInbound();
                    if (!stopped) handler.onReset(r.code);
                }
            }
            if (!wasWritable && isWritable()) notifyWritable();
        }

        private void notifyWritable() {
            if (onWritable != null) onWritable.run();
        }

        /** The connection went away: the writer is closed, the reader hears CLOSED_CODE. */
        void kill() {
            sendClosed = true;
            releaseUnflushed();
            releaseInbound();
            if (!recvDone) inbound.add(new Reset(Connection.CLOSED_CODE));
            scheduleDrain();
            loop.execute(this::notifyWritable);
        }

        private void releaseUnflushed() {
            for (ByteBuf b : unflushed) b.release();
            unflushed.clear();
        }

        private void releaseInbound() {
            inbound.removeIf(o -> {
                if (o instanceof ByteBuf b) {
                    unconsumed -= b.readableBytes();
                    b.release();
                    return true;
                }
                return false;
            });
        }

        /** Everything this direction carried so far. */
        byte[] bytes() {
            return written.toByteArray();
        }
    }

    /** One end's view of a stream (either half may be null on uni streams). */
    final class MemStream implements BidiStream {
        final Pipe out;
        final Pipe in;

        MemStream(Pipe out, Pipe in) {
            this.out = out;
            this.in = in;
        }

        @Override
        public void write(ByteBuf data) {
            out.write(data);
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public boolean isWritable() {
            return out.isWritable();
        }

        @Override
        public void onWritable(Runnable callback) {
            out.onWritable = callback;
        }

        @Override
        public void finish() {
            out.finish();
        }

        @Override
        public void reset(long code) {
            out.reset(code);
        }

        @Override
        public boolean isClosed() {
            return out.sendClosed;
        }

        @Override
        public void read(ReadHandler handler) {
            in.read(handler);
        }

        @Override
        public void stopSending(long code) {
            in.stopSending(code);
        }
    }

    /** One end of the connection. */
    final class End implements Connection {
        final String name;
        final String protocol;
        End peer;
        ConnectionHandler handler;
        boolean open = true;
        /** Uni streams this end opens wait (unanswered promises) instead of opening. */
        boolean withholdUni;
        /** Bidi streams this end opens fail, as past a QUIC peer's stream limit. */
        boolean refuseBidi;
        final List<Promise<SendStream>> withheld = new CopyOnWriteArrayList<>();
        String requestPath;
        /** The write window of streams this end opens from now on (bytes in flight before !isWritable). */
        int window = Integer.MAX_VALUE;
        private final List<Pipe> pipes = new ArrayList<>();
        private final List<Runnable> early = new ArrayList<>();

        End(String name, String protocol) {
            this.name = name;
            this.protocol = protocol;
        }

        @Override
        public EventLoop eventLoop() {
            return loop;
        }

        @Override
        public void handler(ConnectionHandler h) {
            handler = h;
            early.forEach(Runnable::run);
            early.clear();
        }

        private void toHandler(Runnable r) {
            loop.execute(() -> {
                if (handler == null) early.add(r);
                else r.run();
            });
        }

        private Link link(boolean bidi) {
            Link l = new Link(links.size(), this, bidi);
            links.add(l);
            pipes.add(l.forward);
            peer.pipes.add(l.forward);
            if (bidi) {
                pipes.add(l.backward);
                peer.pipes.add(l.backward);
            }
            record(name, Kind.OPEN, l, 0);
            return l;
        }

        @Override
        public Future<BidiStream> openBidi() {
            if (!open) return loop.newFailedFuture(new IllegalStateException("closed"));
            if (refuseBidi) return loop.newFailedFuture(new IllegalStateException("stream limit"));
            Link l = link(true);
            MemStream remote = new MemStream(l.backward, l.forward);
            toHandler(() -> {
                if (peer.open) peer.handler.onBidiStream(remote);
            });
            return loop.newSucceededFuture(new MemStream(l.forward, l.backward));
        }

        @Override
        public Future<SendStream> openUni() {
            if (!open) return loop.newFailedFuture(new IllegalStateException("closed"));
            if (withholdUni) {
                // As a qmux peer that grants no stream credit: the open waits, here until the end.
                Promise<SendStream> waiting = loop.newPromise();
                withheld.add(waiting);
                return waiting;
            }
            Link l = link(false);
            MemStream remote = new MemStream(null, l.forward);
            peer.toHandler(() -> {
                if (peer.open) peer.handler.onUniStream(remote);
            });
            return loop.newSucceededFuture(new MemStream(l.forward, null));
        }

        @Override
        public int maxDatagramSize() {
            return 1200;
        }

        @Override
        public void sendDatagram(ByteBuf data) {
            if (!open || data.readableBytes() > maxDatagramSize()) {
                data.release();
                return;
            }
            ByteBuf copy = Unpooled.copiedBuffer(data);
            data.release();
            delivered.add(copy);
            peer.toHandler(() -> {
                if (peer.open) peer.handler.onDatagram(copy);
                else copy.release();
            });
        }

        @Override
        public void close(long code, String reason) {
            if (!open) return;
            open = false;
            if (handler != null) handler.onClosed(code, reason, true);
            killStreams();
            loop.execute(() -> {
                if (!peer.open) return;
                peer.open = false;
                if (peer.handler != null) peer.handler.onClosed(code, reason, code == 0);
                peer.killStreams();
            });
        }

        void killStreams() {
            for (Pipe p : pipes) {
                if (p.reader == this) p.kill();
                else {
                    p.sendClosed = true;
                    p.releaseUnflushed();
                }
            }
        }

        @Override
        public boolean isOpen() {
            return open;
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
            return "memory " + name;
        }
    }
}
