package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.moqrelay.model.TrackException;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.wire.DecodeException;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.Path;
import org.moqrelay.wire.lite.Fetch;
import org.moqrelay.wire.lite.Frames;
import org.moqrelay.wire.lite.StreamType;

/** Our FETCH of one group: collects its frame payloads until the peer's FIN. */
final class FetchRequester implements ReadHandler {
    private final LiteSession session;
    private final CompletableFuture<List<byte[]>> result = new CompletableFuture<>();
    private final List<byte[]> frames = new ArrayList<>();
    private ByteBuf buf;

    private FetchRequester(LiteSession session) {
        this.session = session;
    }

    static CompletableFuture<List<byte[]>> open(LiteSession session, Path path, String track, int priority, long group) {
        FetchRequester r = new FetchRequester(session);
        session.run(() -> LiteSession.onSuccessOrElse(session.connection().openBidi(), (BidiStream s) -> {
            s.write(session.encode(StreamType.BIDI_FETCH, new Fetch(path, track, priority, group)));
            s.finish();
            s.read(r);
        }, () -> r.result.completeExceptionally(new TrackException(ErrorCode.CLOSED))));
        return r.result;
    }

    @Override
    public void onData(ByteBuf data) {
        buf = buf == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ByteBufAllocator.DEFAULT, buf, data);
        try {
            while (buf.isReadable()) {
                Frames.Header h = Frames.peekHeader(buf, session.version().hasFrameTimestamps());
                if (h == null || buf.readableBytes() < h.headerLength() + h.size()) break;
                buf.skipBytes(h.headerLength());
                frames.add(ByteBufUtil.getBytes(buf.readSlice(h.size())));
            }
        } catch (DecodeException e) {
            result.completeExceptionally(new TrackException(e.code()));
        }
    }

    @Override
    public void onFin() {
        release();
        result.complete(List.copyOf(frames));
    }

    @Override
    public void onReset(long code) {
        release();
        ErrorCode c = ErrorCode.of(code);
        result.completeExceptionally(new TrackException(c == null || code < 0 ? ErrorCode.CANCEL : c));
    }

    private void release() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
    }
}
