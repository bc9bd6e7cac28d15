package io.netty.handler.codec.quic;

import java.lang.reflect.Field;

/**
 * Sends RESET_STREAM / STOP_SENDING with a full 62-bit application error code.
 *
 * <p>Netty 4.2.18's public API takes an {@code int} code, which cannot carry WebTransport-range
 * codes ({@code 0x52e4a40fa8db} and up). quiche itself takes a 64-bit code, so this one small
 * class lives in Netty's package to reach the package-private native call. Everything else in the
 * relay uses public API. Falls back to the int API (code truncated to 0) if Netty's internals change.
 */
public final class LongErrorCodes {
    private static final Field CONNECTION = connectionField();

    private LongErrorCodes() {}

    private static Field connectionField() {
        try {
            Field f = QuicheQuicChannel.class.getDeclaredField("connection");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** True when 62-bit codes can be sent; false means codes above 2^31 fall back to 0. */
    public static boolean supported() {
        return CONNECTION != null;
    }

    /** RESET_STREAM on {@code stream}'s send side with {@code code}. Must run on the stream's event loop. */
    public static void resetStream(QuicStreamChannel stream, long code) {
        shutdown(stream, Quiche.QUICHE_SHUTDOWN_WRITE, code);
    }

    /** STOP_SENDING on {@code stream}'s receive side with {@code code}. Must run on the stream's event loop. */
    public static void stopSending(QuicStreamChannel stream, long code) {
        shutdown(stream, Quiche.QUICHE_SHUTDOWN_READ, code);
    }

    private static void shutdown(QuicStreamChannel stream, int direction, long code) {
        if (CONNECTION == null || !(stream.parent() instanceof QuicheQuicChannel parent)) {
            int fallback = code <= Integer.MAX_VALUE ? (int) code : 0;
            if (direction == Quiche.QUICHE_SHUTDOWN_WRITE) stream.shutdownOutput(fallback);
            else stream.shutdownInput(fallback);
            return;
        }
        try {
            QuicheQuicConnection conn = (QuicheQuicConnection) CONNECTION.get(parent);
            if (conn == null || conn.isFreed()) return;
            Quiche.quiche_conn_stream_shutdown(conn.address(), stream.streamId(), direction, code);
            parent.connectionSendAndFlush();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
