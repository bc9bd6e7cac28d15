package org.moqrelay.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.quic.LongErrorCodes;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamPriority;
import io.netty.handler.codec.quic.QuicStreamResetException;
import java.util.ArrayDeque;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.session.spi.ReadHandler;

/**
 * A QUIC stream as the session sees it. Installed as the stream channel's inbound handler; bytes
 * arriving before anyone reads are queued. Confined to the connection's event loop.
 */
public final class NettyStream extends ChannelInboundHandlerAdapter implements BidiStream {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(NettyStream.class);
    private final QuicStreamChannel channel;
    private StreamCodes codes;
    private final ArrayDeque<ByteBuf> queued = new ArrayDeque<>();
    private ReadHandler handler;
    private Runnable writable;
    private boolean finReceived;
    private boolean resetReceived;
    private long resetCode;
    private boolean inputDone;
    private boolean outputClosed;

    public NettyStream(QuicStreamChannel channel, StreamCodes codes) {
        this.channel = channel;
        this.codes = codes;
    }

    public QuicStreamChannel channel() {
        return channel;
    }

    /** Switches the error-code mapping (a stream turns out to be a WebTransport stream). */
    public void codes(StreamCodes c) {
        codes = c;
    }

    // ---------------------------------------------------------------- RecvStream

    @Override
    public void read(ReadHandler h) {
        handler = h;
        while (!queued.isEmpty() && handler == h) {
            h.onData(queued.poll());
        }
        if (handler != h) return;
        if (finReceived) {
            h.onFin();
        } else if (resetReceived) {
            h.onReset(resetCode);
        }
    }

    @Override
    public void stopSending(long code) {
        if (inputDone) return;
        inputDone = true;
        if (channel.isActive()) LongErrorCodes.stopSending(channel, codes.toWire(code));
        releaseQueued();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        if (inputDone || finReceived || resetReceived) {
            buf.release();
        } else if (handler == null) {
            queued.add(buf);
        } else {
            handler.onData(buf);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownReadComplete) {
            if (finReceived || resetReceived) return;
            finReceived = true;
            if (handler != null && !inputDone) handler.onFin();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof QuicStreamResetException reset) {
            onReset(codes.fromWire(reset.applicationProtocolCode()));
        } else if (cause instanceof io.netty.channel.socket.ChannelOutputShutdownException
                || cause instanceof io.netty.handler.codec.quic.QuicException) {
            // The peer stopped reading (STOP_SENDING) or the stream is gone: stop writing to it,
            // and let the writer notice at once instead of queueing into a dead stream.
            outputClosed = true;
            if (writable != null) writable.run();
        } else {
            log.warn("stream {} failed", channel.streamId(), cause);
            onReset(Connection.CLOSED_CODE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        outputClosed = true;
        if (!finReceived && !resetReceived) onReset(Connection.CLOSED_CODE);
        releaseQueued();
    }

    private void onReset(long code) {
        if (finReceived || resetReceived) return;
        resetReceived = true;
        resetCode = code;
        if (handler != null && !inputDone) {
            releaseQueued();
            handler.onReset(code);
        }
    }

    private void releaseQueued() {
        while (!queued.isEmpty()) queued.poll().release();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (writable != null && channel.isWritable()) writable.run();
    }

    // ---------------------------------------------------------------- SendStream

    @Override
    public void write(ByteBuf data) {
        if (outputClosed) {
            data.release();
            return;
        }
        channel.write(data, channel.voidPromise());
    }

    @Override
    public void flush() {
        if (!outputClosed) channel.flush();
    }

    @Override
    public boolean isWritable() {
        return !outputClosed && channel.isWritable();
    }

    @Override
    public void onWritable(Runnable callback) {
        writable = callback;
    }

    @Override
    public void finish() {
        if (outputClosed) return;
        outputClosed = true;
        // A FIN frame through the ordinary write path queues behind data quiche had no room for;
        // shutdownOutput() would send the FIN ahead of it and truncate the stream.
        channel.writeAndFlush(QuicStreamFrame.EMPTY_FIN, channel.voidPromise());
    }

    @Override
    public void reset(long code) {
        if (outputClosed) return;
        outputClosed = true;
        if (channel.isActive()) LongErrorCodes.resetStream(channel, codes.toWire(code));
    }

    @Override
    public void priority(int priority) {
        // moq-lite u8 (higher first) onto quiche's 8 urgency levels (lower first).
        int urgency = 7 - Math.min(7, Math.max(0, priority) / 32);
        channel.updatePriority(new QuicStreamPriority(urgency, false));
    }

    @Override
    public boolean isClosed() {
        return outputClosed || !channel.isActive();
    }
}
