package org.moqrelay.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The verifiable payloads of test broadcasts, shared with the browser test page: frame {@code f}
 * of group {@code g} is the text {@code g<g>-f<f>}, padded with {@code .} up to {@code size}.
 */
public final class TestStream {
    private TestStream() {}

    public static byte[] payload(long group, long frame, int size) {
        byte[] text = ("g" + group + "-f" + frame).getBytes(StandardCharsets.US_ASCII);
        if (size <= text.length) return text;
        byte[] out = Arrays.copyOf(text, size);
        Arrays.fill(out, text.length, size, (byte) '.');
        return out;
    }

    /** True when {@code data} is exactly what {@link #payload} makes for this group and frame. */
    public static boolean verify(long group, long frame, byte[] data) {
        String expect = "g" + group + "-f" + frame;
        byte[] text = expect.getBytes(StandardCharsets.US_ASCII);
        if (data.length < text.length) return false;
        if (!Arrays.equals(data, 0, text.length, text, 0, text.length)) return false;
        for (int i = text.length; i < data.length; i++) if (data[i] != '.') return false;
        return true;
    }
}
