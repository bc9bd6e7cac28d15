package org.moqrelay.it;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.ssl.util.FingerprintTrustManagerFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.moqrelay.relay.server.RelayServer;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.ConnectionHandler;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.session.spi.RecvStream;
import org.moqrelay.session.spi.SendStream;
import org.moqrelay.transport.quic.EventLoops;
import org.moqrelay.transport.quic.NettyStream;
import org.moqrelay.transport.quic.QuicConnection;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.VarInts;
import org.moqrelay.wire.lite.LiteCodec;
import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.MessageKind;
import org.moqrelay.wire.lite.StreamType;

/**
 * A hand-driven moq-lite peer (05 unless told) on a raw QUIC connection to a relay, for feeding it
 * arbitrary (including malformed) bytes. It runs no session logic: the test writes whatever it
 * wants on new uni/bidi streams, reads what the relay sends back, and observes stream resets,
 * STOP_SENDING, the QUIC datagrams the relay sends and the connection's close code. Every wait is
 * bounded.
 */
final class RawMoqPeer implements AutoCloseable {
    static final LiteVersion VERSION = LiteVersion.LITE_05;

    /**
     * How the connection ended.
     *
     * @param code        the CONNECTION_CLOSE error code, or -1 when none was received (idle timeout, local close)
     * @param application true for an APPLICATION_CLOSE (a moq-lite code), false for a transport close
     */
    record Close(long code, boolean application, String reason) {}

    private final Channel udp;
    private final LiteVersion version;
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final BlockingQueue<RawStream> relayBidi = new LinkedBlockingQueue<>();
    private final BlockingQueue<RawStream> relayUni = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> datagrams = new LinkedBlockingQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger datagramCount = new java.util.concurrent.atomic.AtomicInteger();
    private QuicChannel channel;
    private QuicConnection conn;
    private QuicConnectionCloseEvent closeEvent;

    private RawMoqPeer(Channel udp, LiteVersion version) {
        this.udp = udp;
        this.version = version;
    }

    /** Connects to the relay's raw-QUIC port with ALPN moq-lite-05, pinning its certificate. Sends nothing. */
    static RawMoqPeer connect(EventLoopGroup group, RelayServer relay) throws Exception {
        return connect(group, relay, VERSION);
    }

    /**
     * Connects with {@code version}'s ALPN, pinning the relay's certificate, and offers QUIC
     * datagrams whatever the version (so that the relay's choice to send some is its own). Sends nothing.
     */
    static RawMoqPeer connect(EventLoopGroup group, RelayServer relay, LiteVersion version) throws Exception {
        return connect(group, relay, version, Duration.ofSeconds(30));
    }

