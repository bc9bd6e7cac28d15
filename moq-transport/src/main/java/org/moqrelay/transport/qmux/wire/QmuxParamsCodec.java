package org.moqrelay.transport.qmux.wire;

import static org.moqrelay.transport.qmux.wire.QmuxException.TRANSPORT_PARAMETER_ERROR;

import io.netty.buffer.ByteBuf;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.moqrelay.wire.VarInts;

/**
 * The {@code {id (i), len (i), value}*} body of QX_TRANSPORT_PARAMETERS (rs/qmux params.rs): zero
 * values omitted, forbidden QUIC v1 ids and repeated known ids rejected, unknown ids skipped.
 */
final class QmuxParamsCodec {
    private QmuxParamsCodec() {}

    static final long MAX_IDLE_TIMEOUT = 0x01;
    static final long INITIAL_MAX_DATA = 0x04;
    static final long INITIAL_MAX_STREAM_DATA_BIDI_LOCAL = 0x05;
    static final long INITIAL_MAX_STREAM_DATA_BIDI_REMOTE = 0x06;
    static final long INITIAL_MAX_STREAM_DATA_UNI = 0x07;
    static final long INITIAL_MAX_STREAMS_BIDI = 0x08;
    static final long INITIAL_MAX_STREAMS_UNI = 0x09;
    static final long RESET_STREAM_AT = 0x1d;
    static final long MAX_DATAGRAM_FRAME_SIZE = 0x20;
    static final long MAX_RECORD_SIZE = 0x0571c59429cd0845L;
    static final long APPLICATION_PROTOCOLS = 0x3d4f9c2a8b1e6075L;

    /** Writes the parameter list (without the frame's length prefix), in the reference's order. */
    static void encode(ByteBuf out, QmuxParams p) {
        writeVarintParam(out, MAX_IDLE_TIMEOUT, p.maxIdleTimeoutMillis());
        writeVarintParam(out, INITIAL_MAX_DATA, p.initialMaxData());
        writeVarintParam(out, INITIAL_MAX_STREAM_DATA_BIDI_LOCAL, p.initialMaxStreamDataBidiLocal());
        writeVarintParam(out, INITIAL_MAX_STREAM_DATA_BIDI_REMOTE, p.initialMaxStreamDataBidiRemote());
        writeVarintParam(out, INITIAL_MAX_STREAM_DATA_UNI, p.initialMaxStreamDataUni());
        writeVarintParam(out, INITIAL_MAX_STREAMS_BIDI, p.initialMaxStreamsBidi());
        writeVarintParam(out, INITIAL_MAX_STREAMS_UNI, p.initialMaxStreamsUni());
        writeVarintParam(out, MAX_DATAGRAM_FRAME_SIZE, p.maxDatagramFrameSize());
        writeVarintParam(out, MAX_RECORD_SIZE, p.maxRecordSize());
        if (p.resetStreamAt()) {
            VarInts.write(out, RESET_STREAM_AT);
            VarInts.write(out, 0);
        }
        if (!p.applicationProtocols().isEmpty()) {
            List<byte[]> names = new ArrayList<>(p.applicationProtocols().size());
            long len = 0;
            for (String name : p.applicationProtocols()) {
                byte[] b = name.getBytes(StandardCharsets.UTF_8);
                names.add(b);
                len += VarInts.size(b.length) + b.length;
            }
            VarInts.write(out, APPLICATION_PROTOCOLS);
            VarInts.write(out, len);
            for (byte[] b : names) {
                VarInts.write(out, b.length);
                out.writeBytes(b);
            }
        }
    }

    private static void writeVarintParam(ByteBuf out, long id, long value) {
        if (value == 0) return;
        VarInts.write(out, id);
        VarInts.write(out, VarInts.size(value));
        VarInts.write(out, value);
    }

    /** Decodes every readable byte of {@code in} as a parameter list. */
    static QmuxParams decode(ByteBuf in) {
        long[] v = new long[9];
        v[8] = QmuxParams.DEFAULT_MAX_RECORD_SIZE;
        boolean resetStreamAt = false;
        List<String> protocols = List.of();
        Set<Long> seen = new HashSet<>();
        while (in.isReadable()) {
            long id = Reads.varint(in, TRANSPORT_PARAMETER_ERROR, "transport parameter id");
            int len = Reads.length(in, TRANSPORT_PARAMETER_ERROR, "transport parameter 0x" + Long.toHexString(id));
            ByteBuf value = in.readSlice(len);
            if (isForbiddenQuicV1(id)) {
                throw error("forbidden QUIC v1 transport parameter 0x" + Long.toHexString(id));
            }
            int slot = slot(id);
            if (slot == UNKNOWN) continue;
            if (!seen.add(id)) {
                throw error("duplicate transport parameter 0x" + Long.toHexString(id));
            }
            if (slot == SLOT_RESET_STREAM_AT) {
                if (value.isReadable()) throw error("reset_stream_at must have an empty value");
                resetStreamAt = true;
            } else if (slot == SLOT_APPLICATION_PROTOCOLS) {
                protocols = decodeProtocols(value);
            } else {
                String what = "transport parameter 0x" + Long.toHexString(id);
                long x = Reads.varint(value, TRANSPORT_PARAMETER_ERROR, what);
                if (value.isReadable()) {
                    throw error("transport parameter 0x" + Long.toHexString(id) + " has trailing bytes");
                }
                v[slot] = x;
            }
        }
        if (v[5] > QmuxFrame.MAX_STREAM_COUNT || v[6] > QmuxFrame.MAX_STREAM_COUNT) {
            throw error("initial_max_streams above 2^60");
        }
        return new QmuxParams(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], resetStreamAt, protocols);
    }

    /** QUIC v1 ids QMux prohibits (connection ids, tokens, ack tuning, migration). */
    static boolean isForbiddenQuicV1(long id) {
        return id == 0x00 || id == 0x02 || id == 0x03 || (id >= 0x0a && id <= 0x10);
    }

    private static final int UNKNOWN = -1;
    private static final int SLOT_RESET_STREAM_AT = 9;
    private static final int SLOT_APPLICATION_PROTOCOLS = 10;

    private static int slot(long id) {
        if (id == MAX_IDLE_TIMEOUT) return 0;
        if (id >= INITIAL_MAX_DATA && id <= INITIAL_MAX_STREAMS_UNI) return (int) (id - INITIAL_MAX_DATA) + 1;
        if (id == MAX_DATAGRAM_FRAME_SIZE) return 7;
        if (id == MAX_RECORD_SIZE) return 8;
        if (id == RESET_STREAM_AT) return SLOT_RESET_STREAM_AT;
        if (id == APPLICATION_PROTOCOLS) return SLOT_APPLICATION_PROTOCOLS;
        return UNKNOWN;
    }

    private static List<String> decodeProtocols(ByteBuf value) {
        List<String> out = new ArrayList<>();
        while (value.isReadable()) {
            int len = Reads.length(value, TRANSPORT_PARAMETER_ERROR, "application protocol");
            ByteBuf name = value.readSlice(len);
            try {
                out.add(StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(name.nioBuffer())
                        .toString());
            } catch (CharacterCodingException e) {
                throw error("application protocol is not UTF-8");
            }
        }
        if (out.isEmpty()) {
            // The encoder omits an empty list, so a present-but-empty one is malformed.
            throw error("empty application_protocols");
        }
        return out;
    }

    private static QmuxException error(String message) {
        return new QmuxException(TRANSPORT_PARAMETER_ERROR, message);
    }
}
