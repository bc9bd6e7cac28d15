package org.moqrelay.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.session.spi.ConnectionHandler;
import org.moqrelay.session.spi.SendStream;

/**
 * A {@link Connection} with no network behind it: streams it opens are {@link SinkStream}s that
 * count and release what is written, always writable. The benchmark plays the peer by handing
 * the session bidi streams through {@link #handler()}.
 */
final class SinkConnection implements Connection {
    private final EventLoop loop;
    private final SinkStream.Counter counter;
    private ConnectionHandler handler;
    private boolean open = true;

    SinkConnection(EventLoop loop, SinkStream.Counter counter) {
        this.loop = loop;
        this.counter = counter;
    }

    ConnectionHandler handler() {
        return handler;
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public void handler(ConnectionHandler h) {
        handler = h;
    }

    @Override
    public Future<BidiStream> openBidi() {
        return loop.newSucceededFuture(new SinkStream(counter));
    }

    @Override
    public Future<SendStream> openUni() {
        return loop.newSucceededFuture(new SinkStream(counter));
    }

    @Override
    public int maxDatagramSize() {
        return 0;
    }

    @Override
    public void sendDatagram(ByteBuf data) {
        data.release();
    }

    @Override
    public void close(long code, String reason) {
        open = false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public String protocol() {
        return "moq-lite-05";
    }

    @Override
    public String requestPath() {
        return "";
    }

    @Override
    public String describe() {
        return "benchmark sink";
    }
}