    /** As {@link #connect(EventLoopGroup, RelayServer, LiteVersion)}, announcing {@code idleTimeout} as its QUIC idle timeout. */
    static RawMoqPeer connect(EventLoopGroup group, RelayServer relay, LiteVersion version, Duration idleTimeout) throws Exception {
        QuicSslContext ssl = QuicSslContextBuilder.forClient()
                .applicationProtocols(version.alpn())
                .trustManager(FingerprintTrustManagerFactory.builder("SHA-256").fingerprints(relay.certificateSha256()).build())
                .endpointIdentificationAlgorithm(null)
                .build();
        ChannelHandler codec = new QuicClientCodecBuilder()
                .sslContext(ssl)
                .maxIdleTimeout(idleTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .initialMaxData(16L * 1024 * 1024)
                .initialMaxStreamDataBidirectionalLocal(2L * 1024 * 1024)
                .initialMaxStreamDataBidirectionalRemote(2L * 1024 * 1024)
                .initialMaxStreamDataUnidirectional(2L * 1024 * 1024)
                .initialMaxStreamsBidirectional(1000)
                .initialMaxStreamsUnidirectional(1000)
                .datagram(2048, 2048)
                .build();
        InetSocketAddress remote = relay.quicAddress();
        Channel udp = new Bootstrap().group(group).channel(EventLoops.datagramChannel()).handler(codec)
                .bind(new InetSocketAddress(remote.getAddress(), 0)).sync().channel();
        RawMoqPeer peer = new RawMoqPeer(udp, version);
        try {
            peer.channel = QuicChannel.newBootstrap(udp)
                    .handler(new ChannelInitializer<QuicChannel>() {
                        @Override
                        protected void initChannel(QuicChannel ch) {
                            peer.conn = new QuicConnection(ch, version.alpn());
                            ch.pipeline().addLast(peer.new CloseWatcher(), peer.conn);
                            ch.closeFuture().addListener(x -> udp.close());
                        }
                    })
                    .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                        @Override
                        protected void initChannel(QuicStreamChannel ch) {
                            peer.conn.onPeerStream(ch);
                        }
                    })
                    .remoteAddress(remote)
                    .connect()
                    .get(10, TimeUnit.SECONDS);
            // Streams the relay opened meanwhile were queued by the connection; this delivers them.
            peer.onLoop(() -> {
                peer.conn.handler(peer.new Inbound());
                return null;
            });
        } catch (Exception e) {
            udp.close();
            throw e;
        }
        return peer;
    }

    // ---------------------------------------------------------------- connection

    /** Completes when the connection is gone; never fails. */
    CompletableFuture<Close> closed() {
        return closed;
    }

    /** The relay's CONNECTION_CLOSE code (-1 when there was none). */
    CompletableFuture<Long> closeCode() {
        return closed.thenApply(Close::code);
    }

    /** Waits for the connection to end and returns how. */
    Close awaitClose(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isOpen() {
        return channel.isActive();
    }

    /** Closes the connection with an application code (no-op when already closed). */
    void close(long code) {
        if (!channel.isActive()) return;
        try {
            onLoop(() -> {
                conn.close(code, "");
                return null;
            });
            closed.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            udp.close();
        }
    }

    @Override
    public void close() {
        close(0);
        udp.close().awaitUninterruptibly(5_000);
    }

    // ---------------------------------------------------------------- datagrams

    /** The next QUIC datagram the relay sent, in order, as bytes. */
    byte[] awaitDatagram(Duration timeout) throws Exception {
        byte[] d = datagrams.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (d == null) throw new TimeoutException("no datagram from the relay within " + timeout);
        return d;
    }

    /** How many QUIC datagrams the relay has sent so far. */
    int datagramsReceived() {
        return datagramCount.get();
    }

    // ---------------------------------------------------------------- streams we open

    /** Opens a uni stream and writes {@code bytes} on it (not finished). */
    RawStream openUni(byte[] bytes) throws Exception {
        SendStream s = await(onLoop(() -> conn.openUni()));
        RawStream raw = new RawStream((NettyStream) s, null);
        raw.write(bytes);
        return raw;
    }

    /** Opens a bidi stream, starts reading it, and writes {@code bytes} on it (not finished). */
    RawStream openBidi(byte[] bytes) throws Exception {
        BidiStream s = await(onLoop(() -> conn.openBidi()));
        RawStream raw = new RawStream((NettyStream) s, s);
        onLoop(() -> {
            s.read(raw);
            return null;
        });
        raw.write(bytes);
        return raw;
    }

    /** Sends the lite-05 SETUP uni stream ({@code 01} + {@code setup}) and finishes it. */
    RawStream sendSetup(byte[] setupMessage) throws Exception {
        RawStream s = openUni(concat(varint(StreamType.UNI_SETUP), setupMessage));
        s.finish();
        return s;
    }

    /**
     * One exchange with the relay that needs no session state: a bidi stream of a type it does
     * not know ({@value #ROUND_TRIP_TYPE}), which it resets at once (UnexpectedStream), even
     * before SETUP. A way to let what the relay sent earlier arrive, without sleeping.
     */
    void roundTrip(Duration timeout) throws Exception {
        RawStream s = openBidi(concat(varint(ROUND_TRIP_TYPE), new byte[] {0}));
        s.resetCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** An unused stream type (moq-lite.md §3.1 knows 0x00-0x06 and 0x20). */
    static final int ROUND_TRIP_TYPE = 0x3e;

    // ---------------------------------------------------------------- streams the relay opens

    /** The next bidi stream the relay opened, in order. */
    RawStream acceptBidi(Duration timeout) throws Exception {
        return poll(relayBidi, timeout, "relay bidi stream");
    }

    /** The next uni stream the relay opened, in order. */
    RawStream acceptUni(Duration timeout) throws Exception {
        return poll(relayUni, timeout, "relay uni stream");
    }

    /** Takes every uni stream the relay opened so far that nobody accepted yet. */
    List<RawStream> drainRelayUni() {
        List<RawStream> out = new ArrayList<>();
        relayUni.drainTo(out);
        return out;
    }

    /** Bidi streams the relay opened that nobody accepted yet. */
    int pendingRelayBidi() {
        return relayBidi.size();
    }

    private static RawStream poll(BlockingQueue<RawStream> q, Duration timeout, String what) throws Exception {
        RawStream s = q.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (s == null) throw new TimeoutException("no " + what + " within " + timeout);
        return s;
    }

    // ---------------------------------------------------------------- plumbing

    private <T> T onLoop(Callable<T> c) throws Exception {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) return c.call();
        return loop.submit(c).get(10, TimeUnit.SECONDS);
    }

    private static <T> T await(io.netty.util.concurrent.Future<T> f) throws Exception {
        if (!f.await(10, TimeUnit.SECONDS)) throw new TimeoutException("stream not opened within 10 s");
        if (!f.isSuccess()) throw new IllegalStateException("could not open stream", f.cause());
        return f.getNow();
    }

    /** Records the CONNECTION_CLOSE the relay sent; sits before the {@link QuicConnection}. */
    private final class CloseWatcher extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof QuicConnectionCloseEvent c) closeEvent = c;
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            QuicConnectionCloseEvent c = closeEvent;
            if (c == null) {
                closed.complete(new Close(-1, false, ""));
            } else {
                String reason;
                try {
                    byte[] r = c.reason();
                    reason = r == null ? "" : new String(r, StandardCharsets.UTF_8);
                } catch (NullPointerException e) {
                    reason = ""; // Netty 4.2.18 clones a null reason
                }
                closed.complete(new Close(c.error(), c.isApplicationClose(), reason));
            }
            ctx.fireChannelInactive();
        }
    }

    private final class Inbound implements ConnectionHandler {
        @Override
        public void onBidiStream(BidiStream stream) {
            RawStream raw = new RawStream((NettyStream) stream, stream);
            stream.read(raw);
            relayBidi.add(raw);
        }

        @Override
        public void onUniStream(RecvStream stream) {
            RawStream raw = new RawStream((NettyStream) stream, null);
            stream.read(raw);
            relayUni.add(raw);
        }

        @Override
        public void onDatagram(ByteBuf data) {
            try {
                datagrams.add(ByteBufUtil.getBytes(data));
                datagramCount.incrementAndGet();
            } finally {
                data.release();
            }
        }

        @Override
        public void onClosed(long code, String reason, boolean clean) {
            // CloseWatcher completes closed(); it also sees transport closes and the reason.
        }
    }

    /**
     * One QUIC stream of this peer. Received bytes are accumulated (thread-safe) for the test to
     * decode; FIN and RESET_STREAM are reported as futures. STOP_SENDING from the relay is only
     * visible to a writer, so {@link #awaitStopSending} probes with writes.
     */
    final class RawStream implements ReadHandler {
        private final NettyStream stream;
        private final RecvStream recv;
        private final ByteBuf received = Unpooled.buffer();
        private final CompletableFuture<Long> reset = new CompletableFuture<>();
        private final CompletableFuture<Void> fin = new CompletableFuture<>();
        private final CompletableFuture<Void> stopped = new CompletableFuture<>();
        private volatile boolean localEnd;

        private RawStream(NettyStream stream, RecvStream recv) {
            this.stream = stream;
            this.recv = recv;
        }

        long id() {
            return stream.channel().streamId();
        }

        // ------------------------------------------------------------ receiving (relay -> us)

        @Override
        public void onData(ByteBuf data) {
            synchronized (this) {
                received.writeBytes(data);
                notifyAll();
            }
            data.release();
        }

        @Override
        public void onFin() {
            fin.complete(null);
            synchronized (this) {
                notifyAll();
            }
        }

        @Override
        public void onReset(long code) {
            reset.complete(code);
            synchronized (this) {
                notifyAll();
            }
        }

        /** Completes with the relay's RESET_STREAM code (-1 if the connection went away instead). */
        CompletableFuture<Long> resetCode() {
            return reset;
        }

        CompletableFuture<Void> finReceived() {
            return fin;
        }

        /** Bytes received so far and not yet consumed by {@link #readType} / {@link #read}. */
        synchronized int available() {
            return received.readableBytes();
        }

        /** The stream type received so far without consuming it, or -1 when it has not arrived. */
        synchronized long peekType() {
            return VarInts.peek(received);
        }

        /** The stream-type varint that opens a stream the relay opened. */
        long readType(Duration timeout) throws Exception {
            return awaitDecoded(timeout, "stream type", b -> VarInts.peekLength(b) < 0 ? null : VarInts.read(b));
        }

        /** The next whole message of {@code kind}; fails if the stream ends or is reset first. */
        LiteMessage read(MessageKind kind, Duration timeout) throws Exception {
            return awaitDecoded(timeout, kind.toString(), b -> LiteCodec.decode(b, kind, version));
        }

        private interface Decoder<T> {
            /** Decodes from the reader index, or returns null (consuming nothing) when incomplete. */
            T decode(ByteBuf b);
        }

        private synchronized <T> T awaitDecoded(Duration timeout, String what, Decoder<T> d) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                int mark = received.readerIndex();
                T v = d.decode(received);
                if (v != null) {
                    received.discardReadBytes();
                    return v;
                }
                received.readerIndex(mark);
                if (reset.isDone()) throw new IllegalStateException(what + ": stream reset with code " + reset.getNow(null));
                if (fin.isDone()) throw new IllegalStateException(what + ": stream finished first");
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("no " + what + " within " + timeout + " (have "
                            + ByteBufUtil.hexDump(received) + ")");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        // ------------------------------------------------------------ sending (us -> relay)

        /** Writes and flushes {@code bytes}; a refusal because of STOP_SENDING completes {@link #stopSendingSeen()}. */
        RawStream write(byte[] bytes) {
            writeChunk(Unpooled.wrappedBuffer(bytes));
            return this;
        }

        /** Writes a message with its size prefix. */
        RawStream write(LiteMessage m) {
            return write(encode(m));
        }

        private ChannelFuture writeChunk(ByteBuf b) {
            return stream.channel().writeAndFlush(b).addListener(f -> {
                if (!f.isSuccess() && f.cause() instanceof ChannelOutputShutdownException) stopped.complete(null);
            });
        }

        /** Sends FIN. */
        void finish() throws Exception {
            localEnd = true;
            onLoop(() -> {
                stream.finish();
                return null;
            });
        }

        /** Abandons our sending half with RESET_STREAM. */
        void reset(long code) throws Exception {
            localEnd = true;
            onLoop(() -> {
                stream.reset(code);
                return null;
            });
        }

        /** Completes once a write on this stream was refused because the relay sent STOP_SENDING. */
        CompletableFuture<Void> stopSendingSeen() {
            return stopped;
        }

        /**
         * Waits until the relay's STOP_SENDING for this (send) stream shows. The QUIC stack
         * (Netty over quiche) never reports STOP_SENDING, nor its code, to an idle sender: a write
         * is refused ("STOP_SENDING frame received") only in the short time before the stack,
         * having answered with RESET_STREAM, drops the stream; after that writes are silently
         * queued for ever. So this probes with one-byte writes, each followed by a round trip with
         * the relay ({@link #roundTrip}): the stream counts as stopped when a probe is refused, or
         * when it is still queued after the round trip although the stream is idle and far inside
         * its flow-control window, which only a dropped stream does.
         */
        void awaitStopSending(Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!stopped.isDone()) {
                ChannelFuture probe = writeChunk(Unpooled.wrappedBuffer(new byte[] {0}));
                probe.addListener(f -> {
                    if (!f.isSuccess() && refusedByPeer()) stopped.complete(null);
                });
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                roundTrip(Duration.ofNanos(left));
                if (!probe.isDone() && refusedByPeer()) stopped.complete(null);
            }
            if (!stopped.isDone()) {
                throw new TimeoutException("no STOP_SENDING on stream " + id() + " within " + timeout);
            }
        }

        /**
         * Our sending half is gone while the connection is up and we neither finished nor reset
         * it: only the peer's STOP_SENDING does that. (The stack either refuses the write with
         * "STOP_SENDING frame received" or, once the stream was reset and collected, with a
         * closed stream channel.)
         */
        private boolean refusedByPeer() {
            return !localEnd && channel.isActive();
        }

        @Override
        public String toString() {
            return "RawStream[" + id() + (recv == null ? " uni" : " bidi") + "]";
        }
    }

    // ---------------------------------------------------------------- bytes

    /** Bytes from hex, spaces and {@code |} allowed (the notation of moq-lite.md §12). */
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[\\s|]", ""));
    }

    /** The minimal QUIC varint encoding of {@code v}. */
    static byte[] varint(long v) {
        return VarInts.toBytes(v);
    }

    /** A well-formed lite-05 message with its size prefix (and type id where it has one). */
    static byte[] encode(LiteMessage m) {
        ByteBuf b = ByteBufAllocator.DEFAULT.heapBuffer();
        try {
            LiteCodec.encode(b, m, VERSION);
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    /** A stream type followed by a well-formed message. */
    static byte[] encode(long streamType, LiteMessage m) {
        return concat(varint(streamType), encode(m));
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int i = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }
}
