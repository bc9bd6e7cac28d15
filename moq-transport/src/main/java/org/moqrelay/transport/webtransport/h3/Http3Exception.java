package org.moqrelay.transport.webtransport.h3;

/**
 * An HTTP/3 protocol violation, carrying the RFC 9114 §8.1 error code the caller should reset the
 * stream or close the connection with. Whether it is a stream or a connection error depends on
 * where it was raised, so that choice is left to the caller.
 */
public final class Http3Exception extends RuntimeException {
    public static final long H3_NO_ERROR = 0x100;
    public static final long H3_GENERAL_PROTOCOL_ERROR = 0x101;
    public static final long H3_INTERNAL_ERROR = 0x102;
    public static final long H3_STREAM_CREATION_ERROR = 0x103;
    public static final long H3_CLOSED_CRITICAL_STREAM = 0x104;
    public static final long H3_FRAME_UNEXPECTED = 0x105;
    public static final long H3_FRAME_ERROR = 0x106;
    public static final long H3_EXCESSIVE_LOAD = 0x107;
    public static final long H3_ID_ERROR = 0x108;
    public static final long H3_SETTINGS_ERROR = 0x109;
    public static final long H3_MISSING_SETTINGS = 0x10a;
    public static final long H3_REQUEST_REJECTED = 0x10b;
    public static final long H3_REQUEST_CANCELLED = 0x10c;
    public static final long H3_REQUEST_INCOMPLETE = 0x10d;
    public static final long H3_MESSAGE_ERROR = 0x10e;
    public static final long H3_CONNECT_ERROR = 0x10f;
    /** RFC 9297 §2.1. */
    public static final long H3_DATAGRAM_ERROR = 0x33;

    private final long errorCode;

    public Http3Exception(long errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    /** The HTTP/3 error code for RESET_STREAM or CONNECTION_CLOSE. */
    public long errorCode() {
        return errorCode;
    }

    @Override
    public String toString() {
        return "Http3Exception[0x" + Long.toHexString(errorCode) + "]: " + getMessage();
    }
}
