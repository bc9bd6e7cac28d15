package org.moqrelay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Test helper: hex written like the spec's captures ("01 40 ca", "'abc'" for ASCII, "|" ignored). */
public final class Hex {
    private Hex() {}

    public static byte[] bytes(String spec) {
        StringBuilder hex = new StringBuilder();
        int i = 0;
        while (i < spec.length()) {
            char c = spec.charAt(i);
            if (c == '\'') {
                int close = spec.indexOf('\'', i + 1);
                for (byte b : spec.substring(i + 1, close).getBytes(StandardCharsets.ISO_8859_1)) {
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

    public static ByteBuf buf(String spec) {
        return Unpooled.wrappedBuffer(bytes(spec));
    }

    /** Readable bytes as space-separated lower-case hex, reader index untouched. */
    public static String of(ByteBuf buf) {
        return spaced(ByteBufUtil.hexDump(buf));
    }

    public static String of(byte[] bytes) {
        return spaced(ByteBufUtil.hexDump(bytes));
    }

    public static String normalize(String spec) {
        return of(bytes(spec));
    }

    private static String spaced(String hex) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            if (i > 0) sb.append(' ');
            sb.append(hex, i, i + 2);
        }
        return sb.toString();
    }
}
