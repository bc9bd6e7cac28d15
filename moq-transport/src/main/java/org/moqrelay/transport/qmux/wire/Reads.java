package org.moqrelay.transport.qmux.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.moqrelay.wire.VarInts;

/** Bounds-checked reads from one complete message that throw {@link QmuxException}, never anything else. */
final class Reads {
    private Reads() {}

    /** Reads a varint, or throws {@code error} if the message ends inside it. */
    static long varint(ByteBuf in, long error, String what) {
        int len = VarInts.peekLength(in);
        if (len < 0) {
            throw new QmuxException(error, "truncated " + what);
        }
        long v = VarInts.getAt(in, in.readerIndex());
        in.skipBytes(len);
        return v;
    }

    /** Reads a varint length and checks that that many bytes follow. */
    static int length(ByteBuf in, long error, String what) {
        long n = varint(in, error, what + " length");
        if (n > in.readableBytes()) {
            throw new QmuxException(error,
                    what + " length " + n + " exceeds the " + in.readableBytes() + " bytes left");
        }
        return (int) n;
    }

    /** Reads a {@code len}-byte close reason (UTF-8, malformed sequences replaced, as the reference does). */
    static String reason(ByteBuf in, int len) {
        if (len > QmuxCodec.MAX_REASON_BYTES) {
            throw new QmuxException(QmuxException.FRAME_ENCODING_ERROR,
                    "close reason of " + len + " bytes (max " + QmuxCodec.MAX_REASON_BYTES + ")");
        }
        String s = in.toString(in.readerIndex(), len, StandardCharsets.UTF_8);
        in.skipBytes(len);
        return s;
    }

    /** UTF-8 bytes of an outgoing close reason, refusing ones over the limit. */
    static byte[] reasonBytes(String reason) {
        byte[] b = reason.getBytes(StandardCharsets.UTF_8);
        if (b.length > QmuxCodec.MAX_REASON_BYTES) {
            throw new IllegalArgumentException(
                    "reason: " + b.length + " bytes (expected: <= " + QmuxCodec.MAX_REASON_BYTES + ")");
        }
        return b;
    }
}
