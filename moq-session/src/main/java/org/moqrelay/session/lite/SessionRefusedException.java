package org.moqrelay.session.lite;

import org.moqrelay.wire.ErrorCode;

/** The session is not allowed; it is closed with {@link #code()}. */
public final class SessionRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public SessionRefusedException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
