package org.moqrelay.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * QUIC variable-length integers (RFC 9000 §16), the integer encoding of every moq-lite version.
 *
 * <p>Readers come in two flavours: {@code read*} throw {@link DecodeException} on a short buffer
 * (for decoding a message whose bytes are all present), while {@link #peekLength} and
 * {@link #peek} let a framer find out whether enough bytes have arrived without throwing.
 */
public final class VarInts {
    /** Largest value a QUIC varint can hold (2^62 - 1). */
    public static final long MAX = (1L << 62) - 1;

    private VarInts() {}

    /** Number of bytes the minimal encoding of {@code v} takes. */
    public static int size(long v) {
        if (v < 0 || v > MAX) {
            throw new IllegalArgumentException("varint out of range: " + v);
        }
        if (v < (1 << 6)) return 1;
        if (v < (1 << 14)) return 2;
        if (v < (1L << 30)) return 4;
        return 8;
    }

    /** Writes the minimal encoding of {@code v}. */
    public static void write(ByteBuf out, long v) {
        switch (size(v)) {
            case 1 -> out.writeByte((int) v);
            case 2 -> out.writeShort((int) (v | 0x4000));
            case 4 -> out.writeInt((int) (v | 0x8000_0000L));
            default -> out.writeLong(v | 0xC000_0000_0000_0000L);
        }
    }

    /** The minimal encoding of {@code v} as an array of its own (a parameter value, a test vector). */
    public static byte[] toBytes(long v) {
        byte[] out = new byte[size(v)];
        write(Unpooled.wrappedBuffer(out).clear(), v);
        return out;
    }

    /** Length in bytes of the varint starting at {@code index}, from its first byte. */
    public static int lengthAt(ByteBuf in, int index) {
        return 1 << ((in.getByte(index) & 0xC0) >> 6);
    }

    /**
     * Length of the varint at the reader index, or -1 when not even its first byte is readable or
     * the whole varint is not yet readable.
     */
    public static int peekLength(ByteBuf in) {
        if (!in.isReadable()) return -1;
        int len = lengthAt(in, in.readerIndex());
        return in.readableBytes() >= len ? len : -1;
    }

    /** Value of the varint at {@code index}; the caller has checked that it is readable. */
    public static long getAt(ByteBuf in, int index) {
        int len = lengthAt(in, index);
        return switch (len) {
            case 1 -> in.getByte(index) & 0x3F;
            case 2 -> in.getShort(index) & 0x3FFF;
            case 4 -> in.getInt(index) & 0x3FFF_FFFFL;
            default -> in.getLong(index) & 0x3FFF_FFFF_FFFF_FFFFL;
        };
    }

    /** Value of the varint at the reader index without consuming it, or -1 if not all there. */
    public static long peek(ByteBuf in) {
        return peekLength(in) < 0 ? -1 : getAt(in, in.readerIndex());
    }

    /** Reads a varint, throwing {@link DecodeException} (code Decode) if the buffer is short. */
    public static long read(ByteBuf in) {
        int len = peekLength(in);
        if (len < 0) {
            throw new DecodeException(ErrorCode.DECODE, "truncated varint");
        }
        long v = getAt(in, in.readerIndex());
        in.skipBytes(len);
        return v;
    }

    /** Reads a varint that must fit in an int (counts, lengths). */
    public static int readInt(ByteBuf in, int max, String what) {
        long v = read(in);
        if (v > max) {
            throw new DecodeException(ErrorCode.DECODE, what + " too large: " + v + " (max " + max + ")");
        }
        return (int) v;
    }

    /**
     * Reads a varint length and checks it against the bytes that follow it (not those before the
     * length itself), so the caller can allocate or skip that many bytes safely.
     */
    public static int readLength(ByteBuf in, String what) {
        long len = read(in);
        if (len > in.readableBytes()) {
            throw new DecodeException(ErrorCode.DECODE,
                    what + " length " + len + " exceeds the " + in.readableBytes() + " bytes left");
        }
        return (int) len;
    }

    /** Zigzag-maps a signed value to an unsigned one (0, -1, 1, -2 ... to 0, 1, 2, 3 ...). */
    public static long zigzag(long s) {
        return (s << 1) ^ (s >> 63);
    }

    /** Inverse of {@link #zigzag}. */
    public static long unzigzag(long u) {
        return (u >>> 1) ^ -(u & 1);
    }
}
