package org.moqrelay.wire;

/**
 * A message could not be decoded. Carries the moq-lite error code the session should close or
 * reset with. Thrown only for real protocol violations, never for "need more bytes".
 */
public final class DecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public DecodeException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
