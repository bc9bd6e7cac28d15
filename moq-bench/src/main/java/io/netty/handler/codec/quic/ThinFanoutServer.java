package io.netty.handler.codec.quic;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import io.netty.channel.socket.DatagramPacket;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.moqrelay.bench.quic.FloorRuns;

/**
 * An experiment, not a transport: {@code fanout-server PORT RATE_KBPS SECS [THREADS]} of
 * quinn-fanout driving quiche through Netty's JNI bindings directly, without Netty's QUIC
 * channels (no channel or pipeline per connection or stream, no per-connection timer, no stream
 * writability bookkeeping). It sits in Netty's package because those bindings are package-private.
 * Measured beside {@code StackFanoutServer} by {@code bench/stack-floor.sh} ({@code SIDES=...thin}),
 * it shows what a thinner layer over quiche could save; it is as small as that needs: one socket
 * per loop ({@code SO_REUSEPORT}), connections found by the destination id (16-byte ids of ours,
 * or the client's first one), no Retry, no migration, timers checked every 5 ms, one uni stream
 * (id 3) per connection that drops a chunk it has no room for.
 */
public final class ThinFanoutServer {
    private static final int ID_LENGTH = 16;
    private static final long SERVER_UNI_STREAM = 3;
    private static final int GSO_SEGMENTS = 16;

    private static final AtomicLong sent = new AtomicLong();
    private static final AtomicLong dropped = new AtomicLong();
    private static final AtomicLong established = new AtomicLong();

    private final QuicheConfig config;
    private final QuicheQuicSslContext ssl;
    private final ByteBuf chunk;

    private ThinFanoutServer(QuicheConfig config, QuicheQuicSslContext ssl, ByteBuf chunk) {
        this.config = config;
        this.ssl = ssl;
        this.chunk = chunk;
    }

    public static void main(String[] args) throws Exception {
        FloorRuns.ServerArgs a = FloorRuns.ServerArgs.parse("ThinFanoutServer", args);
        FloorRuns.leakTrackingOffByDefault();
        int port = a.port();
        int seconds = a.seconds();
        int threads = a.threads();
        File certs = new File(System.getenv().getOrDefault("QUINN_FANOUT_CERTS", "certs"));
        QuicheQuicSslContext ssl = (QuicheQuicSslContext) QuicSslContextBuilder
                .forServer(new File(certs, "server.key"), null, new File(certs, "server.crt"))
                .applicationProtocols("moq-lite-03").build();
        // The relay's settings (QuicTransportConfig.DEFAULT, CUBIC as the bench runs it, 8 connection ids).
        QuicheConfig config = new QuicheConfig(Quiche.QUICHE_PROTOCOL_VERSION, null, 30_000L, null, null,
                16L << 20, 2L << 20, 2L << 20, 2L << 20, 10_000L, 10_000L, null, null, null, null, null,
                QuicCongestionControlAlgorithm.CUBIC, null, null, null, 8L, null);
        int size = a.chunkBytes();
        ThinFanoutServer server = new ThinFanoutServer(config, ssl, Unpooled.directBuffer(size).writeZero(size));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
        for (int i = 0; i < threads; i++) {
            EventLoop loop = group.next();
            Socket socket = server.new Socket();
            socket.channel = new Bootstrap().group(loop).channel(EpollDatagramChannel.class)
                    .option(ChannelOption.SO_RCVBUF, 4 << 20).option(EpollChannelOption.SO_REUSEPORT, true)
                    .handler(socket).bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
            loop.scheduleAtFixedRate(socket::fanOut, 20, 20, TimeUnit.MILLISECONDS);
            loop.scheduleAtFixedRate(socket::timers, 5, 5, TimeUnit.MILLISECONDS);
        }
        FloorRuns.reportEveryFiveSeconds(seconds, sent::get, (t, mbps, cpu, total) -> String.format(
                "[thin fanout-server] %.0fs subs=%d tx %.1f MB/s cpu %.0f%% dropped=%d", t, established.get(), mbps, cpu, dropped.get()));
        System.exit(0);
    }

    /** One quiche connection and the ids it is found by. */
    private static final class Connection {
        final QuicheQuicConnection quiche;
        final InetSocketAddress peer;
        long deadlineNanos = Long.MAX_VALUE;
        boolean counted;

        Connection(QuicheQuicConnection quiche, InetSocketAddress peer) {
            this.quiche = quiche;
            this.peer = peer;
        }
    }

    /** One UDP socket on one loop, and the connections it accepted. */
    private final class Socket extends ChannelInboundHandlerAdapter {
        final Map<ByteBuffer, Connection> byId = new HashMap<>();
        final List<Connection> connections = new ArrayList<>();
        final ByteBuf localAddress = Quiche.allocateNativeOrder(Quiche.SIZEOF_SOCKADDR_STORAGE);
        final ByteBuf peerAddress = Quiche.allocateNativeOrder(Quiche.SIZEOF_SOCKADDR_STORAGE);
        final ByteBuf newId = Unpooled.directBuffer(ID_LENGTH);
        Channel channel;
        boolean flushPending;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            try {
                ByteBuf b = packet.content();
                int at = b.readerIndex();
                boolean longHeader = (b.getByte(at) & 0x80) != 0;
                int idLength = longHeader ? b.getUnsignedByte(at + 5) : ID_LENGTH;
                int idAt = longHeader ? at + 6 : at + 1;
                if (idAt + idLength > b.writerIndex()) return;
                byte[] id = new byte[idLength];
                b.getBytes(idAt, id);
                Connection c = byId.get(ByteBuffer.wrap(id));
                if (c == null) {
                    if (!longHeader || (c = accept(packet.sender(), packet.recipient())) == null) return;
                    byId.put(ByteBuffer.wrap(id), c); // the client's first id, until it uses ours
                }
                ByteBuffer info = c.quiche.nextRecvInfo();
                QuicheRecvInfo.setRecvInfo(info, packet.sender(), packet.recipient());
                long address = Quiche.readerMemoryAddress(b);
                int left = b.readableBytes();
                while (left > 0) {
                    int read = Quiche.quiche_conn_recv(c.quiche.address(), address, left, Quiche.memoryAddressWithPosition(info));
                    runTlsTasks(c);
                    if (read < 0) break;
                    address += read;
                    left -= read;
                }
                send(c);
            } finally {
                packet.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            flushIfPending();
        }

