package org.moqrelay.bench;

import io.netty.buffer.ByteBuf;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.ReadHandler;

/**
 * A stream whose sent bytes are counted and released at once, as if the network took them
 * instantly; its receiving half is fed by the benchmark through {@link #receive}.
 */
final class SinkStream implements BidiStream {
    /** Bytes written to every sink of one benchmark. */
    static final class Counter {
        long bytes;
    }

    private final Counter counter;
    private ReadHandler reader;
    private boolean closed;

    SinkStream(Counter counter) {
        this.counter = counter;
    }

    /** Delivers bytes from the "peer" to whoever reads this stream (ownership passes). */
    void receive(ByteBuf data) {
        if (reader == null) {
            data.release();
            throw new IllegalStateException("nobody reads this stream yet");
        }
        reader.onData(data);
    }

    @Override
    public void write(ByteBuf data) {
        counter.bytes += data.readableBytes();
        data.release();
    }

    @Override
    public void flush() {}

    @Override
    public boolean isWritable() {
        return !closed;
    }

    @Override
    public void onWritable(Runnable callback) {}

    @Override
    public void finish() {
        closed = true;
    }

    @Override
    public void reset(long code) {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void read(ReadHandler handler) {
        reader = handler;
    }

    @Override
    public void stopSending(long code) {}
}
