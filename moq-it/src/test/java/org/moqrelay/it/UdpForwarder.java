package org.moqrelay.it;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.moqrelay.transport.quic.EventLoops;

/**
 * A NAT in front of one UDP client, on loopback: the client sends to {@link #address()}, the
 * forwarder resends to the target from its outbound socket and passes the replies back.
 * {@link #rebind} swaps the outbound socket for one on another port and closes the old one, as a
 * NAT that lost its mapping does: the target sees the client's packets come from a new address,
 * and what it still sends to the old address is lost. It counts the sizes of the datagrams the
 * target sends. Runs on one event loop; closing waits.
 */
final class UdpForwarder implements AutoCloseable {
    private static final long CLOSE_MILLIS = 5_000;
    private static final int FIRST_KEPT = 64;

    private final EventLoop loop;
    private final InetSocketAddress target;
    private final Channel front;
    /** Replaced by the test thread, read on the loop for every packet. */
    private volatile Channel outbound;
    /** Where the client sends from; set on the loop. */
    private volatile InetSocketAddress client;
    /** How many UDP datagrams of each payload size the target has sent the client. */
    private final Map<Integer, LongAdder> sizesFromTarget = new ConcurrentHashMap<>();
    /** The payload sizes of the target's first {@link #FIRST_KEPT} datagrams, in order. */
    private final List<Integer> firstFromTarget = new CopyOnWriteArrayList<>();
    /** The first byte of each of the target's first {@link #FIRST_KEPT} datagrams (QUIC: header form and packet type). */
    private final List<Integer> firstBytesFromTarget = new CopyOnWriteArrayList<>();

    private UdpForwarder(EventLoop loop, InetSocketAddress target) throws InterruptedException {
        this.loop = loop;
        this.target = target;
        this.front = bind(0, new FromClient());
        this.outbound = bind(0, new FromTarget());
    }

    /** A forwarder on {@code loop} (of an {@link EventLoops#newGroup} group) to {@code target}, on free loopback ports. */
    static UdpForwarder open(EventLoop loop, InetSocketAddress target) throws InterruptedException {
        return new UdpForwarder(loop, target);
    }

    /** Where the client sends. */
    InetSocketAddress address() {
        return (InetSocketAddress) front.localAddress();
    }

    /** The port the target sees the client's packets come from. */
    int outboundPort() {
        return ((InetSocketAddress) outbound.localAddress()).getPort();
    }

    /** The largest UDP payload, in bytes, that the target has sent towards the client so far (0: none). */
    int largestFromTarget() {
        return sizesFromTarget.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** The payload sizes of the first (up to 64) datagrams the target sent towards the client, in order. */
    List<Integer> firstFromTarget() {
        return List.copyOf(firstFromTarget);
    }

    /** The first byte of each of the first (up to 64) datagrams the target sent towards the client, in order. */
    List<Integer> firstBytesFromTarget() {
        return List.copyOf(firstBytesFromTarget);
    }

    /** How many datagrams the target has sent towards the client with a payload of more than {@code bytes}. */
    long fromTargetLargerThan(int bytes) {
        return sizesFromTarget.entrySet().stream().filter(e -> e.getKey() > bytes).mapToLong(e -> e.getValue().sum()).sum();
    }

    /** From now on sends from loopback {@code port} (0: any free one); the old outbound socket is closed on return. */
    void rebind(int port) throws InterruptedException {
        Channel fresh = bind(port, new FromTarget());
        Channel old = outbound;
        outbound = fresh;
        old.close().awaitUninterruptibly(CLOSE_MILLIS);
    }

    @Override
    public void close() {
        front.close().awaitUninterruptibly(CLOSE_MILLIS);
        outbound.close().awaitUninterruptibly(CLOSE_MILLIS);
    }

    private Channel bind(int port, SimpleChannelInboundHandler<DatagramPacket> handler) throws InterruptedException {
        ChannelFuture f = new Bootstrap().group(loop).channel(EventLoops.datagramChannel()).handler(handler)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).await();
        if (!f.isSuccess()) throw new IllegalStateException("cannot bind udp port " + port + " on loopback", f.cause());
        return f.channel();
    }

    private final class FromClient extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            client = packet.sender();
            outbound.writeAndFlush(new DatagramPacket(packet.content().retain(), target));
        }
    }

    private final class FromTarget extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            InetSocketAddress to = client;
            int size = packet.content().readableBytes();
            if (firstFromTarget.size() < FIRST_KEPT) {
                firstFromTarget.add(size);
                if (size > 0) firstBytesFromTarget.add((int) packet.content().getUnsignedByte(packet.content().readerIndex()));
            }
            sizesFromTarget.computeIfAbsent(size, k -> new LongAdder()).increment();
            // A socket being replaced no longer forwards: its mapping is gone.
            if (to != null && ctx.channel() == outbound) front.writeAndFlush(new DatagramPacket(packet.content().retain(), to));
        }
    }
}
