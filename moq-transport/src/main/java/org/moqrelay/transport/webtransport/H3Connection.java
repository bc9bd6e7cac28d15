package org.moqrelay.transport.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicDatagramExtensionEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.Map;
import org.moqrelay.session.spi.DiscardHandler;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.transport.MoqAcceptor;
import org.moqrelay.transport.quic.NettyStream;
import org.moqrelay.transport.quic.PeerStreamSink;
import org.moqrelay.transport.quic.StreamCodes;
import org.moqrelay.transport.webtransport.h3.Http3Frames;
import org.moqrelay.wire.VarInts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/3 layer of one QUIC connection, on either side: our control stream with SETTINGS (sent
 * at once, since Chromium waits for them before its CONNECT), the peer's SETTINGS (read from its
 * control stream; a client waits for them before its CONNECT), the peer's QPACK streams (drained),
 * and WebTransport streams and datagrams routed to the session. A server also takes the peer's
 * CONNECT request, one per connection as its SETTINGS say; a client refuses request streams from
 * its peer.
 */
final class H3Connection extends ChannelInboundHandlerAdapter implements PeerStreamSink {
    private static final Logger log = LoggerFactory.getLogger(H3Connection.class);
    static final long H3_NO_ERROR = 0x100;
    static final long H3_STREAM_CREATION_ERROR = 0x103;
    static final long H3_REQUEST_REJECTED = 0x10b;

    private final QuicChannel channel;
    /** Null on a client. */
    private final MoqAcceptor acceptor;
    private final Promise<Map<Long, Long>> peerSettings;
    private boolean peerControlSeen;
    /** A server takes one request stream per connection: the CONNECT of its one session. */
    private boolean requestSeen;
    private WebTransportSession session;
    private int maxDatagram;

    private H3Connection(QuicChannel channel, MoqAcceptor acceptor) {
        this.channel = channel;
        this.acceptor = acceptor;
        this.peerSettings = channel.eventLoop().newPromise();
    }

    /** The server side: a CONNECT request starts a session handed to {@code acceptor}. */
    static H3Connection server(QuicChannel channel, MoqAcceptor acceptor) {
        return new H3Connection(channel, acceptor);
    }

    /** The client side: the session is the one our own CONNECT starts. */
    static H3Connection client(QuicChannel channel) {
        return new H3Connection(channel, null);
    }

    QuicChannel channel() {
        return channel;
    }

    int maxDatagram() {
        return maxDatagram;
    }

    /** The SETTINGS of the peer's control stream; failed with an {@code Http3Exception} if it is malformed. */
    Future<Map<Long, Long>> peerSettings() {
        return peerSettings;
    }

