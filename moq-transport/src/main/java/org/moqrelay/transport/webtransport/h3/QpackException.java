package org.moqrelay.transport.webtransport.h3;

/**
 * A field section could not be decoded (malformed, too large, or it needs the dynamic table we
 * never allow). RFC 9204 §2.2 makes this a connection error of type
 * {@link #QPACK_DECOMPRESSION_FAILED}.
 */
public final class QpackException extends RuntimeException {
    /** HTTP/3 error code for a field section that cannot be decoded (RFC 9204 §6). */
    public static final long QPACK_DECOMPRESSION_FAILED = 0x200;

    public QpackException(String message) {
        super(message);
    }

    /** The HTTP/3 error code to close the connection with. */
    public long errorCode() {
        return QPACK_DECOMPRESSION_FAILED;
    }
}
