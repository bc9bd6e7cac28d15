package org.moqrelay.transport.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.session.spi.ConnectionHandler;
import org.moqrelay.session.spi.DiscardHandler;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.session.spi.SendStream;
import org.moqrelay.transport.quic.NettyStream;
import org.moqrelay.transport.webtransport.h3.Capsules;
import org.moqrelay.transport.webtransport.h3.Http3Frames;
import org.moqrelay.wire.VarInts;

/**
 * One WebTransport session (its id is the CONNECT stream's id), on the server or the client side,
 * seen as a MoQ {@link Connection}:
 * streams carry the {@code 0x54}/{@code 0x41} + session-id prefix, datagrams the quarter-stream-id,
 * and error codes the WebTransport range. Closing sends the close capsule, then ends the QUIC
 * connection ourselves (Chromium never sends CONNECTION_CLOSE).
 */
final class WebTransportSession implements Connection {
    /** Give the peer this long to read our close capsule before the connection goes. */
    static final long CLOSE_GRACE_MILLIS = 100;

    private final H3Connection h3;
    private final NettyStream connectStream;
    private final String path;
    private final String host;
    private String protocol;
    private final ArrayDeque<Object> early = new ArrayDeque<>();
    private ConnectionHandler handler;
    private boolean closed;
    /** How the session ended, for a handler set only afterwards. */
    private long closeCode;
    private String closeReason = "";
    private boolean closeClean;

    WebTransportSession(H3Connection h3, NettyStream connectStream, String path, String host, String protocol) {
        this.h3 = h3;
        this.connectStream = connectStream;
        this.path = path;
        this.host = host;
        this.protocol = protocol;
    }

    /** Client side: the subprotocol the server's response chose ("" for none). */
    void negotiated(String protocol) {
        this.protocol = protocol;
    }

    /** Client side: the CONNECT failed; drop what came early and end the QUIC connection. */
    void abandon() {
        closed = true;
        dropEarly();
        h3.closeConnection();
    }

    /** Releases datagrams and drains streams that came before any handler (the connection is going). */
    private void dropEarly() {
        while (!early.isEmpty()) {
            Object o = early.poll();
            if (o instanceof ByteBuf d) {
                d.release();
            } else if (o instanceof Adopted a) {
                a.read(new DiscardHandler()); // releases what it queued and whatever still comes
                a.stopSending(0);
            }
        }
    }

    long sessionId() {
        return connectStream.channel().streamId();
    }

    @Override
    public EventLoop eventLoop() {
        return h3.channel().eventLoop();
    }

    @Override
    public void handler(ConnectionHandler h) {
        handler = h;
        while (!early.isEmpty()) {
            Object o = early.poll();
            if (o instanceof ByteBuf d) h.onDatagram(d);
            else if (o instanceof Adopted s) deliver(s);
        }
        // Closed before anyone listened (a relay refusing the token at once): tell how it ended.
        if (closed) h.onClosed(closeCode, closeReason, closeClean);
    }

    /** A peer stream with our session id; {@code rest} are the bytes after the prefix. */
    ReadHandler adopt(NettyStream s, boolean bidi, ByteBuf rest) {
        AdoptedRelay relay = new AdoptedRelay(rest);
        Adopted a = new Adopted(s, relay);
        if (closed) {
            s.stopSending(0);
            if (bidi) s.reset(0);
        } else if (handler == null) {
            early.add(a);
        } else {
            deliver(a);
        }
        return relay;
    }

    private void deliver(Adopted s) {
        if (s.stream.channel().type() == QuicStreamType.BIDIRECTIONAL) handler.onBidiStream(s);
        else handler.onUniStream(s);
    }

    void onDatagram(ByteBuf payload) {
        if (closed) {
            payload.release();
        } else if (handler == null) {
            early.add(payload);
        } else {
            handler.onDatagram(payload);
        }
    }

    @Override
    public Future<BidiStream> openBidi() {
        return open(QuicStreamType.BIDIRECTIONAL, Http3Frames.WEBTRANSPORT_STREAM);
    }

    @Override
    public Future<SendStream> openUni() {
        return open(QuicStreamType.UNIDIRECTIONAL, Http3Frames.STREAM_WEBTRANSPORT_UNI);
    }

