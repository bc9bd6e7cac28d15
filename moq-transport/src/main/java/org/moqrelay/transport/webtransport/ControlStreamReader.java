package org.moqrelay.transport.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.Promise;
import java.util.Map;
import org.moqrelay.transport.webtransport.h3.Http3Exception;
import org.moqrelay.transport.webtransport.h3.Http3Frames;

/**
 * The peer's HTTP/3 control stream after its type byte: completes {@code settings} with its first
 * frame, which must be SETTINGS (RFC 9114 §6.2.1; GREASE frames before it are skipped, as the
 * reference tolerates), then drops the rest (GOAWAY and the like: nothing a single session needs).
 * Fails {@code settings} with an {@link Http3Exception} for a malformed stream, or one that ends first.
 */
final class ControlStreamReader extends LeadingFramesReader {
    /** A SETTINGS frame is a few dozen bytes; refuse a huge one before buffering it. */
    static final int MAX_FRAME = 16 * 1024;

    private final Promise<Map<Long, Long>> settings;

    ControlStreamReader(Promise<Map<Long, Long>> settings) {
        super(MAX_FRAME);
        this.settings = settings;
    }

    @Override
    boolean frame(long type, ByteBuf payload) throws Http3Exception {
        if (type == Http3Frames.SETTINGS) {
            settings.trySuccess(Http3Frames.parseSettings(payload));
            return true;
        }
        if (!Http3Frames.isGrease(type)) {
            throw new Http3Exception(Http3Exception.H3_MISSING_SETTINGS, "the control stream starts with frame type 0x"
                    + Long.toHexString(type) + ", not SETTINGS");
        }
        return false;
    }

    @Override
    void malformed(Exception cause) {
        settings.tryFailure(cause);
    }

    @Override
    void endedEarly(long resetCode) {
        String how = resetCode < 0 ? "ended" : "was reset (0x" + Long.toHexString(resetCode) + ")";
        settings.tryFailure(new Http3Exception(Http3Exception.H3_CLOSED_CRITICAL_STREAM,
                "the control stream " + how + " before its SETTINGS"));
    }
}
