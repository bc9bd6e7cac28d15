package org.moqrelay.transport.qmux;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.ConnectionHandler;
import org.moqrelay.session.spi.DiscardHandler;
import org.moqrelay.session.spi.RecvStream;
import org.moqrelay.transport.qmux.wire.QmuxCodec;
import org.moqrelay.transport.qmux.wire.QmuxFrame;
import org.moqrelay.transport.qmux.wire.QmuxParams;
import org.moqrelay.transport.qmux.wire.QmuxVersion;

/**
 * The legacy {@code webtransport} framing sends no stream credit, yet ours applies: a peer may have
 * as many streams open at once as our parameters say (100 each way), and a finished stream gives
 * its place back, so a long session may open any number of them one after another.
 */
class LegacyStreamCreditTest {
    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
    }

    /** A link that keeps what the relay sends (frames in the legacy framing). */
    private final class Link implements QmuxLink {
        final List<QmuxFrame> sent = new ArrayList<>();

        @Override
        public EventLoop eventLoop() {
            return loop;
        }

        @Override
        public void send(ByteBuf frames) {
            try {
                sent.addAll(QmuxCodec.decodeMessage(frames, QmuxVersion.WEBTRANSPORT));
            } finally {
                frames.release();
            }
        }

        @Override
        public void flush() {}

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public long backlog() {
            return 0;
        }

        @Override
        public void close() {}

        @Override
        public void abort() {}

        @Override
        public int maxMessageSize() {
            return 1 << 20;
        }

        @Override
        public String describe() {
            return "test link";
        }

        @Override
        public String transport() {
            return "websocket";
        }
    }

    /** Reads every peer uni stream to its end, which finishes it. */
    private static final ConnectionHandler READ_ALL = new ConnectionHandler() {
        @Override
        public void onBidiStream(BidiStream stream) {
            stream.reset(0);
        }

        @Override
        public void onUniStream(RecvStream stream) {
            stream.read(new DiscardHandler());
        }

        @Override
        public void onDatagram(ByteBuf data) {
            data.release();
        }

        @Override
        public void onClosed(long code, String reason, boolean clean) {}
    };

    private static ByteBuf uniStream(long index, boolean fin) {
        ByteBuf out = Unpooled.buffer();
        QmuxCodec.encode(out, new QmuxFrame.Stream((index << 2) | 2, 0, Unpooled.wrappedBuffer(new byte[] {1}), fin),
                QmuxVersion.WEBTRANSPORT);
        return out;
    }

    private QmuxConnection serve(Link link) throws Exception {
        return loop.submit(() -> {
            QmuxConnection c = new QmuxConnection(link, QmuxVersion.WEBTRANSPORT, true, QmuxParams.DEFAULTS, "", "/");
            c.handler(READ_ALL);
            c.start();
            return c;
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void finishedStreamsGiveTheirPlaceBackSoALongSessionMayOpenAnyNumber() throws Exception {
        Link link = new Link();
        QmuxConnection c = serve(link);
        boolean open = loop.submit(() -> {
            for (long i = 0; i < 1_000; i++) c.onMessage(uniStream(i, true)); // one after another, each finished
            return c.isOpen();
        }).get(5, TimeUnit.SECONDS);
        assertThat(open).as("open after 1000 streams (%s)", link.sent).isTrue();
    }

    @Test
    void aPeerWithAHundredUnfinishedStreamsCannotOpenAnother() throws Exception {
        Link link = new Link();
        QmuxConnection c = serve(link);
        boolean openAtTheCap = loop.submit(() -> {
            c.onMessage(uniStream(99, false)); // opens streams 0..99, none finished
            return c.isOpen();
        }).get(5, TimeUnit.SECONDS);
        assertThat(openAtTheCap).isTrue();

        boolean openPastIt = loop.submit(() -> {
            c.onMessage(uniStream(100, false));
            return c.isOpen();
        }).get(5, TimeUnit.SECONDS);
        assertThat(openPastIt).isFalse();
        assertThat(link.sent).last().isInstanceOfSatisfying(QmuxFrame.ConnectionClose.class,
                close -> assertThat(close.code()).isEqualTo(QmuxConnection.STREAM_LIMIT_ERROR));
    }
}
