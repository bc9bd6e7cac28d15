package org.moqrelay.transport.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.transport.webtransport.h3.Http3Exception;
import org.moqrelay.transport.webtransport.h3.Http3Frames;
import org.moqrelay.transport.webtransport.h3.QpackException;

/**
 * The HTTP/3 frames a stream starts with (a control stream's SETTINGS, a CONNECT's HEADERS):
 * gathers bytes until each frame is whole and shows it to {@link #frame}, until that says the
 * phase is over. Then the rest of the stream, bytes already here included, goes to the handler
 * given to {@link #proceed}, or is dropped if none was.
 */
abstract class LeadingFramesReader implements ReadHandler {
    private final int maxFrame;
    private ByteBuf buf;
    private ReadHandler next;
    private boolean done;

    /** {@code maxFrame}: the largest frame taken, refused before it is buffered. */
    LeadingFramesReader(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    /**
     * One whole frame ({@code payload} is valid only during the call); true when the leading
     * frames are over. A malformed one throws, and {@link #malformed} is told.
     */
    abstract boolean frame(long type, ByteBuf payload) throws Http3Exception, QpackException;

    /** The leading frames were malformed; nothing more is read. */
    abstract void malformed(Exception cause);

    /** The stream ended ({@code resetCode} -1: FIN) before the leading frames were over. */
    abstract void endedEarly(long resetCode);

    /** From {@link #frame}: the rest of the stream goes to {@code handler}. */
    final void proceed(ReadHandler handler) {
        next = handler;
    }

    /** Nothing more is read: what is here and what comes is dropped. */
    final void stop() {
        done = true;
        release();
    }

    @Override
    public final void onData(ByteBuf data) {
        if (next != null && buf == null) {
            next.onData(data);
            return;
        }
        if (done) {
            data.release();
            return;
        }
        buf = buf == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ByteBufAllocator.DEFAULT, buf, data);
        try {
            Http3Frames.FrameHeader h;
            while (!done && (h = Http3Frames.readFrameHeader(buf, maxFrame)) != null) {
                if (frame(h.type(), buf.readSlice((int) h.length()))) done = true;
            }
        } catch (Http3Exception | QpackException e) {
            stop();
            malformed(e);
            return;
        }
        if (buf == null) return; // stopped from frame()
        if (done && next != null && buf.isReadable()) {
            ByteBuf rest = buf; // e.g. capsules in the same packet as the HEADERS
            buf = null;
            next.onData(rest);
        } else if (done || !buf.isReadable()) {
            release();
        }
    }

    @Override
    public final void onFin() {
        release();
        if (next != null) next.onFin();
        else if (!done) endedEarly(-1);
    }

    @Override
    public final void onReset(long code) {
        release();
        if (next != null) next.onReset(code);
        else if (!done) endedEarly(code);
    }

    private void release() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
    }
}
