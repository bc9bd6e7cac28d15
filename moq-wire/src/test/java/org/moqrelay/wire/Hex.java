package org.moqrelay.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Hex vectors written the way the spec writes them: pairs of hex digits, fields separated by spaces
 * or {@code |}, and {@code 'text'} for ASCII bytes ({@code 09 'probe/pub'}).
 */
public final class Hex {
    private static final HexFormat SPACED = HexFormat.ofDelimiter(" ");

    private Hex() {}

    /** The bytes of all {@code parts}, concatenated. */
    public static byte[] bytes(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : parts) {
            int i = 0;
            while (i < part.length()) {
                char c = part.charAt(i);
                if (c == ' ' || c == '|' || c == '\n' || c == '\t') {
                    i++;
                } else if (c == '\'') {
                    int end = part.indexOf('\'', i + 1);
                    if (end < 0) throw new IllegalArgumentException("unterminated text in: " + part);
                    out.writeBytes(part.substring(i + 1, end).getBytes(StandardCharsets.US_ASCII));
                    i = end + 1;
                } else {
                    if (i + 1 >= part.length()) throw new IllegalArgumentException("odd hex digit in: " + part);
                    out.write(HexFormat.fromHexDigits(part, i, i + 2));
                    i += 2;
                }
            }
        }
        return out.toByteArray();
    }

    /** {@code bytes} as spaced lowercase hex ({@code "0b 01 05"}), for readable assertion failures. */
    public static String of(byte[] bytes) {
        return SPACED.formatHex(bytes);
    }

    /** The readable bytes of {@code buf} as spaced hex, without consuming them. */
    public static String of(ByteBuf buf) {
        return of(ByteBufUtil.getBytes(buf));
    }

    /** The normalized spaced-hex form of a vector, so expected and actual compare as text. */
    public static String normalize(String... parts) {
        return of(bytes(parts));
    }
}
