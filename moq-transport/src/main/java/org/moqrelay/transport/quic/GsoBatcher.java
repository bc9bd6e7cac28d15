package org.moqrelay.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins consecutive UDP writes to one peer into a single GSO send. Netty's QUIC codec starts a
 * new send whenever a packet is shorter than the one before, so a frame of four full packets and
 * a short tail leaves as two sends; the kernel accepts a shorter last segment, so one is enough.
 * Every send costs the kernel a route lookup, a socket-buffer allocation and a wake-up of the
 * receiver, so on a fan-out this halves the sends. Sits between the UDP channel and the codec and
 * holds at most one batch until the next write to someone else or the next flush.
 */
final class GsoBatcher extends ChannelDuplexHandler {
    /** The kernel's limit on segments in one send (UDP_MAX_SEGMENTS). */
    static final int MAX_SEGMENTS = 64;
    /** Room for one send's payload under the 64 KiB IP datagram limit, IPv4 or IPv6 headers included. */
    static final int MAX_BYTES = 65_000;

    private final List<ChannelPromise> promises = new ArrayList<>(4);

    private CompositeByteBuf batch;
    private InetSocketAddress recipient;
    private int segmentSize;
    private int segments;
    /** Whether every segment so far is exactly {@link #segmentSize} long, so another may follow. */
    private boolean open;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof DatagramPacket packet) || packet.recipient() == null || !packet.content().isReadable()) {
            emit(ctx);
            ctx.write(msg, promise);
            return;
        }
        if (!ctx.channel().isActive()) {
            // Nothing will be sent: let the channel fail it now, in order.
            emit(ctx);
            ctx.write(msg, promise);
            return;
        }
        ByteBuf content = packet.content();
        int length = content.readableBytes();
        int size = packet instanceof SegmentedDatagramPacket s ? s.segmentSize() : length;
        int count = (length + size - 1) / size;
        // A loop: a write that fails at once can make the codec write again from its listener,
        // into a batch that emit() has just started afresh.
        while (batch != null && !joins(packet.recipient(), size, count, length)) emit(ctx);
        if (batch == null) {
            batch = ctx.alloc().compositeDirectBuffer(MAX_SEGMENTS);
            recipient = packet.recipient();
            segmentSize = size;
            segments = 0;
        }
        batch.addComponent(true, content.retain());
        packet.release();
        segments += count;
        open = length == count * segmentSize;
        if (!promise.isVoid()) promises.add(promise);
    }

    /** Whether a packet of {@code count} segments of {@code size} ({@code length} bytes) may follow the batch. */
    private boolean joins(InetSocketAddress to, int size, int count, int length) {
        return open && to.equals(recipient) && size <= segmentSize && (count == 1 || size == segmentSize)
                && segments + count <= MAX_SEGMENTS && batch.readableBytes() + length <= MAX_BYTES;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        emit(ctx);
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        emit(ctx);
        ctx.flush();
        super.close(ctx, promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (batch != null) {
            batch.release();
            batch = null;
            IllegalStateException cause = new IllegalStateException("UDP channel closed");
            for (ChannelPromise p : promises) p.tryFailure(cause);
            promises.clear();
        }
    }

    private void emit(ChannelHandlerContext ctx) {
        if (batch == null) return;
        DatagramPacket out = segments == 1 ? new DatagramPacket(batch, recipient)
                : new SegmentedDatagramPacket(batch, segmentSize, recipient);
        // Cleared before the write: a listener it completes at once may write again (see write()).
        ChannelPromise[] waiting = promises.toArray(new ChannelPromise[0]);
        promises.clear();
        batch = null;
        switch (waiting.length) {
            case 0 -> ctx.write(out, ctx.voidPromise());
            case 1 -> ctx.write(out, waiting[0]);
            default -> ctx.write(out).addListener(f -> {
                for (ChannelPromise p : waiting) {
                    if (f.isSuccess()) p.trySuccess(); else p.tryFailure(f.cause());
                }
            });
        }
    }
}
