package org.moqrelay.bench.quic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.session.spi.RefusingHandler;
import org.moqrelay.session.spi.RecvStream;
import org.moqrelay.transport.quic.EventLoops;
import org.moqrelay.transport.quic.QuicClient;
import org.moqrelay.transport.quic.QuicConnection;
import org.moqrelay.transport.quic.QuicTransportConfig;

/**
 * {@code fanout-client PORT CONNS SECS} of quinn-fanout on the Java client's QUIC stack (the one
 * {@code moq load} uses: quiche through Netty, GRO sockets, two loops): opens CONNS connections one
 * after the other, reads the stream each server opens, and prints quinn-fanout's report line every
 * 5 s. Trusts any certificate (loopback only).
 */
public final class StackFanoutClient {
    private static final String ALPN = "moq-lite-03";

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: StackFanoutClient PORT CONNS SECS");
            System.exit(64);
        }
        FloorRuns.leakTrackingOffByDefault();
        int port = Integer.parseInt(args[0]);
        int conns = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        QuicSslContext ssl = QuicSslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocols(ALPN).build();
        EventLoopGroup group = EventLoops.newGroup(2, "client");
        AtomicLong received = new AtomicLong();
        List<QuicConnection> open = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < conns; i++) {
            QuicConnection c = QuicClient.connect(group, ssl, QuicTransportConfig.DEFAULT,
                    new InetSocketAddress("127.0.0.1", port), ALPN).get(10, TimeUnit.SECONDS);
            c.eventLoop().execute(() -> c.handler(new Reader(received)));
            open.add(c);
        }
        System.out.printf("%d connections up in %.2f s%n", open.size(), (System.nanoTime() - t0) / 1e9);
        FloorRuns.reportEveryFiveSeconds(seconds, received::get, (t, mbps, cpu, total) -> String.format(
                "[stack fanout-client rx] %.1fs: %.1f MB/s, cpu %.0f%%, total %.1f MB", t, mbps, cpu, total / 1e6));
        System.exit(0);
    }

    /** Counts and drops what the server's stream brings; refuses everything else. */
    private static final class Reader extends RefusingHandler implements ReadHandler {
        private final AtomicLong received;

        Reader(AtomicLong received) {
            this.received = received;
        }

        @Override
        public void onUniStream(RecvStream stream) {
            stream.read(this);
        }

        @Override
        public void onData(ByteBuf data) {
            received.addAndGet(data.readableBytes());
            data.release();
        }

        @Override
        public void onFin() {}

        @Override
        public void onReset(long code) {}
    }
}
