package org.moqrelay.wire.lite;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.moqrelay.wire.DecodeException;
import org.moqrelay.wire.ErrorCode;
import org.moqrelay.wire.VarInts;

/**
 * The legacy SETUP exchange of lite-01/02 (spec/moq-lite.md §4.1): CLIENT_SETUP {@code 0x20} and
 * SERVER_SETUP {@code 0x21}, in the draft-14 encoding, whose length is a big-endian u16, not a varint.
 */
public final class LegacySetupCodec {
    public static final int CLIENT_SETUP = 0x20;
    public static final int SERVER_SETUP = 0x21;
    private static final int MAX_VERSIONS = 64;
    private static final int MAX_PARAMETERS = 64;

    private LegacySetupCodec() {}

    /**
     * Decodes a CLIENT_SETUP body (after the {@code 0x20} type) from the reader index, or returns
     * null and consumes nothing when it has not all arrived.
     */
    public static ClientSetup decodeClientSetup(ByteBuf in) {
        if (in.readableBytes() < 2) return null;
        int length = in.getUnsignedShort(in.readerIndex());
        if (in.readableBytes() < 2 + length) return null;
        in.skipBytes(2);
        ByteBuf b = in.readSlice(length);
        int count = VarInts.readInt(b, MAX_VERSIONS, "CLIENT_SETUP version count");
        List<Long> versions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) versions.add(VarInts.read(b));
        int pcount = VarInts.readInt(b, MAX_PARAMETERS, "CLIENT_SETUP parameter count");
        Map<Long, byte[]> params = new HashMap<>();
        for (int i = 0; i < pcount; i++) {
            long key = VarInts.read(b);
            byte[] value;
            if ((key & 1) == 0) {
                ByteBuf v = io.netty.buffer.Unpooled.buffer(8);
                VarInts.write(v, VarInts.read(b));
                value = new byte[v.readableBytes()];
                v.readBytes(value);
            } else {
                int len = VarInts.readLength(b, "CLIENT_SETUP parameter");
                value = new byte[len];
                b.readBytes(value);
            }
            params.put(key, value);
        }
        if (b.isReadable()) {
            throw new DecodeException(ErrorCode.DECODE, "CLIENT_SETUP has " + b.readableBytes() + " trailing bytes");
        }
        return new ClientSetup(versions, params);
    }

    /** Writes {@code 0x20} and a CLIENT_SETUP offering {@code versions} (most preferred first), no parameters. */
    public static void encodeClientSetup(ByteBuf out, List<Long> versions) {
        VarInts.write(out, CLIENT_SETUP);
        int length = VarInts.size(versions.size()) + 1;
        for (long v : versions) length += VarInts.size(v);
        out.writeShort(length);
        VarInts.write(out, versions.size());
        for (long v : versions) VarInts.write(out, v);
        VarInts.write(out, 0);
    }

    /**
     * Decodes a SERVER_SETUP body (after the {@code 0x21} type) and returns the selected version, or
     * -1 (consuming nothing) when it has not all arrived.
     */
    public static long decodeServerSetup(ByteBuf in) {
        if (in.readableBytes() < 2) return -1;
        int length = in.getUnsignedShort(in.readerIndex());
        if (in.readableBytes() < 2 + length) return -1;
        in.skipBytes(2);
        ByteBuf b = in.readSlice(length);
        long version = VarInts.read(b);
        int pcount = VarInts.readInt(b, MAX_PARAMETERS, "SERVER_SETUP parameter count");
        for (int i = 0; i < pcount; i++) {
            long key = VarInts.read(b);
            if ((key & 1) == 0) {
                VarInts.read(b);
            } else {
                int len = VarInts.readLength(b, "SERVER_SETUP parameter");
                b.skipBytes(len);
            }
        }
        if (b.isReadable()) {
            throw new DecodeException(ErrorCode.DECODE, "SERVER_SETUP has " + b.readableBytes() + " trailing bytes");
        }
        return version;
    }

    /** Writes {@code 0x21} and a SERVER_SETUP selecting {@code version}, with no parameters. */
    public static void encodeServerSetup(ByteBuf out, long version) {
        VarInts.write(out, SERVER_SETUP);
        int length = VarInts.size(version) + 1;
        out.writeShort(length);
        VarInts.write(out, version);
        VarInts.write(out, 0);
    }
}
