package org.moqrelay.session.lite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.moqrelay.wire.LiteVersion;
import org.moqrelay.wire.VarInts;
import org.moqrelay.wire.lite.LiteCodec;
import org.moqrelay.wire.lite.LiteMessage;
import org.moqrelay.wire.lite.MessageKind;

/** Decodes and encodes raw stream bytes for assertions and hand-written peers. */
final class Wire {
    private Wire() {}

    /** Every whole message of {@code kind} in {@code bytes}, after skipping {@code skipTypeVarint} stream type. */
    static List<LiteMessage> decodeAll(byte[] bytes, boolean skipTypeVarint, MessageKind kind, LiteVersion v) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        try {
            if (skipTypeVarint) VarInts.read(b);
            List<LiteMessage> out = new ArrayList<>();
            while (b.isReadable()) {
                LiteMessage m = LiteCodec.decode(b, kind, v);
                if (m == null) break;
                out.add(m);
            }
            return out;
        } finally {
            b.release();
        }
    }

    /** The first whole message of {@code kind} in {@code bytes} (no stream type), or null. */
    static LiteMessage decodeFirst(byte[] bytes, MessageKind kind, LiteVersion v) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        try {
            return LiteCodec.decode(b, kind, v);
        } finally {
            b.release();
        }
    }

    /** A stream type followed by {@code m}. */
    static ByteBuf typed(int streamType, LiteMessage m, LiteVersion v) {
        ByteBuf out = Unpooled.buffer();
        VarInts.write(out, streamType);
        LiteCodec.encode(out, m, v);
        return out;
    }
}
