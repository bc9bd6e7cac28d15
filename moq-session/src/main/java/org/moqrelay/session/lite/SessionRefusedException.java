package org.moqrelay.session.lite;

import org.moqrelay.wire.ErrorCode;

/**
 * The session is not allowed. It carries the HTTP-style status the reference uses (401, 502...):
 * WebSocket upgrades answer with it; MoQ sessions close with {@link #closeCode()}: 401/403 become
 * Unauthorized (6), any other status {@code s} becomes the application code {@code 64 + s}.
 */
public final class SessionRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;
    private final int httpStatus;

    public SessionRefusedException(ErrorCode code, String message) {
        this(code, code == ErrorCode.UNAUTHORIZED ? 401 : 400, message);
    }

    private SessionRefusedException(ErrorCode code, int httpStatus, String message) {
        super(message, null, false, false);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** Refused with an HTTP-style status, e.g. 502 when the auth key could not be fetched. */
    public static SessionRefusedException withStatus(int httpStatus, String message) {
        return new SessionRefusedException(httpStatus == 401 || httpStatus == 403 ? ErrorCode.UNAUTHORIZED : null,
                httpStatus, message);
    }

    /** The moq-lite error, or null for a status outside the named codes. */
    public ErrorCode code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The session close code. */
    public long closeCode() {
        if (code != null) return code.code();
        return 64L + httpStatus;
    }
}
