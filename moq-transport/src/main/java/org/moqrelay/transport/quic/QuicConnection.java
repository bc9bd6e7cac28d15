package org.moqrelay.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicDatagramExtensionEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.session.spi.ConnectionHandler;
import org.moqrelay.session.spi.SendStream;

/**
 * A raw QUIC connection carrying moq-lite directly: plain streams, plain datagrams, moq-lite
 * error codes as they are. Installed as the last handler of the {@link QuicChannel}'s pipeline.
 */
public final class QuicConnection extends ChannelInboundHandlerAdapter implements Connection, PeerStreamSink {
    private final QuicChannel channel;
    private final String protocol;
    private final ArrayDeque<Object> early = new ArrayDeque<>();
    private ConnectionHandler handler;
    private volatile int maxDatagram;
    private boolean closedNotified;
    private long peerCode = -1;
    private String peerReason = "";
    private boolean localClose;

    public QuicConnection(QuicChannel channel, String protocol) {
        this.channel = channel;
        this.protocol = protocol;
    }

    /**
     * Stops (or resumes) reading this connection's UDP socket, so the peer sees a slow or stalled
     * receiver. Meant for a client, which owns its socket (load tests); on a relay the socket is
     * shared by every connection.
     */
    public void pauseReading(boolean paused) {
        channel.parent().config().setAutoRead(!paused);
    }

    /** Sets the kernel receive buffer of this connection's UDP socket (a client's own socket). */
    public void receiveBuffer(int bytes) {
        channel.parent().config().setOption(io.netty.channel.ChannelOption.SO_RCVBUF, bytes);
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public void handler(ConnectionHandler h) {
        handler = h;
        while (!early.isEmpty()) {
            Object o = early.poll();
            if (o instanceof NettyStream s) deliver(s);
            else h.onDatagram((ByteBuf) o);
        }
        if (!channel.isActive()) notifyClosed();
    }

    @Override
    public void onPeerStream(QuicStreamChannel ch) {
        NettyStream s = new NettyStream(ch, StreamCodes.IDENTITY);
        ch.pipeline().addLast(s);
        if (handler == null) early.add(s);
        else deliver(s);
    }

    private void deliver(NettyStream s) {
        if (s.channel().type() == QuicStreamType.BIDIRECTIONAL) handler.onBidiStream(s);
        else handler.onUniStream(s);
    }

    @Override
    public Future<BidiStream> openBidi() {
        return open(QuicStreamType.BIDIRECTIONAL);
    }

    @Override
    public Future<SendStream> openUni() {
        return open(QuicStreamType.UNIDIRECTIONAL);
    }

    @SuppressWarnings("unchecked")
    private <T> Future<T> open(QuicStreamType type) {
        Promise<T> p = eventLoop().newPromise();
        NettyStream[] holder = new NettyStream[1];
        channel.createStream(type, new io.netty.channel.ChannelInitializer<QuicStreamChannel>() {
            @Override
            protected void initChannel(QuicStreamChannel ch) {
                holder[0] = new NettyStream(ch, StreamCodes.IDENTITY);
                ch.pipeline().addLast(holder[0]);
            }
        }).addListener(f -> {
            if (f.isSuccess()) p.trySuccess((T) holder[0]);
            else p.tryFailure(f.cause());
        });
        return p;
    }

    @Override
    public int maxDatagramSize() {
        return maxDatagram;
    }

    @Override
    public void sendDatagram(ByteBuf data) {
        if (maxDatagram <= 0 || data.readableBytes() > maxDatagram) {
            data.release();
            return;
        }
        channel.writeAndFlush(data, channel.voidPromise());
    }

    @Override
    public void close(long code, String reason) {
        if (!channel.isActive()) return;
        localClose = true;
        int c = code <= Integer.MAX_VALUE && code >= 0 ? (int) code : 0;
        channel.close(true, c, Unpooled.copiedBuffer(reason == null ? "" : reason, StandardCharsets.UTF_8));
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public String requestPath() {
        return null;
    }

    @Override
    public java.security.cert.X509Certificate peerCertificate() {
        return PeerCertificates.of(channel);
    }

    @Override
    public long peerIdleTimeoutMillis() {
        return PeerIdleTimeout.millis(channel);
    }

    @Override
    public String describe() {
        return "quic " + channel.remoteSocketAddress();
    }

    @Override
    public String transport() {
        return "quic";
    }

    // ---------------------------------------------------------------- QuicChannel pipeline events

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf datagram) {
            if (handler == null) early.add(datagram);
            else handler.onDatagram(datagram);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof QuicDatagramExtensionEvent d) {
            maxDatagram = d.maxLength();
        } else if (evt instanceof QuicConnectionCloseEvent c) {
            peerCode = c.error();
            peerReason = reason(c);
        }
        ctx.fireUserEventTriggered(evt);
    }

    private static String reason(QuicConnectionCloseEvent c) {
        try {
            byte[] r = c.reason();
            return r == null ? "" : new String(r, StandardCharsets.UTF_8);
        } catch (NullPointerException e) {
            return ""; // Netty 4.2.18 clones a null reason
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        notifyClosed();
        ctx.fireChannelInactive();
    }

    private void notifyClosed() {
        if (closedNotified || handler == null) return;
        closedNotified = true;
        boolean clean = localClose || peerCode == 0;
        handler.onClosed(peerCode, peerReason, clean);
        while (!early.isEmpty()) {
            if (early.poll() instanceof ByteBuf b) b.release();
        }
    }
}
