package org.moqrelay.transport.qmux.wire;

/**
 * A qmux frame, record or transport parameter broke the wire format; carries the QUIC transport
 * error code (RFC 9000 §20.1) the session should close the connection with.
 */
public final class QmuxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final long NO_ERROR = 0x0;
    public static final long INTERNAL_ERROR = 0x1;
    public static final long CONNECTION_REFUSED = 0x2;
    public static final long FLOW_CONTROL_ERROR = 0x3;
    public static final long STREAM_LIMIT_ERROR = 0x4;
    public static final long STREAM_STATE_ERROR = 0x5;
    public static final long FINAL_SIZE_ERROR = 0x6;
    public static final long FRAME_ENCODING_ERROR = 0x7;
    public static final long TRANSPORT_PARAMETER_ERROR = 0x8;
    public static final long PROTOCOL_VIOLATION = 0xa;

    private final long errorCode;

    public QmuxException(long errorCode, String message) {
        // No stack trace: these come from peer input and are cheap to raise.
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    /** The QUIC transport error code for CONNECTION_CLOSE (0x1c). */
    public long code() {
        return errorCode;
    }

    @Override
    public String toString() {
        return "QmuxException(0x" + Long.toHexString(errorCode) + "): " + getMessage();
    }
}
