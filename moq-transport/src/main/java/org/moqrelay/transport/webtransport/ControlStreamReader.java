package org.moqrelay.transport.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.Promise;
import java.util.Map;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.transport.webtransport.h3.Http3Exception;
import org.moqrelay.transport.webtransport.h3.Http3Frames;

/**
 * The peer's HTTP/3 control stream after its type byte: completes {@code settings} with its first
 * frame, which must be SETTINGS (RFC 9114 §6.2.1; GREASE frames before it are skipped, as the
 * reference tolerates), then drains the rest. Fails {@code settings} with an {@link Http3Exception}
 * for a malformed stream, or one that ends first.
 */
final class ControlStreamReader implements ReadHandler {
    /** A SETTINGS frame is a few dozen bytes; refuse a huge one before buffering it. */
    static final int MAX_FRAME = 16 * 1024;

    private final Promise<Map<Long, Long>> settings;
    private ByteBuf buf;

    ControlStreamReader(Promise<Map<Long, Long>> settings) {
        this.settings = settings;
    }

    @Override
    public void onData(ByteBuf data) {
        if (settings.isDone()) {
            data.release(); // later control frames (GOAWAY, ...): nothing a single session needs
            return;
        }
        buf = buf == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ByteBufAllocator.DEFAULT, buf, data);
        try {
            Http3Frames.FrameHeader h;
            while ((h = Http3Frames.readFrameHeader(buf, MAX_FRAME)) != null) {
                ByteBuf payload = buf.readSlice((int) h.length());
                if (h.type() == Http3Frames.SETTINGS) {
                    settings.trySuccess(Http3Frames.parseSettings(payload));
                    break;
                }
                if (!Http3Frames.isGrease(h.type())) {
                    throw new Http3Exception(Http3Exception.H3_MISSING_SETTINGS, "the control stream starts with frame type 0x"
                            + Long.toHexString(h.type()) + ", not SETTINGS");
                }
            }
        } catch (Http3Exception e) {
            settings.tryFailure(e);
        }
        if (settings.isDone() || !buf.isReadable()) release();
    }

    @Override
    public void onFin() {
        ended("ended");
    }

    @Override
    public void onReset(long code) {
        ended("was reset (0x" + Long.toHexString(code) + ")");
    }

    private void ended(String how) {
        release();
        settings.tryFailure(new Http3Exception(Http3Exception.H3_CLOSED_CRITICAL_STREAM,
                "the control stream " + how + " before its SETTINGS"));
    }

    private void release() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
    }
}