        private Connection accept(InetSocketAddress peer, InetSocketAddress local) {
            byte[] id = new byte[ID_LENGTH];
            ThreadLocalRandom.current().nextBytes(id);
            newId.clear().writeBytes(id);
            QuicheQuicSslEngine engine = (QuicheQuicSslEngine) ssl.newEngine(ByteBufAllocator.DEFAULT);
            QuicheQuicConnection quiche = engine.createConnection(tls -> {
                ByteBuffer l = localAddress.nioBuffer(0, Quiche.SIZEOF_SOCKADDR_STORAGE).order(ByteOrder.nativeOrder());
                ByteBuffer p = peerAddress.nioBuffer(0, Quiche.SIZEOF_SOCKADDR_STORAGE).order(ByteOrder.nativeOrder());
                int localLength = SockaddrIn.setAddress(l, local);
                int peerLength = SockaddrIn.setAddress(p, peer);
                return Quiche.quiche_conn_new_with_tls(Quiche.readerMemoryAddress(newId), ID_LENGTH, -1, -1,
                        Quiche.memoryAddressWithPosition(l), localLength, Quiche.memoryAddressWithPosition(p), peerLength,
                        config.nativeAddress(), tls, true);
            });
            if (quiche == null) return null;
            quiche.init(local, peer, sni -> {});
            Connection c = new Connection(quiche, peer);
            byId.put(ByteBuffer.wrap(id), c);
            connections.add(c);
            return c;
        }

        /** BoringSSL hands certificate work back as tasks; run them here, on the loop. */
        private void runTlsTasks(Connection c) {
            Runnable task;
            while ((task = c.quiche.sslTask()) != null) task.run();
        }

        /** quiche_conn_send until it has nothing more, same-size packets joined into one GSO send. */
        private void send(Connection c) {
            long conn = c.quiche.address();
            int max = Quiche.quiche_conn_max_send_udp_payload_size(conn);
            ByteBuf out = null;
            int count = 0;
            for (;;) {
                if (out == null) {
                    out = channel.alloc().directBuffer(max * GSO_SEGMENTS);
                    count = 0;
                }
                ByteBuffer info = c.quiche.nextSendInfo();
                int written = Quiche.quiche_conn_send(conn, Quiche.writerMemoryAddress(out), max,
                        Quiche.memoryAddressWithPosition(info));
                if (written <= 0) break;
                out.writerIndex(out.writerIndex() + written);
                count++;
                // The kernel cuts a GSO send into segments of the first one's size: every packet
                // but the last must be full-size, so a short one ends the send.
                if (written < max || count == GSO_SEGMENTS) {
                    emit(out, max, count, c.peer);
                    out = null;
                }
            }
            if (out != null) {
                if (out.isReadable()) emit(out, max, count, c.peer);
                else out.release();
            }
            runTlsTasks(c);
            long timeout = Quiche.quiche_conn_timeout_as_nanos(conn);
            c.deadlineNanos = timeout < 0 || timeout == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + timeout;
            if (Quiche.quiche_conn_is_closed(conn)) {
                byId.values().removeIf(x -> x == c);
                connections.remove(c);
                c.quiche.free();
            }
        }

        private void emit(ByteBuf out, int segment, int count, InetSocketAddress to) {
            channel.write(count > 1 ? new SegmentedDatagramPacket(out, segment, to) : new DatagramPacket(out, to));
            flushPending = true;
        }

        private void flushIfPending() {
            if (flushPending) {
                flushPending = false;
                channel.flush();
            }
        }

        /** Every 20 ms: the chunk to every established connection, or a drop where its stream has no room. */
        void fanOut() {
            for (Connection c : connections.toArray(new Connection[0])) {
                if (c.quiche.isFreed()) continue;
                long conn = c.quiche.address();
                if (!Quiche.quiche_conn_is_established(conn)) continue;
                if (!c.counted) {
                    c.counted = true;
                    established.incrementAndGet();
                }
                long room = Quiche.quiche_conn_stream_capacity(conn, SERVER_UNI_STREAM);
                if (room >= 0 && room < chunk.readableBytes()) {
                    dropped.incrementAndGet();
                    continue;
                }
                int taken = Quiche.quiche_conn_stream_send(conn, SERVER_UNI_STREAM, Quiche.readerMemoryAddress(chunk),
                        chunk.readableBytes(), false);
                if (taken > 0) sent.addAndGet(taken);
                else dropped.incrementAndGet();
                send(c);
            }
            flushIfPending();
        }

        void timers() {
            long now = System.nanoTime();
            for (Connection c : connections.toArray(new Connection[0])) {
                if (c.deadlineNanos - now <= 0 && !c.quiche.isFreed()) {
                    Quiche.quiche_conn_on_timeout(c.quiche.address());
                    send(c);
                }
            }
            flushIfPending();
        }
    }
}
