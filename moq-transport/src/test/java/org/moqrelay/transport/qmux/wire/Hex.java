package org.moqrelay.transport.qmux.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Test helper: hex written like transports.md ("0e 00 | 02", "'abc'" for ASCII, "|" ignored). */
final class Hex {
    private Hex() {}

    static byte[] bytes(String spec) {
        StringBuilder hex = new StringBuilder();
        int i = 0;
        while (i < spec.length()) {
            char c = spec.charAt(i);
            if (c == '\'') {
                int close = spec.indexOf('\'', i + 1);
                for (byte b : spec.substring(i + 1, close).getBytes(StandardCharsets.UTF_8)) {
                    hex.append(String.format("%02x", b));
                }
                i = close + 1;
            } else {
                if (Character.digit(c, 16) >= 0) hex.append(c);
                i++;
            }
        }
        return ByteBufUtil.decodeHexDump(hex);
    }

    /** An unpooled heap buffer holding {@code spec}. */
    static ByteBuf buf(String spec) {
        return Unpooled.wrappedBuffer(bytes(spec));
    }

    /** Readable bytes as space-separated lower-case hex, reader index untouched. */
    static String of(ByteBuf buf) {
        String hex = ByteBufUtil.hexDump(buf);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            if (i > 0) sb.append(' ');
            sb.append(hex, i, i + 2);
        }
        return sb.toString();
    }

    static String normalize(String spec) {
        return of(Unpooled.wrappedBuffer(bytes(spec)));
    }
}
