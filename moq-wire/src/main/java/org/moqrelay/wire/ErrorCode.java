package org.moqrelay.wire;

/**
 * The moq-lite error codes (spec/moq-lite.md §11), used for RESET_STREAM, STOP_SENDING and
 * session close. Values are pinned by the reference's {@code to_code} and must never change.
 */
public enum ErrorCode {
    CANCEL(0),
    REQUIRED_EXTENSION(1),
    OLD(2),
    TIMEOUT(3),
    TRANSPORT(4),
    DECODE(5),
    UNAUTHORIZED(6),
    VERSION(9),
    UNEXPECTED_STREAM(10),
    BOUNDS_EXCEEDED(11),
    DUPLICATE(12),
    NOT_FOUND(13),
    WRONG_SIZE(14),
    PROTOCOL_VIOLATION(15),
    UNEXPECTED_MESSAGE(16),
    UNSUPPORTED(17),
    ENCODE(18),
    TOO_MANY_PARAMETERS(19),
    INVALID_ROLE(20),
    UNKNOWN_ALPN(21),
    DROPPED(24),
    CLOSED(25),
    LAGGED(26),
    FRAME_TOO_LARGE(27),
    TIMESTAMP_MISMATCH(29),
    UNROUTABLE(30),
    EVICTED(31);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** The value on the wire. */
    public int code() {
        return code;
    }

    /** The enum for a wire value, or null for codes this relay does not name (e.g. App codes). */
    public static ErrorCode of(long code) {
        for (ErrorCode c : values()) {
            if (c.code == code) return c;
        }
        return null;
    }
}
