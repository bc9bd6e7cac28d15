package org.moqrelay.transport.qmux;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.session.spi.ReadHandler;

/**
 * One qmux stream. Outgoing bytes wait in a queue until the peer's credit (stream and
 * connection) allows them out; incoming bytes are handed to the reader in order, and the credit
 * we give back grows as they are delivered. Confined to the session's event loop.
 */
final class QmuxStream implements BidiStream {
    /** Bytes queued beyond which the stream reports itself not writable. */
    static final int WRITE_HIGH_WATER = 64 * 1024;

    final long id;
    private final QmuxConnection conn;
    private final boolean canSend;
    private final boolean canReceive;
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private final ArrayDeque<Object> early = new ArrayDeque<>();
    private static final Object FIN = new Object();
    private ReadHandler handler;
    private Runnable writable;
    private long queuedBytes;
    long sendOffset;
    long sendMax;
    private boolean finQueued;
    private boolean finSent;
    private boolean resetSent;
    long recvOffset;
    long recvConsumed;
    long recvMax;
    long recvWindow;
    private boolean recvDone;
    private boolean stopSent;
    private boolean released;

    QmuxStream(QmuxConnection conn, long id, boolean canSend, boolean canReceive, long sendMax, long recvWindow) {
        this.conn = conn;
        this.id = id;
        this.canSend = canSend;
        this.canReceive = canReceive;
        this.sendMax = sendMax;
        this.recvWindow = recvWindow;
        this.recvMax = recvWindow;
        if (!canSend) finSent = true;
        if (!canReceive) recvDone = true;
    }

    // ------------------------------------------------------------ send side

    @Override
    public void write(ByteBuf data) {
        if (finQueued || resetSent || conn.isClosed()) {
            data.release();
            return;
        }
        queuedBytes += data.readableBytes();
        queue.add(data);
    }

    @Override
    public void flush() {
        conn.pump(this);
    }

    @Override
    public boolean isWritable() {
        return !isClosed() && queuedBytes < WRITE_HIGH_WATER && conn.linkWritable();
    }

    @Override
    public void onWritable(Runnable callback) {
        writable = callback;
    }

    void notifyWritable() {
        if (writable != null && isWritable()) writable.run();
    }

    @Override
    public void finish() {
        if (finQueued || resetSent) return;
        finQueued = true;
        conn.pump(this);
    }

    @Override
    public void reset(long code) {
        if (finSent || resetSent) return;
        resetSent = true;
        releaseQueue();
        conn.sendReset(this, code);
        maybeRelease();
    }

    @Override
    public boolean isClosed() {
        return finQueued || resetSent || conn.isClosed();
    }

    /** Bytes queued and not yet sent. */
    long queued() {
        return queuedBytes;
    }

    boolean wantsSend() {
        return !resetSent && !finSent && (!queue.isEmpty() || finQueued);
    }

    /** Takes up to {@code max} queued bytes (a retained slice), or null when none. */
    ByteBuf take(int max) {
        ByteBuf head = queue.peek();
        if (head == null) return null;
        int n = Math.min(max, head.readableBytes());
        ByteBuf out = head.readRetainedSlice(n);
        if (!head.isReadable()) queue.poll().release();
        queuedBytes -= n;
        sendOffset += n;
        return out;
    }

    /** True when everything queued went out and only the FIN remains. */
    boolean readyForFin() {
        return finQueued && !finSent && queue.isEmpty();
    }

    void markFinSent() {
        finSent = true;
        maybeRelease();
    }

    // ------------------------------------------------------------ receive side

    @Override
    public void read(ReadHandler h) {
        handler = h;
        while (!early.isEmpty() && handler == h) {
            Object o = early.poll();
            if (o == FIN) {
                h.onFin();
            } else if (o instanceof Long code) {
                h.onReset(code);
            } else {
                ByteBuf b = (ByteBuf) o;
                conn.consumed(this, b.readableBytes());
                h.onData(b);
            }
        }
    }

    @Override
    public void stopSending(long code) {
        if (recvDone || stopSent) return;
        stopSent = true;
        conn.sendStopSending(this, code);
    }

    void onData(ByteBuf data, boolean fin) {
        int n = data.readableBytes();
        conn.received(this, n);
        if (recvDone || stopSent) {
            conn.discarded(this, n);
            data.release();
        } else if (!data.isReadable()) {
            data.release();
        } else if (handler != null) {
            conn.consumed(this, n);
            handler.onData(data);
        } else {
            early.add(data); // consumed (and credited) only when somebody reads the stream
        }
        if (fin) onFinReceived();
    }

    private void onFinReceived() {
        if (recvDone) return;
        recvDone = true;
        if (stopSent) {
            maybeRelease();
            return;
        }
        if (handler != null) handler.onFin();
        else early.add(FIN);
        maybeRelease();
    }

    void onReset(long code) {
        if (recvDone) return;
        recvDone = true;
        if (handler != null) handler.onReset(code);
        else early.add(code);
        maybeRelease();
    }

    /** The peer asked us to stop: answer with RESET_STREAM, as QUIC does. */
    void onStopSending(long code) {
        reset(code);
    }

    void onConnectionClosed() {
        releaseQueue();
        if (!recvDone) {
            recvDone = true;
            if (handler != null) handler.onReset(Connection.CLOSED_CODE);
            else releaseEarly();
        }
        finSent = true;
    }

    private void releaseQueue() {
        while (!queue.isEmpty()) queue.poll().release();
        queuedBytes = 0;
    }

    private void releaseEarly() {
        while (!early.isEmpty()) {
            if (early.poll() instanceof ByteBuf b) b.release();
        }
    }

    /** Both directions are done: the connection forgets us and may grant the peer another stream. */
    private void maybeRelease() {
        if (!released && recvDone && (finSent || resetSent)) {
            released = true;
            conn.streamDone(this);
        }
    }
}