    void start() {
        channel.createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInitializer<QuicStreamChannel>() {
            @Override
            protected void initChannel(QuicStreamChannel ch) {}
        }).addListener(f -> {
            if (f.isSuccess()) {
                // The control stream stays open for the connection's life: it is critical in HTTP/3.
                ((QuicStreamChannel) f.getNow()).writeAndFlush(
                        acceptor != null ? Http3Frames.serverSettings() : Http3Frames.clientSettings());
            } else {
                channel.close();
            }
        });
    }

    @Override
    public void onPeerStream(QuicStreamChannel ch) {
        NettyStream s = new NettyStream(ch, StreamCodes.IDENTITY);
        ch.pipeline().addLast(s);
        boolean bidi = ch.type() == QuicStreamType.BIDIRECTIONAL;
        s.read(new Sniffer(s, bidi));
    }

    /** A CONNECT was accepted (server) or answered with 2xx (client). */
    void sessionStarted(WebTransportSession s) {
        session = s;
    }

    MoqAcceptor acceptor() {
        return acceptor;
    }

    /** Ends the QUIC connection; Chromium never sends CONNECTION_CLOSE for a closed session. */
    void closeConnection() {
        closeConnection(H3_NO_ERROR);
    }

    /** Ends the QUIC connection with an HTTP/3 error code (RFC 9114 §8.1). */
    void closeConnection(long h3Code) {
        if (channel.isActive()) channel.close(true, (int) h3Code, Unpooled.EMPTY_BUFFER);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf datagram)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            int n = VarInts.peekLength(datagram);
            if (n < 0 || session == null) return;
            long quarter = VarInts.read(datagram);
            if (quarter != session.sessionId() / 4) return;
            session.onDatagram(datagram.retain());
        } finally {
            datagram.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof QuicDatagramExtensionEvent d) maxDatagram = d.maxLength();
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (session != null) session.connectionLost();
        ctx.fireChannelInactive();
    }

    /** Reads the first varint(s) of a peer stream and decides what it is. */
    private final class Sniffer implements ReadHandler {
        private final NettyStream stream;
        private final boolean bidi;
        private ByteBuf buf;
        private ReadHandler delegate;

        Sniffer(NettyStream stream, boolean bidi) {
            this.stream = stream;
            this.bidi = bidi;
        }

        @Override
        public void onData(ByteBuf data) {
            if (delegate != null) {
                delegate.onData(data);
                return;
            }
            buf = buf == null ? data : Unpooled.wrappedBuffer(buf, data);
            int n = VarInts.peekLength(buf);
            if (n < 0) return;
            long type = VarInts.getAt(buf, buf.readerIndex());
            boolean wt = bidi ? type == Http3Frames.WEBTRANSPORT_STREAM : type == Http3Frames.STREAM_WEBTRANSPORT_UNI;
            if (wt) {
                int m = buf.readableBytes() > n ? VarInts.lengthAt(buf, buf.readerIndex() + n) : -1;
                if (m < 0 || buf.readableBytes() < n + m) return; // the session id is not all here yet
                buf.skipBytes(n);
                long sessionId = VarInts.read(buf);
                ByteBuf rest = take();
                if (session == null || session.sessionId() != sessionId) {
                    refuse(rest, H3_STREAM_CREATION_ERROR);
                    return;
                }
                stream.codes(WebTransportCodes.INSTANCE);
                delegate = session.adopt(stream, bidi, rest);
                return;
            }
            if (bidi && acceptor == null) {
                // A server never opens request streams (RFC 9114 §6.1).
                refuse(take(), H3_STREAM_CREATION_ERROR);
                return;
            }
            if (bidi && requestSeen) {
                // We advertise SETTINGS_WT_MAX_SESSIONS = 1, and a session ends its connection: a
                // further request is refused unprocessed (RFC 9114 §4.1.1), so it can start nothing.
                log.debug("rejecting a second HTTP/3 request from {}", channel.remoteSocketAddress());
                refuse(take(), H3_REQUEST_REJECTED);
                return;
            }
            if (bidi) {
                // An HTTP/3 request stream: the WebTransport CONNECT.
                requestSeen = true;
                delegate = new ConnectStreamReader(H3Connection.this, stream);
            } else {
                buf.skipBytes(n);
                if (type != Http3Frames.STREAM_CONTROL && type != Http3Frames.STREAM_QPACK_ENCODER
                        && type != Http3Frames.STREAM_QPACK_DECODER) {
                    log.debug("ignoring HTTP/3 uni stream type 0x{}", Long.toHexString(type));
                    stream.stopSending(H3_STREAM_CREATION_ERROR);
                }
                if (type == Http3Frames.STREAM_CONTROL && !peerControlSeen) {
                    peerControlSeen = true;
                    delegate = new ControlStreamReader(peerSettings);
                } else {
                    // QPACK streams must stay open; we need nothing from them.
                    delegate = new DiscardHandler();
                }
            }
            ByteBuf rest = take();
            if (rest.isReadable()) delegate.onData(rest);
            else rest.release();
        }

        private ByteBuf take() {
            ByteBuf b = buf;
            buf = null;
            return b;
        }

        /** Refuses the stream with {@code code} (STOP_SENDING, and RESET_STREAM on a bidi one) and drops what comes. */
        private void refuse(ByteBuf read, long code) {
            read.release();
            stream.stopSending(code);
            if (bidi) stream.reset(code);
            delegate = new DiscardHandler();
        }

        @Override
        public void onFin() {
            if (buf != null) buf.release();
            buf = null;
            if (delegate != null) delegate.onFin();
        }

        @Override
        public void onReset(long code) {
            if (buf != null) buf.release();
            buf = null;
            if (delegate != null) delegate.onReset(code);
        }
    }
}
