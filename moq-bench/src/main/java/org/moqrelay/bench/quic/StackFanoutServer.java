package org.moqrelay.bench.quic;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import java.io.File;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.moqrelay.session.spi.ConnectionHandler;
import org.moqrelay.session.spi.RefusingHandler;
import org.moqrelay.session.spi.SendStream;
import org.moqrelay.transport.quic.EventLoops;
import org.moqrelay.transport.quic.QuicConnection;
import org.moqrelay.transport.quic.QuicListener;
import org.moqrelay.transport.quic.QuicTransportConfig;

/**
 * {@code fanout-server PORT RATE_KBPS SECS [THREADS]} of quinn-fanout on the relay's QUIC listener
 * (its sockets, GSO batcher and settings, CUBIC as the bench runs the relay): every connection
 * gets one uni stream and the same chunk of RATE_KBPS / 50 kB every 20 ms, one shared buffer
 * for all. A stream that cannot take a chunk drops it, as quinn-fanout's full queue does. Prints
 * quinn-fanout's report line every 5 s. The certificate is quinn-fanout's
 * ({@code $QUINN_FANOUT_CERTS/server.crt} and {@code server.key}), as its client checks it.
 */
public final class StackFanoutServer {
    private static final String ALPN = "moq-lite-03"; // quinn-fanout's

    private final Map<EventLoop, List<SendStream>> streams = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public static void main(String[] args) throws Exception {
        FloorRuns.ServerArgs a = FloorRuns.ServerArgs.parse("StackFanoutServer", args);
        FloorRuns.leakTrackingOffByDefault();
        new StackFanoutServer().run(a.port(), a.chunkBytes(), a.seconds(), a.threads());
        System.exit(0);
    }

    private void run(int port, int size, int seconds, int threads) throws Exception {
        File certs = new File(System.getenv().getOrDefault("QUINN_FANOUT_CERTS", "certs"));
        QuicSslContext ssl = QuicSslContextBuilder.forServer(new File(certs, "server.key"), null, new File(certs, "server.crt"))
                .applicationProtocols(ALPN).build();
        EventLoopGroup group = EventLoops.newGroup(threads, "moq-loop");
        QuicTransportConfig config = QuicTransportConfig.DEFAULT.withCongestionControl(QuicTransportConfig.CongestionControl.LOSS);
        QuicListener listener = QuicListener.bind(new InetSocketAddress("127.0.0.1", port), ssl, group, threads, config,
                (channel, alpn) -> {
                    QuicConnection c = new QuicConnection(channel, alpn);
                    channel.pipeline().addLast(c);
                    c.handler(IGNORE);
                    c.openUni().addListener(f -> {
                        if (f.isSuccess()) streams.computeIfAbsent(c.eventLoop(), l -> new ArrayList<>()).add((SendStream) f.getNow());
                    });
                    return c;
                });
        ByteBuf chunk = Unpooled.unreleasableBuffer(Unpooled.directBuffer(size).writeZero(size));
        group.next().scheduleAtFixedRate(() -> streams.forEach((loop, list) -> loop.execute(() -> send(list, chunk))),
                20, 20, TimeUnit.MILLISECONDS);
        FloorRuns.reportEveryFiveSeconds(seconds, sent::get, (t, mbps, cpu, total) -> String.format(
                "[stack fanout-server] %.0fs subs=%d tx %.1f MB/s cpu %.0f%% dropped=%d", t,
                streams.values().stream().mapToInt(List::size).sum(), mbps, cpu, dropped.get()));
        listener.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
    }

    /** On {@code list}'s loop: the chunk to each of its streams, without a copy. */
    private void send(List<SendStream> list, ByteBuf chunk) {
        for (SendStream s : list) {
            if (s.isClosed()) continue;
            if (!s.isWritable()) {
                dropped.incrementAndGet();
                continue;
            }
            s.write(chunk.duplicate());
            s.flush();
            sent.addAndGet(chunk.readableBytes());
        }
    }

    private static final ConnectionHandler IGNORE = new RefusingHandler();
}
