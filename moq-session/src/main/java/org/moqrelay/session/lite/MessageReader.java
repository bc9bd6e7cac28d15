package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.wire.DecodeException;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.lite.LiteCodec;
import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.MessageKind;

/**
 * Reads size-prefixed control messages from one stream. Bytes are accumulated until a whole
 * message is there; a malformed one fails the whole session, as the reference does.
 */
abstract class MessageReader implements ReadHandler {
    protected final LiteSession session;
    private ByteBuf buf;
    private boolean done;

    MessageReader(LiteSession session) {
        this.session = session;
    }

    /** The message expected next, or null to treat further bytes as a protocol violation. */
    protected abstract MessageKind expected();

    protected abstract void onMessage(LiteMessage m);

    /** The peer finished its side cleanly. */
    protected abstract void onEnd();

    /** The peer reset its side, or the connection went away. */
    protected abstract void onAbort(long code);

    /** The peer finished its side in the middle of a message: a malformed stream, which fails the session. */
    protected void onTruncated() {
        session.fail(ErrorCode.DECODE, "stream ended inside a message on " + getClass().getSimpleName());
    }

    @Override
    public final void onData(ByteBuf data) {
        if (done) {
            data.release();
            return;
        }
        buf = buf == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ByteBufAllocator.DEFAULT, buf, data);
        try {
            while (!done && buf != null && buf.isReadable()) {
                MessageKind kind = expected();
                if (kind == null) {
                    throw new DecodeException(ErrorCode.UNEXPECTED_MESSAGE, "unexpected bytes on " + getClass().getSimpleName());
                }
                LiteMessage m = LiteCodec.decode(buf, kind, session.version());
                if (m == null) break;
                onMessage(m);
            }
        } catch (DecodeException e) {
            done = true;
            session.fail(e.code(), e.getMessage());
        }
        if (buf != null && !buf.isReadable()) {
            buf.release();
            buf = null;
        }
    }

    @Override
    public final void onFin() {
        boolean partial = buf != null && buf.isReadable();
        release();
        if (done) return;
        done = true;
        if (partial) {
            onTruncated();
        } else {
            onEnd();
        }
    }

    @Override
    public final void onReset(long code) {
        release();
        if (done) return;
        done = true;
        onAbort(code);
    }

    /** Stops reading: later bytes are dropped. */
    protected final void stop() {
        done = true;
        release();
    }

    private void release() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
    }
}
