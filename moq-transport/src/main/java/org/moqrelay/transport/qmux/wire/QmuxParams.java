package org.moqrelay.transport.qmux.wire;

import java.util.List;
import java.util.Objects;
import org.moqrelay.wire.VarInts;

/**
 * The qmux transport parameters carried by QX_TRANSPORT_PARAMETERS (transports.md §3.3 parameter
 * table); zero values are omitted on the wire and absent ones decode as zero, except
 * {@code maxRecordSize}, which defaults to {@value #DEFAULT_MAX_RECORD_SIZE}.
 *
 * @param maxIdleTimeoutMillis {@code max_idle_timeout} (0x01)
 * @param initialMaxData {@code initial_max_data} (0x04)
 * @param initialMaxStreamDataBidiLocal {@code initial_max_stream_data_bidi_local} (0x05)
 * @param initialMaxStreamDataBidiRemote {@code initial_max_stream_data_bidi_remote} (0x06)
 * @param initialMaxStreamDataUni {@code initial_max_stream_data_uni} (0x07)
 * @param initialMaxStreamsBidi {@code initial_max_streams_bidi} (0x08), at most 2^60
 * @param initialMaxStreamsUni {@code initial_max_streams_uni} (0x09), at most 2^60
 * @param maxDatagramFrameSize {@code max_datagram_frame_size} (0x20, 01+); 0 = no datagrams
 * @param maxRecordSize {@code max_record_size} (0x0571c59429cd0845, 01+)
 * @param resetStreamAt {@code reset_stream_at} (0x1d, 02 only, empty value)
 * @param applicationProtocols {@code application_protocols} (0x3d4f9c2a8b1e6075, TCP only)
 */
public record QmuxParams(
        long maxIdleTimeoutMillis,
        long initialMaxData,
        long initialMaxStreamDataBidiLocal,
        long initialMaxStreamDataBidiRemote,
        long initialMaxStreamDataUni,
        long initialMaxStreamsBidi,
        long initialMaxStreamsUni,
        long maxDatagramFrameSize,
        long maxRecordSize,
        boolean resetStreamAt,
        List<String> applicationProtocols) {

    /** {@code max_record_size} when the parameter is absent (draft-01). */
    public static final long DEFAULT_MAX_RECORD_SIZE = 16382;

    /** What an empty parameter list means: no credit at all, default record size. */
    public static final QmuxParams EMPTY =
            new QmuxParams(0, 0, 0, 0, 0, 0, 0, 0, DEFAULT_MAX_RECORD_SIZE, false, List.of());

    /** The Rust relay / JS client recommended values (30 s idle, 1 MiB, 256 KiB, 100 streams). */
    public static final QmuxParams DEFAULTS = new QmuxParams(
            30_000, 1_048_576, 262_144, 262_144, 262_144, 100, 100,
            DEFAULT_MAX_RECORD_SIZE, DEFAULT_MAX_RECORD_SIZE, false, List.of());

    public QmuxParams {
        varint(maxIdleTimeoutMillis, "maxIdleTimeoutMillis");
        varint(initialMaxData, "initialMaxData");
        varint(initialMaxStreamDataBidiLocal, "initialMaxStreamDataBidiLocal");
        varint(initialMaxStreamDataBidiRemote, "initialMaxStreamDataBidiRemote");
        varint(initialMaxStreamDataUni, "initialMaxStreamDataUni");
        streamCount(initialMaxStreamsBidi, "initialMaxStreamsBidi");
        streamCount(initialMaxStreamsUni, "initialMaxStreamsUni");
        varint(maxDatagramFrameSize, "maxDatagramFrameSize");
        varint(maxRecordSize, "maxRecordSize");
        applicationProtocols = List.copyOf(Objects.requireNonNull(applicationProtocols, "applicationProtocols"));
    }

    /** A copy advertising {@code protocols} in-band (plain TCP / unix only, never on WebSocket). */
    public QmuxParams withApplicationProtocols(List<String> protocols) {
        return new QmuxParams(maxIdleTimeoutMillis, initialMaxData, initialMaxStreamDataBidiLocal,
                initialMaxStreamDataBidiRemote, initialMaxStreamDataUni, initialMaxStreamsBidi,
                initialMaxStreamsUni, maxDatagramFrameSize, maxRecordSize, resetStreamAt, protocols);
    }

    /** A copy with {@code reset_stream_at} set or cleared (meaningful on qmux-02 only). */
    public QmuxParams withResetStreamAt(boolean enabled) {
        return new QmuxParams(maxIdleTimeoutMillis, initialMaxData, initialMaxStreamDataBidiLocal,
                initialMaxStreamDataBidiRemote, initialMaxStreamDataUni, initialMaxStreamsBidi,
                initialMaxStreamsUni, maxDatagramFrameSize, maxRecordSize, enabled, applicationProtocols);
    }

    /** A copy with another {@code max_idle_timeout} (0 = none on this side). */
    public QmuxParams withMaxIdleTimeoutMillis(long millis) {
        return new QmuxParams(millis, initialMaxData, initialMaxStreamDataBidiLocal,
                initialMaxStreamDataBidiRemote, initialMaxStreamDataUni, initialMaxStreamsBidi,
                initialMaxStreamsUni, maxDatagramFrameSize, maxRecordSize, resetStreamAt, applicationProtocols);
    }

    /** A copy with another {@code max_datagram_frame_size} (0 = datagrams not accepted). */
    public QmuxParams withMaxDatagramFrameSize(long size) {
        return new QmuxParams(maxIdleTimeoutMillis, initialMaxData, initialMaxStreamDataBidiLocal,
                initialMaxStreamDataBidiRemote, initialMaxStreamDataUni, initialMaxStreamsBidi,
                initialMaxStreamsUni, size, maxRecordSize, resetStreamAt, applicationProtocols);
    }

    private static void varint(long v, String name) {
        if (v < 0 || v > VarInts.MAX) {
            throw new IllegalArgumentException(name + ": " + v + " (expected: 0.." + VarInts.MAX + ")");
        }
    }

    private static void streamCount(long v, String name) {
        if (v < 0 || v > QmuxFrame.MAX_STREAM_COUNT) {
            throw new IllegalArgumentException(name + ": " + v + " (expected: 0.." + QmuxFrame.MAX_STREAM_COUNT + ")");
        }
    }
}
