package org.moqrelay.transport.webtransport.h3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * Encodes field sections with the static table and plain literals only: no dynamic table (so no
 * encoder stream and no peer acknowledgements to track) and no Huffman coding (responses are a
 * few short fields, and literal bytes make them easy to check against captures).
 *
 * <p>Each field becomes an indexed line if (name, value) is a static entry, a literal with a
 * static name reference if only the name is, else a literal with a literal name (RFC 9204 §4.5).
 */
public final class QpackEncoder {
    private QpackEncoder() {}

    /**
     * Writes a field section for {@code fields} to {@code out}.
     *
     * @throws IllegalArgumentException if a name is empty or has upper-case letters (HTTP/3 names
     *     are lower-case, RFC 9114 §4.2) or a string has a char above 0xFF
     */
    public static void encode(ByteBuf out, List<HeaderField> fields) {
        out.writeByte(0); // Required Insert Count 0
        out.writeByte(0); // Sign 0, Delta Base 0
        for (HeaderField field : fields) {
            checkName(field.name());
            int exact = QpackStaticTable.indexOf(field);
            if (exact >= 0) {
                prefixInt(out, 0xc0, 6, exact); // 11xxxxxx: indexed, static
                continue;
            }
            int nameIndex = QpackStaticTable.indexOfName(field.name());
            if (nameIndex >= 0) {
                prefixInt(out, 0x50, 4, nameIndex); // 0101xxxx: name reference, N=0, static
            } else {
                string(out, 0x20, 3, field.name()); // 0010 0xxx: literal name, N=0, H=0
            }
            string(out, 0x00, 7, field.value()); // 0xxxxxxx: H=0
        }
    }

    /** A complete HTTP/3 HEADERS frame carrying {@code fields}. */
    public static ByteBuf headersFrame(List<HeaderField> fields) {
        ByteBuf section = Unpooled.buffer();
        encode(section, fields);
        ByteBuf frame = Unpooled.buffer(section.readableBytes() + 9);
        Http3Frames.writeFrame(frame, Http3Frames.HEADERS, section);
        section.release();
        return frame;
    }

    private static void checkName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty field name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                throw new IllegalArgumentException("HTTP/3 field names must be lower-case: " + name);
            }
        }
    }

    private static void string(ByteBuf out, int flags, int n, String s) {
        prefixInt(out, flags, n, s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xff) {
                throw new IllegalArgumentException("field string has a char above 0xFF: " + s);
            }
            out.writeByte(c);
        }
    }

    /** N-bit prefix integer (RFC 7541 §5.1) with {@code flags} in the bits above the prefix. */
    private static void prefixInt(ByteBuf out, int flags, int n, long value) {
        int mask = (1 << n) - 1;
        if (value < mask) {
            out.writeByte(flags | (int) value);
            return;
        }
        out.writeByte(flags | mask);
        value -= mask;
        while (value >= 0x80) {
            out.writeByte((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.writeByte((int) value);
    }
}
