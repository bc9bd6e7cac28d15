package org.moqrelay.transport.webtransport.h3;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one QPACK field section (the payload of an HTTP/3 HEADERS frame, RFC 9204 §4.5) for a
 * decoder whose dynamic table capacity is 0.
 *
 * <p>We never send SETTINGS_QPACK_MAX_TABLE_CAPACITY, so the capacity stays 0 and a conforming
 * peer can only use the static table and literals (RFC 9204 §3.2.3). Anything that refers to
 * the dynamic table is therefore a peer error and fails the whole section rather than being
 * buffered as "blocked". That keeps this class stateless, and no encoder stream is ever read.
 */
public final class QpackDecoder {
    /** Default limit on the decoded field section size, as defined below. */
    public static final int DEFAULT_MAX_FIELD_SECTION_SIZE = 64 * 1024;

    /** RFC 9114 §4.2.2 counts each field as name + value + 32 bytes. */
    private static final int FIELD_OVERHEAD = 32;

    private QpackDecoder() {}

    /** Decodes with the {@linkplain #DEFAULT_MAX_FIELD_SECTION_SIZE default size limit}. */
    public static List<HeaderField> decode(ByteBuf section) {
        return decode(section, DEFAULT_MAX_FIELD_SECTION_SIZE);
    }

    /**
     * Decodes all readable bytes of {@code section}, which are consumed on success.
     *
     * @param maxFieldSectionSize limit on the sum over fields of name + value + 32 bytes (the RFC
     *     9114 §4.2.2 measure); strings are checked against it before they are allocated
     * @return the field lines in wire order
     * @throws QpackException if the section is malformed, truncated, too large, or uses the
     *     dynamic table
     */
    public static List<HeaderField> decode(ByteBuf section, int maxFieldSectionSize) {
        Reader r = new Reader(section, maxFieldSectionSize);
        List<HeaderField> fields = r.fields();
        section.readerIndex(section.writerIndex());
        return fields;
    }

    /** Cursor over the section; indices only, so a failed decode leaves the buffer untouched. */
    private static final class Reader {
        private final ByteBuf buf;
        private final int end;
        private final int max;
        private int pos;
        private int size;

        Reader(ByteBuf buf, int max) {
            this.buf = buf;
            this.pos = buf.readerIndex();
            this.end = buf.writerIndex();
            this.max = max;
        }

        List<HeaderField> fields() {
            // Encoded Required Insert Count, then Sign + Delta Base (RFC 9204 §4.5.1). With no
            // dynamic table both must be 0; anything else means the peer used the table.
            long requiredInsertCount = prefixInt(8);
            if (requiredInsertCount != 0) {
                throw new QpackException("field section needs dynamic table entries (Required Insert Count "
                        + requiredInsertCount + ") but our table capacity is 0");
            }
            boolean negativeBase = (peek() & 0x80) != 0;
            long deltaBase = prefixInt(7);
            if (negativeBase || deltaBase != 0) {
                throw new QpackException("non-zero Base with Required Insert Count 0");
            }
            List<HeaderField> fields = new ArrayList<>();
            while (pos < end) {
                fields.add(fieldLine());
            }
            return fields;
        }

        private HeaderField fieldLine() {
            int b = peek();
            if ((b & 0x80) != 0) { // 1Txxxxxx: indexed field line
                boolean isStatic = (b & 0x40) != 0;
                long index = prefixInt(6);
                HeaderField field = staticEntry(isStatic, index);
                account(field.name().length(), field.value().length());
                return field;
            }
            if ((b & 0x40) != 0) { // 01NTxxxx: literal with name reference
                boolean isStatic = (b & 0x10) != 0;
                long index = prefixInt(4);
                String name = staticEntry(isStatic, index).name();
                String value = string(7, budget() - name.length());
                account(name.length(), value.length());
                return new HeaderField(name, value);
            }
            if ((b & 0x20) != 0) { // 001NHxxx: literal with literal name
                String name = string(3, budget());
                String value = string(7, budget() - name.length());
                account(name.length(), value.length());
                return new HeaderField(name, value);
            }
            // 0001xxxx and 0000Nxxx: post-base forms, which only exist for dynamic entries.
            throw new QpackException("post-base dynamic table reference but our table capacity is 0");
        }

        private HeaderField staticEntry(boolean isStatic, long index) {
            if (!isStatic) {
                throw new QpackException("dynamic table reference " + index + " but our table capacity is 0");
            }
            if (index >= QpackStaticTable.ENTRIES.size()) {
                throw new QpackException("static table index " + index + " out of range");
            }
            return QpackStaticTable.ENTRIES.get((int) index);
        }

        /** Bytes still allowed for the strings of the next field. */
        private int budget() {
            int left = max - size - FIELD_OVERHEAD;
            if (left < 0) {
                throw tooLarge();
            }
            return left;
        }

        private void account(int nameLength, int valueLength) {
            size += nameLength + valueLength + FIELD_OVERHEAD;
            if (size > max || size < 0) {
                throw tooLarge();
            }
        }

        private QpackException tooLarge() {
            return new QpackException("field section larger than " + max + " bytes");
        }

        /** String literal with an H flag just above an {@code n}-bit length prefix (RFC 9204 §4.1.2). */
        private String string(int n, int maxLength) {
            boolean huffman = (peek() & (1 << n)) != 0;
            long length = prefixInt(n);
            if (length > end - pos) {
                throw new QpackException("string of " + length + " bytes but only " + (end - pos) + " left");
            }
            if (maxLength < 0 || (!huffman && length > maxLength)) {
                throw new QpackException("string of " + length + " bytes exceeds the field section limit of "
                        + max + " bytes");
            }
            int len = (int) length;
            byte[] bytes;
            if (huffman) {
                bytes = QpackHuffman.decode(buf, pos, len, maxLength);
            } else {
                bytes = new byte[len];
                buf.getBytes(pos, bytes);
            }
            pos += len;
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        /** N-bit prefix integer (RFC 9204 §4.1.1 = RFC 7541 §5.1); consumes the prefix byte too. */
        private long prefixInt(int n) {
            int mask = (1 << n) - 1;
            long value = next() & mask;
            if (value < mask) {
                return value;
            }
            int shift = 0;
            while (true) {
                int b = next();
                value += (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
                shift += 7;
                // Every integer we accept fits in an int; stop long before a long could overflow.
                if (shift > 28) {
                    throw new QpackException("prefix integer too large");
                }
            }
        }

        private int peek() {
            if (pos >= end) {
                throw truncated();
            }
            return buf.getByte(pos) & 0xff;
        }

        private int next() {
            int b = peek();
            pos++;
            return b;
        }

        private QpackException truncated() {
            return new QpackException("truncated field section");
        }
    }
}
