package org.moqrelay.transport.quic;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GsoBatcherTest {
    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 1000);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 2000);

    private final EmbeddedChannel channel = new EmbeddedChannel(new GsoBatcher());
    private final List<ByteBuf> sent = new ArrayList<>();

    @AfterEach
    void releaseAll() {
        channel.finishAndReleaseAll();
        for (ByteBuf b : sent) assertThat(b.refCnt()).as("a payload buffer leaked").isZero();
    }

    private ByteBuf bytes(int n, int fill) {
        ByteBuf b = Unpooled.directBuffer(n);
        for (int i = 0; i < n; i++) b.writeByte(fill);
        sent.add(b);
        return b;
    }

    private ChannelFuture write(DatagramPacket p) {
        return channel.write(p);
    }

    private DatagramPacket out() {
        return channel.readOutbound();
    }

    @Test
    void aShortTailJoinsTheFullSizedSegmentsBeforeIt() {
        ByteBuf full = Unpooled.wrappedBuffer(bytes(1200, 1), bytes(1200, 2), bytes(1200, 3));
        ChannelFuture first = write(new SegmentedDatagramPacket(full, 1200, A));
        ChannelFuture tail = write(new DatagramPacket(bytes(300, 4), A));
        assertThat((Object) channel.readOutbound()).as("held until flushed").isNull();
        channel.flush();

        DatagramPacket p = out();
        assertThat(p).isInstanceOf(SegmentedDatagramPacket.class);
        assertThat(((SegmentedDatagramPacket) p).segmentSize()).isEqualTo(1200);
        assertThat(p.recipient()).isEqualTo(A);
        assertThat(p.content().readableBytes()).isEqualTo(3900);
        assertThat(p.content().getByte(3600)).isEqualTo((byte) 4);
        p.release();
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(first.isSuccess()).isTrue();
        assertThat(tail.isSuccess()).isTrue();
    }

    @Test
    void singlePacketsOfOneSizeBecomeOneSend() {
        for (int i = 0; i < 4; i++) write(new DatagramPacket(bytes(1200, i), A));
        channel.flush();
        DatagramPacket p = out();
        assertThat(((SegmentedDatagramPacket) p).segmentSize()).isEqualTo(1200);
        assertThat(p.content().readableBytes()).isEqualTo(4800);
        p.release();
    }

    @Test
    void aLonePacketStaysAPlainDatagram() {
        write(new DatagramPacket(bytes(500, 1), A));
        channel.flush();
        DatagramPacket p = out();
        assertThat(p).isNotInstanceOf(SegmentedDatagramPacket.class);
        assertThat(p.content().readableBytes()).isEqualTo(500);
        p.release();
    }

    @Test
    void anotherRecipientStartsANewSendInOrder() {
        write(new DatagramPacket(bytes(1200, 1), A));
        write(new DatagramPacket(bytes(1200, 2), B));
        write(new DatagramPacket(bytes(1200, 3), A));
        channel.flush();
        List<InetSocketAddress> order = new ArrayList<>();
        for (DatagramPacket p; (p = out()) != null; p.release()) {
            order.add(p.recipient());
            assertThat(p.content().readableBytes()).isEqualTo(1200);
        }
        assertThat(order).containsExactly(A, B, A);
    }

    @Test
    void nothingJoinsAfterAShortSegmentOrExceedsTheSegmentSize() {
        write(new DatagramPacket(bytes(1000, 1), A));
        write(new DatagramPacket(bytes(1200, 2), A)); // longer than the batch's segments
        write(new DatagramPacket(bytes(700, 3), A)); // short tail: closes the batch
        write(new DatagramPacket(bytes(700, 4), A));
        channel.flush();
        List<Integer> sizes = new ArrayList<>();
        for (DatagramPacket p; (p = out()) != null; p.release()) sizes.add(p.content().readableBytes());
        assertThat(sizes).containsExactly(1000, 1900, 700);
    }

    @Test
    void aBatchStopsAtTheKernelsSegmentLimit() {
        for (int i = 0; i < GsoBatcher.MAX_SEGMENTS + 1; i++) write(new DatagramPacket(bytes(100, i), A));
        channel.flush();
        DatagramPacket first = out();
        DatagramPacket second = out();
        assertThat(first.content().readableBytes()).isEqualTo(100 * GsoBatcher.MAX_SEGMENTS);
        assertThat(second.content().readableBytes()).isEqualTo(100);
        first.release();
        second.release();
    }

    @Test
    void aBatchStaysUnderTheDatagramSizeLimit() {
        int n = GsoBatcher.MAX_BYTES / 1452 + 1;
        for (int i = 0; i < n; i++) write(new DatagramPacket(bytes(1452, i), A));
        channel.flush();
        DatagramPacket first = out();
        assertThat(first.content().readableBytes()).isLessThanOrEqualTo(GsoBatcher.MAX_BYTES);
        first.release();
        DatagramPacket second = out();
        assertThat(second.content().readableBytes()).isEqualTo(1452);
        second.release();
    }

    @Test
    void otherMessagesFlushThePendingBatchFirst() {
        write(new DatagramPacket(bytes(1200, 1), A));
        ByteBuf other = bytes(10, 9);
        channel.write(other);
        channel.flush();
        Object first = channel.readOutbound();
        Object second = channel.readOutbound();
        assertThat(first).isInstanceOf(DatagramPacket.class);
        assertThat(second).isSameAs(other);
        ((DatagramPacket) first).release();
        other.release();
    }

    @Test
    void aWriteFailingAtOnceMayWriteAgainFromItsListenerWithoutLosingAnything() {
        // As the QUIC codec does: a failed write's listener sends more, from inside emit().
        EmbeddedChannel ch = new EmbeddedChannel(new FailFirstWrite(), new GsoBatcher());
        ChannelFuture[] again = new ChannelFuture[1];
        ChannelFuture first = ch.write(new DatagramPacket(bytes(1200, 1), A));
        first.addListener(f -> {
            if (!f.isSuccess()) again[0] = ch.write(new DatagramPacket(bytes(300, 2), A));
        });
        ChannelFuture other = ch.write(new DatagramPacket(bytes(1200, 3), B)); // another peer: the first batch leaves
        ch.flush();

        assertThat(first.isSuccess()).isFalse();
        List<InetSocketAddress> order = new ArrayList<>();
        for (DatagramPacket p; (p = ch.readOutbound()) != null; p.release()) order.add(p.recipient());
        assertThat(order).containsExactly(A, B);
        assertThat(again[0]).isNotNull();
        assertThat(again[0].isSuccess()).isTrue();
        assertThat(other.isSuccess()).isTrue();
        ch.finishAndReleaseAll();
    }

    /** Fails the first write at once, as a closed UDP channel does, and passes the rest. */
    private static final class FailFirstWrite extends io.netty.channel.ChannelOutboundHandlerAdapter {
        private boolean failed;

        @Override
        public void write(io.netty.channel.ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
            if (failed) {
                ctx.write(msg, promise);
                return;
            }
            failed = true;
            io.netty.util.ReferenceCountUtil.release(msg);
            promise.setFailure(new java.io.IOException("closed"));
        }
    }

    @Test
    void closingFailsAndReleasesWhatIsHeldOrSendsIt() {
        ChannelFuture f = write(new DatagramPacket(bytes(1200, 1), A));
        channel.close();
        // Either delivered by the close's flush or failed by the removal, never left pending.
        assertThat(f.isDone()).isTrue();
        for (Object o; (o = channel.readOutbound()) != null; ) ((DatagramPacket) o).release();
    }
}
