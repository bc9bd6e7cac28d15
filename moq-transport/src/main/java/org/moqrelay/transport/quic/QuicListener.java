package org.moqrelay.transport.quic;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.SegmentedDatagramPacketAllocator;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's UDP port: one QUIC endpoint offering every ALPN. Once a handshake completes, the
 * negotiated ALPN picks what runs on the connection (raw moq-lite, or HTTP/3 for WebTransport),
 * through {@code dispatcher}, which returns where the peer's streams go.
 *
 * <p>One UDP socket is served by one event-loop thread. To use several cores the port is bound
 * by several sockets with {@code SO_REUSEPORT}, each on its own event loop: the kernel spreads
 * clients over them by their address, and a {@link ConnectionIdRouter} shared by all of them sends
 * each packet to the socket whose codec owns its connection id. Every connection, and so every
 * session, stays on the loop of the socket that accepted it.
 */
public final class QuicListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QuicListener.class);
    static final AttributeKey<PeerStreamSink> SINK = AttributeKey.valueOf("moq.peerStreamSink");
    /** Tries at binding a free port when the address has port 0 and another process takes it between two binds. */
    private static final int BIND_ATTEMPTS = 5;
    /**
     * Receive buffer of each QUIC socket (read without GRO: what arrives is mostly small ACKs from
     * many peers, which GRO cannot merge, and its 64 KiB read buffers cost ~10 % more CPU in
     * {@code bench/udp-packets.sh relay}). Every client's ACKs and media land in it, and while the
     * loop fans a frame out to hundreds of sessions they queue; at the kernel default (208 KiB)
     * some overflowed under fan-out on loopback. The kernel caps it at {@code net.core.rmem_max}.
     */
    private static final int RECEIVE_BUFFER = 4 << 20;
    /**
     * Connection ids we accept from a client, which quiche also takes as the number of network
     * paths one connection may hold. It frees a path only once the client retires the id the path
     * uses, which clients rarely do, so each change of the client's address (NAT rebinding, a new
     * network) takes a path for good; at quiche's default of 2 the second change leaves the
     * session unreachable until its idle timeout. A path costs memory only once used: 8 allow
     * seven changes per connection.
     */
    private static final long ACTIVE_CONNECTION_ID_LIMIT = 8;

    private final List<Channel> channels;

    private QuicListener(List<Channel> channels) {
        this.channels = List.copyOf(channels);
    }

    /**
     * Binds {@code sockets} UDP sockets to {@code address}, each on its own loop of {@code group}
     * (no more sockets than the group has loops). More than one needs epoll ({@code SO_REUSEPORT});
     * without it, one socket is bound.
     */
    public static QuicListener bind(InetSocketAddress address, QuicSslContext ssl, EventLoopGroup group, int sockets,
                                    QuicTransportConfig config,
                                    BiFunction<QuicChannel, String, PeerStreamSink> dispatcher) throws InterruptedException {
        if (sockets < 1) throw new IllegalArgumentException("sockets: " + sockets + " (expected: >= 1)");
        ChannelHandler connectionInit = new ChannelInitializer<QuicChannel>() {
            @Override
            protected void initChannel(QuicChannel ch) {
                ch.pipeline().addLast(new HandshakeDispatcher(dispatcher));
            }
        };
        ChannelHandler streamInit = new ChannelInitializer<QuicStreamChannel>() {
            @Override
            protected void initChannel(QuicStreamChannel ch) {
                PeerStreamSink sink = ch.parent().attr(SINK).get();
                if (sink == null) {
                    ch.close();
                } else {
                    sink.onPeerStream(ch);
                }
            }
        };
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor e : group) {
            if (loops.size() < sockets) loops.add((EventLoop) e);
        }
        if (loops.size() > 1 && !reusePortAvailable(group)) {
            log.info("SO_REUSEPORT needs the epoll transport, which is not available: one QUIC socket, one thread");
            loops = loops.subList(0, 1);
        }
        List<Channel> bound;
        if (loops.size() == 1) {
            ChannelHandler codec = codec(config, ssl, connectionInit, streamInit).build();
            bound = List.of(bind(new Bootstrap().group(loops.get(0)).channel(EventLoops.datagramChannel())
                    .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER).handler(QuicCodecs.initializer(codec, config)), address));
        } else {
            ConnectionIdRouter router = new ConnectionIdRouter((cidLength, ids) -> QuicCodecs.pipeline(
                    codec(config, ssl, connectionInit, streamInit).localConnectionIdLength(cidLength).connectionIdAddressGenerator(ids)
                            .build(), config));
            bound = bindReusePort(address, loops, router);
        }
        log.info("QUIC listening on udp {} ({} socket{})", bound.get(0).localAddress(), bound.size(), bound.size() == 1 ? "" : "s");
        return new QuicListener(bound);
    }

    private static QuicServerCodecBuilder codec(QuicTransportConfig config, QuicSslContext ssl, ChannelHandler connectionInit,
                                                ChannelHandler streamInit) {
        QuicServerCodecBuilder builder = QuicCodecs.apply(new QuicServerCodecBuilder(), config);
        SegmentedDatagramPacketAllocator gso = QuicCodecs.gso(config);
        if (gso != null) builder.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, gso);
        return builder
                .sslContext(ssl)
                .activeConnectionIdLimit(ACTIVE_CONNECTION_ID_LIMIT)
                // No Retry (null: no tokens), as the reference (quinn) accepts: a client's first
                // flight is answered at once (no extra round trip), and until its address is proven
                // quiche sends it at most three times what it sent (RFC 9000 §8.1). Netty's only
                // Retry tokens (InsecureQuicTokenHandler) are the client's address in clear: anyone
                // can forge one for a spoofed address and lift that limit.
                .tokenHandler(null)
                .handler(connectionInit)
                .streamHandler(streamInit);
    }

    private static boolean reusePortAvailable(EventLoopGroup group) {
        return EventLoops.isEpoll(group);
    }

    /**
     * Binds one socket per loop to the same port. The port is first taken by a plain socket, as
     * if alone: with {@code SO_REUSEPORT} the kernel would let us join another process's sockets
     * on a port we asked for (same user), or even pick such a port for port 0, and silently split
     * its clients with it. Only the few microseconds between the check and the bind are exposed.
     */
    private static List<Channel> bindReusePort(InetSocketAddress address, List<EventLoop> loops, ConnectionIdRouter router)
            throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            InetSocketAddress port = claim(address);
            List<Channel> bound = new ArrayList<>();
            try {
                for (EventLoop loop : loops) {
                    bound.add(bind(new Bootstrap().group(loop).channel(EpollDatagramChannel.class)
                            .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER)
                            .option(EpollChannelOption.SO_REUSEPORT, true).handler(router), port));
                }
                return bound;
            } catch (RuntimeException | InterruptedException e) {
                for (Channel ch : bound) ch.close().awaitUninterruptibly(5_000);
                if (e instanceof InterruptedException || address.getPort() != 0 || attempt == BIND_ATTEMPTS) throw e;
                log.debug("udp port {} was taken while binding; trying another", port.getPort());
            }
        }
    }

    private static Channel bind(Bootstrap bootstrap, InetSocketAddress address) throws InterruptedException {
        ChannelFuture f = bootstrap.bind(address).await();
        if (!f.isSuccess()) throw bindFailure(address, f.cause());
        return f.channel();
    }

    private static RuntimeException bindFailure(InetSocketAddress address, Throwable cause) {
        String message = "cannot listen for QUIC on udp " + address + ": " + cause.getMessage();
        return cause instanceof IOException io ? new UncheckedIOException(message, io) : new IllegalStateException(message, cause);
    }

    /** {@code address} with its port, after checking that no socket holds it (picking a free one for port 0). */
    private static InetSocketAddress claim(InetSocketAddress address) {
        try (DatagramSocket probe = new DatagramSocket(null)) {
            probe.setReuseAddress(false);
            probe.bind(address);
            return new InetSocketAddress(address.getAddress(), probe.getLocalPort());
        } catch (SocketException e) {
            throw bindFailure(address, e);
        }
    }

    /** The bound address, with the actual port when 0 was asked for. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channels.get(0).localAddress();
    }

    /** How many UDP sockets (and event loops) serve the port. */
    public int sockets() {
        return channels.size();
    }

    @Override
    public void close() {
        for (Channel ch : channels) ch.close();
        for (Channel ch : channels) ch.closeFuture().awaitUninterruptibly(5_000);
    }

    /** Waits for the handshake, then hands the connection to the dispatcher. */
    private static final class HandshakeDispatcher extends ChannelInboundHandlerAdapter {
        private final BiFunction<QuicChannel, String, PeerStreamSink> dispatcher;
        /** quiche announces datagram support before the handshake completes: replayed for the sink's handlers. */
        private io.netty.handler.codec.quic.QuicDatagramExtensionEvent datagrams;

        HandshakeDispatcher(BiFunction<QuicChannel, String, PeerStreamSink> dispatcher) {
            this.dispatcher = dispatcher;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof io.netty.handler.codec.quic.QuicDatagramExtensionEvent d) datagrams = d;
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            QuicChannel ch = (QuicChannel) ctx.channel();
            String alpn = ch.sslEngine() == null ? null : ch.sslEngine().getApplicationProtocol();
            ctx.pipeline().remove(this);
            PeerStreamSink sink = alpn == null ? null : dispatcher.apply(ch, alpn);
            if (sink == null) {
                log.info("closing QUIC connection from {}: unsupported ALPN {}", ch.remoteSocketAddress(), alpn);
                ch.close(true, 21, io.netty.buffer.Unpooled.EMPTY_BUFFER);
                return;
            }
            ch.attr(SINK).set(sink);
            ctx.fireChannelActive();
            if (datagrams != null) ch.pipeline().fireUserEventTriggered(datagrams);
        }
    }
}
