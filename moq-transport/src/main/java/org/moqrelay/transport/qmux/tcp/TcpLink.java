package org.moqrelay.transport.qmux.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.moqrelay.transport.qmux.QmuxConnection;
import org.moqrelay.transport.qmux.QmuxLink;
import org.moqrelay.transport.qmux.wire.QmuxException;
import org.moqrelay.transport.qmux.wire.QmuxParams;
import org.moqrelay.transport.qmux.wire.QmuxRecords;

/**
 * A plain stream socket (TCP, or a Unix domain socket) under a qmux-01 session: the byte stream
 * carries records {@code Size (i) | frames} (spec/transports.md §4).
 */
public final class TcpLink extends ByteToMessageDecoder implements QmuxLink {
    private final Channel channel;
    private final String transport;
    private final String label;
    private QmuxConnection connection;

    /** A TCP socket. */
    public TcpLink(Channel channel) {
        this(channel, "tcp", null);
    }

    /**
     * @param transport {@code tcp} or {@code unix}, as the reference names them
     * @param label     how logs name this link, or null for the transport and the remote address
     */
    public TcpLink(Channel channel, String transport, String label) {
        this.channel = channel;
        this.transport = transport;
        this.label = label;
    }

    public void attach(QmuxConnection c) {
        connection = c;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        // Our parameters go first, before anything the session may write once the peer's arrive.
        connection.start();
        super.channelActive(ctx);
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public void send(ByteBuf frames) {
        // The record's length prefix, then the frames themselves: no copy of the payload.
        ByteBuf length = channel.alloc().buffer(8);
        QmuxRecords.writeRecordLength(length, frames.readableBytes());
        // One write, so a record can never be split by another writer's record.
        channel.write(channel.alloc().compositeBuffer(2).addComponents(true, length, frames), channel.voidPromise());
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public long backlog() {
        return channel.bytesBeforeWritable();
    }

    @Override
    public void close() {
        if (channel.isActive()) channel.writeAndFlush(channel.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void abort() {
        channel.close();
    }

    @Override
    public int maxMessageSize() {
        return (int) QmuxParams.DEFAULT_MAX_RECORD_SIZE;
    }

    @Override
    public String describe() {
        return label != null ? label : transport + " " + channel.remoteAddress();
    }

    @Override
    public String transport() {
        return transport;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            ByteBuf record;
            while ((record = QmuxRecords.tryReadRecord(in, (int) QmuxParams.DEFAULT_MAX_RECORD_SIZE)) != null) {
                connection.onMessage(record);
                if (!connection.isOpen()) {
                    in.skipBytes(in.readableBytes());
                    return;
                }
            }
        } catch (QmuxException e) {
            in.skipBytes(in.readableBytes());
            // A transport error (e.g. an oversize record): CONNECTION_CLOSE, not APPLICATION_CLOSE,
            // whose code the peer would read as a moq-lite code.
            connection.protocolError(e.code(), e.getMessage());
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (channel.isWritable() && connection != null) connection.onLinkWritable();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (connection != null) connection.onLinkClosed();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
