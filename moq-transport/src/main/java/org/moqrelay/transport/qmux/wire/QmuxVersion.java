package org.moqrelay.transport.qmux.wire;

/**
 * The qmux wire format negotiated for a connection: the legacy {@code webtransport} binding or a
 * QMux draft (transports.md §3.3).
 */
public enum QmuxVersion {
    /** Legacy {@code webtransport}: u8 frame types, one frame per message, no parameters or credits. */
    WEBTRANSPORT("webtransport"),
    /** draft-ietf-quic-qmux-00: varint frame types, one frame per message, parameters first. */
    QMUX_00("qmux-00"),
    /** draft-01: a message or TCP record carries 1+ frames; adds PADDING, QX_PING and DATAGRAM. */
    QMUX_01("qmux-01"),
    /** draft-02: draft-01 plus RESET_STREAM_AT and the {@code reset_stream_at} parameter. */
    QMUX_02("qmux-02");

    private final String token;

    QmuxVersion(String token) {
        this.token = token;
    }

    /** The bare subprotocol / ALPN token, e.g. {@code qmux-01}. */
    public String token() {
        return token;
    }

    /** Frame types are QUIC varints (every QMux draft) rather than single bytes (legacy). */
    public boolean hasVarintFrameTypes() {
        return this != WEBTRANSPORT;
    }

    /** The connection starts with QX_TRANSPORT_PARAMETERS. */
    public boolean hasTransportParameters() {
        return this != WEBTRANSPORT;
    }

    /** QUIC credit frames (MAX_*, *_BLOCKED) exist; the legacy format has no flow control. */
    public boolean hasFlowControl() {
        return this != WEBTRANSPORT;
    }

    /** A WebSocket message (or a size-prefixed TCP record) carries one or more frames. */
    public boolean multipleFramesPerMessage() {
        return switch (this) {
            case WEBTRANSPORT, QMUX_00 -> false;
            default -> true;
        };
    }

    /** PADDING (0x00) frames are allowed. */
    public boolean hasPadding() {
        return multipleFramesPerMessage();
    }

    /** QX_PING request/response frames are allowed. */
    public boolean hasPing() {
        return multipleFramesPerMessage();
    }

    /** DATAGRAM (0x30/0x31) frames are allowed. */
    public boolean hasDatagrams() {
        return multipleFramesPerMessage();
    }

    /** RESET_STREAM_AT (0x24) frames and the {@code reset_stream_at} parameter are allowed. */
    public boolean hasResetStreamAt() {
        return switch (this) {
            case WEBTRANSPORT, QMUX_00, QMUX_01 -> false;
            default -> true;
        };
    }
}
