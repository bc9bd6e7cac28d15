package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.moqrelay.session.spi.BidiStream;
import org.moqrelay.session.spi.Connection;
import org.moqrelay.session.spi.ReadHandler;
import org.moqrelay.wire.DecodeException;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.VarInts;
import org.moqrelay.wire.lite.LegacySetupCodec;

/**
 * The client side of the legacy SETUP exchange: offers lite-02 and lite-01 on the first bidi
 * stream, starts the session with the server's choice, and keeps that stream as the session stream.
 */
public final class LegacyClientSetup implements ReadHandler {
    private final Connection conn;
    private final SessionConfig config;
    private final String id;
    private final CompletableFuture<LiteSession> result = new CompletableFuture<>();
    private BidiStream stream;
    private ByteBuf buf;
    private ReadHandler after;

    private LegacyClientSetup(Connection conn, SessionConfig config, String id) {
        this.conn = conn;
        this.config = config;
        this.id = id;
    }

    /** Negotiates and completes with the started session; call on the connection's event loop. */
    public static CompletableFuture<LiteSession> connect(Connection conn, SessionConfig config, String id) {
        LegacyClientSetup s = new LegacyClientSetup(conn, config, id);
        LiteSession.onSuccessOrElse(conn.openBidi(), (BidiStream b) -> {
            s.stream = b;
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer(32);
            LegacySetupCodec.encodeClientSetup(out, List.of(LiteVersion.LITE_02.wireCode(), LiteVersion.LITE_01.wireCode()));
            b.write(out);
            b.flush();
            b.read(s);
        }, () -> s.result.completeExceptionally(new IllegalStateException("could not open the setup stream")));
        return s.result;
    }

    @Override
    public void onData(ByteBuf data) {
        if (after != null) {
            after.onData(data);
            return;
        }
        buf = buf == null ? data : Unpooled.wrappedBuffer(buf, data);
        try {
            if (VarInts.peekLength(buf) < 0) return;
            int start = buf.readerIndex();
            long type = VarInts.read(buf);
            if (type != LegacySetupCodec.SERVER_SETUP) {
                throw new DecodeException(ErrorCode.PROTOCOL_VIOLATION, "expected SERVER_SETUP, got type " + type);
            }
            long code = LegacySetupCodec.decodeServerSetup(buf);
            if (code < 0) {
                buf.readerIndex(start);
                return;
            }
            LiteVersion v = LiteVersion.fromWireCode(code);
            if (v == null || !v.hasLegacySetup()) {
                throw new DecodeException(ErrorCode.VERSION, "server chose unsupported version " + Long.toHexString(code));
            }
            LiteSession session = LiteSession.start(conn, v, config, id);
            after = session.sessionStreamReader(stream);
            ByteBuf rest = buf;
            buf = null;
            if (rest.isReadable()) after.onData(rest);
            else rest.release();
            result.complete(session);
        } catch (DecodeException e) {
            release();
            conn.close(e.code().code(), e.getMessage());
            result.completeExceptionally(e);
        }
    }

    @Override
    public void onFin() {
        release();
        if (after != null) after.onFin();
        else result.completeExceptionally(new IllegalStateException("setup stream ended before SERVER_SETUP"));
    }

    @Override
    public void onReset(long code) {
        release();
        if (after != null) after.onReset(code);
        else result.completeExceptionally(new IllegalStateException("setup stream reset (" + code + ")"));
    }

    private void release() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
    }
}