    @SuppressWarnings("unchecked")
    private <T> Future<T> open(QuicStreamType type, long prefix) {
        Promise<T> p = eventLoop().newPromise();
        if (closed) {
            p.setFailure(new IllegalStateException("session closed"));
            return p;
        }
        NettyStream[] holder = new NettyStream[1];
        h3.channel().createStream(type, new ChannelInitializer<QuicStreamChannel>() {
            @Override
            protected void initChannel(QuicStreamChannel ch) {
                holder[0] = new NettyStream(ch, WebTransportCodes.INSTANCE);
                ch.pipeline().addLast(holder[0]);
            }
        }).addListener(f -> {
            if (!f.isSuccess()) {
                p.tryFailure(f.cause());
                return;
            }
            ByteBuf header = ByteBufAllocator.DEFAULT.buffer(16);
            VarInts.write(header, prefix);
            VarInts.write(header, sessionId());
            holder[0].write(header);
            p.trySuccess((T) holder[0]);
        });
        return p;
    }

    @Override
    public int maxDatagramSize() {
        int max = h3.maxDatagram();
        return max <= 0 ? 0 : max - VarInts.size(sessionId() / 4);
    }

    @Override
    public void sendDatagram(ByteBuf data) {
        int max = maxDatagramSize();
        if (closed || max <= 0 || data.readableBytes() > max) {
            data.release();
            return;
        }
        ByteBuf prefix = ByteBufAllocator.DEFAULT.buffer(8);
        VarInts.write(prefix, sessionId() / 4);
        h3.channel().writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(prefix, data), h3.channel().voidPromise());
    }

    @Override
    public void close(long code, String reason) {
        if (closed) return;
        closed = true;
        remember(code, reason == null ? "" : reason, true);
        if (handler == null) dropEarly(); // closed unheard (no common version): nobody will take them
        connectStream.write(Capsules.encodeClose(code, reason == null ? "" : reason));
        connectStream.finish();
        eventLoop().schedule(() -> h3.closeConnection(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        if (handler != null) handler.onClosed(code, reason, true);
    }

    /** The peer's close capsule, or FIN / reset of the CONNECT stream. */
    void peerClosed(long code, String reason) {
        if (closed) return;
        closed = true;
        remember(code, reason, code == 0);
        connectStream.finish();
        h3.closeConnection();
        if (handler != null) handler.onClosed(code, reason, code == 0);
    }

    /** The QUIC connection went away (idle timeout, loss) without a WebTransport close. */
    void connectionLost() {
        if (closed) return;
        closed = true;
        remember(-1, "connection lost", false);
        if (handler != null) handler.onClosed(-1, "connection lost", false);
    }

    private void remember(long code, String reason, boolean clean) {
        closeCode = code;
        closeReason = reason;
        closeClean = clean;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public String requestPath() {
        return path;
    }

    @Override
    public java.security.cert.X509Certificate peerCertificate() {
        return org.moqrelay.transport.quic.PeerCertificates.of(h3.channel());
    }

    @Override
    public String requestHost() {
        return host;
    }

    @Override
    public String transport() {
        return "quic"; // WebTransport rides QUIC; the reference names it so
    }

    @Override
    public long peerIdleTimeoutMillis() {
        return org.moqrelay.transport.quic.PeerIdleTimeout.millis(h3.channel());
    }

    @Override
    public String describe() {
        return "webtransport " + h3.channel().remoteSocketAddress();
    }

    /** An adopted stream: sends through the Netty stream, reads through its relay. */
    private static final class Adopted implements BidiStream {
        private final NettyStream stream;
        private final AdoptedRelay relay;

        Adopted(NettyStream stream, AdoptedRelay relay) {
            this.stream = stream;
            this.relay = relay;
        }

        @Override
        public void read(ReadHandler h) {
            relay.target(h);
        }

        @Override
        public void stopSending(long code) {
            relay.stop(); // as a raw QUIC stream does: nothing more is delivered, and what was kept is released
            stream.stopSending(code);
        }

        @Override
        public void write(ByteBuf data) {
            stream.write(data);
        }

        @Override
        public void flush() {
            stream.flush();
        }

        @Override
        public boolean isWritable() {
            return stream.isWritable();
        }

        @Override
        public void onWritable(Runnable callback) {
            stream.onWritable(callback);
        }

        @Override
        public void finish() {
            stream.finish();
        }

        @Override
        public void reset(long code) {
            stream.reset(code);
        }

        @Override
        public void priority(int priority) {
            stream.priority(priority);
        }

        @Override
        public boolean isClosed() {
            return stream.isClosed();
        }
    }
}
